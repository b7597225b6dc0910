import type { AccountDetail } from "../../api/client";
import {
  DASH,
  daysBetween,
  formatDate,
  formatMoney,
  formatMoneyCompact,
  formatRelativeDays,
  humanize,
} from "../../lib/format";
import { Pill } from "../../ui/Pill";
import { EmptyState } from "../../ui/states";
import { TableScroll } from "../../ui/TableScroll";
import { useReportingContext } from "../meta/queries";
import { TermLabel } from "../renewals/TermLabel";
import { PictureCard } from "./PictureCard";
import { forecastTone, isForeign, nextRenewal, outcomeTone, plural } from "./picture";
import type { RenewalView } from "./queries";

function Forecast({ renewal, empty = DASH }: { renewal: RenewalView; empty?: string }) {
  if (renewal.forecast) {
    return <Pill tone={forecastTone(renewal.forecast)}>{humanize(renewal.forecast)}</Pill>;
  }
  if (renewal.suggested_forecast) {
    return (
      <span className="muted small" title="Suggested from health and usage; not set by the owner">
        Suggested: {humanize(renewal.suggested_forecast)}
      </span>
    );
  }
  return <span className="muted">{empty}</span>;
}

function Unpaid({
  unpaid,
  currency,
  today,
  mixed,
}: {
  unpaid: AccountDetail["unpaid"];
  currency: string;
  today: string;
  /** Some invoices are in another currency than the reporting one. */
  mixed: boolean;
}) {
  if (!unpaid || unpaid.count === 0) {
    return (
      <p className="picture-unpaid" data-testid="unpaid">
        <Pill tone="green">Paid up</Pill> <span className="muted">No unpaid invoices</span>
      </p>
    );
  }
  const overdue = unpaid.oldest_due_at ? -(daysBetween(today, unpaid.oldest_due_at) ?? 0) : 0;
  return (
    <p className="picture-unpaid" data-testid="unpaid">
      <Pill tone={overdue > 0 ? "red" : "amber"}>Unpaid</Pill>{" "}
      <strong title={`In ${currency}, the reporting currency`}>
        {formatMoney(unpaid.amount, currency)}
      </strong>
      {mixed ? <span className="muted"> ({currency})</span> : null} in{" "}
      {plural(unpaid.count, "invoice", "invoices")}
      {unpaid.oldest_due_at ? (
        <span className="muted">
          {" "}
          · oldest due {formatDate(unpaid.oldest_due_at)}
          {overdue > 0 ? ` (${plural(overdue, "day", "days")} overdue)` : ""}
        </span>
      ) : null}
    </p>
  );
}

/**
 * The next renewal up front (the header's: `nextRenewal`), then every renewal (upcoming and
 * past) with its term, and what is unpaid.
 */
export function RenewalsCard({ accountId }: { accountId: string }) {
  const { currency, today } = useReportingContext();
  return (
    <PictureCard accountId={accountId} id="renewals" title="Renewal">
      {(a) => {
        // The same next renewal as the header's (the account's next renewal date).
        const next = nextRenewal(a, today);
        const record = next?.record;
        const soon = next?.days != null && next.days <= 60;
        return (
          <div className="card-body picture-body">
            {next ? (
              <div className="picture-renewal-next" data-testid="next-renewal">
                <div>
                  <div className="picture-big">{formatDate(next.date)}</div>
                  <div className={soon ? "negative small" : "muted small"}>
                    {formatRelativeDays(next.days)}
                    {next.days !== null && next.term ? " · " : null}
                    <TermLabel term={next.term} source={next.source} lower />
                  </div>
                </div>
                {record ? (
                  <>
                    <div>
                      <div
                        className="picture-big"
                        title={formatMoney(record.arr_up_for_renewal, currency)}
                      >
                        {formatMoneyCompact(record.arr_up_for_renewal, currency)}
                      </div>
                      <div className="muted small">up for renewal</div>
                    </div>
                    <div>
                      <Forecast renewal={record} empty="Not set" />
                      <div className="muted small">forecast</div>
                    </div>
                  </>
                ) : null}
              </div>
            ) : (
              <p className="muted small">No upcoming renewal on record.</p>
            )}
            <Unpaid
              unpaid={a.unpaid}
              currency={currency}
              today={today}
              mixed={a.invoices.some((inv) => isForeign(inv.currency, currency))}
            />
            {a.renewals.length === 0 ? (
              <EmptyState title="No renewals">
                An account renews on its CRM contract date, or else at its next billing cycle.
                Neither is known yet.
              </EmptyState>
            ) : (
              <TableScroll label="Renewals">
                <table className="table table-compact" aria-label="Renewals">
                  <thead>
                    <tr>
                      <th scope="col">Date</th>
                      <th scope="col">Term</th>
                      <th scope="col" className="num">
                        ARR
                      </th>
                      <th scope="col">Forecast</th>
                      <th scope="col">Outcome</th>
                    </tr>
                  </thead>
                  <tbody>
                    {a.renewals.map((r) => (
                      <tr key={r.id} data-testid="renewal-row">
                        <td>
                          {formatDate(r.renewal_date)}
                          <span className="cell-sub">{formatRelativeDays(r.days_to_renewal)}</span>
                        </td>
                        <td>
                          <TermLabel term={r.term} source={r.source} />
                        </td>
                        <td className="num">{formatMoney(r.arr_up_for_renewal, currency)}</td>
                        <td>
                          <Forecast renewal={r} />
                        </td>
                        <td>
                          {r.outcome ? (
                            <Pill tone={outcomeTone(r.outcome)}>{humanize(r.outcome)}</Pill>
                          ) : (
                            <span className="muted">
                              {r.days_to_renewal < 0 ? "Not closed" : "Open"}
                            </span>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            )}
          </div>
        );
      }}
    </PictureCard>
  );
}
