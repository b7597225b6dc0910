import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import {
  formatDate,
  formatInteger,
  formatMoney,
  formatMoneyCompact,
  formatRelativeDays,
} from "../../lib/format";
import { Health, QuadrantPill } from "../../ui/health";
import { EmptyState, ErrorState, Skeleton } from "../../ui/states";
import { ForecastPill } from "../renewals/ForecastPill";
import { type Renewal, useRenewals } from "../renewals/queries";
import { SuggestedCell } from "../renewals/SuggestedCell";
import { TermLabel } from "../renewals/TermLabel";
import { TERM_FILTER_HELP } from "../renewals/terms";

export const DUE_WITHIN_DAYS = 90;
/** Rows shown here; the Renewals view has them all. */
export const DUE_ROWS = 12;
/** Term renewals (annual, multi-year, contract), as on the Renewals view by default. */
const QUERY = { status: "open", within_days: DUE_WITHIN_DAYS, term: "term" } as const;

function DueRow({ renewal: r, currency }: { renewal: Renewal; currency: string }) {
  return (
    <tr data-testid="due-row">
      <td>
        <div className="cell-account">
          <Link to="/accounts/$accountId" params={{ accountId: r.account_id }}>
            {r.account_name}
          </Link>
        </div>
      </td>
      <td>
        {formatDate(r.renewal_date)}
        <TermLabel term={r.term} source={r.source} className="cell-sub" />
      </td>
      <td className={r.days_to_renewal <= 30 ? "num negative" : "num"}>
        {formatRelativeDays(r.days_to_renewal)}
      </td>
      <td className="num">
        <span title={formatMoney(r.arr_up_for_renewal, currency)}>
          {formatMoneyCompact(r.arr_up_for_renewal, currency)}
        </span>
      </td>
      <td>
        <Health score={r.health_score} band={r.band} />
      </td>
      <td>
        <QuadrantPill quadrant={r.quadrant} />
      </td>
      <td>
        <ForecastPill forecast={r.forecast} />
      </td>
      <td>
        <SuggestedCell renewal={r} />
      </td>
    </tr>
  );
}

/** Open term renewals of the next 90 days by date, with health and both forecasts. */
export function DueRenewalsCard({ currency }: { currency: string }) {
  const renewals = useRenewals(QUERY);
  const data = renewals.data;
  const arr = data?.items.reduce((sum, r) => sum + r.arr_up_for_renewal, 0) ?? 0;

  let body: ReactNode = null;
  if (renewals.isError) {
    body = (
      <ErrorState
        title="Couldn't load renewals"
        error={renewals.error}
        onRetry={() => void renewals.refetch()}
      />
    );
  } else if (data && data.items.length === 0) {
    body = (
      <EmptyState title="No renewals in the next 90 days">
        Open term renewals (annual, multi-year and contract) appear here three months ahead.
      </EmptyState>
    );
  }

  return (
    <section className="card table-card" aria-labelledby="due-title">
      <div className="card-header">
        <h2 id="due-title">Renewals due in 90 days</h2>
        <span className="muted small" data-testid="due-total">
          {data ? (
            <>
              {formatInteger(data.total)} open ·{" "}
              <span title={formatMoney(arr, currency)}>
                {formatMoneyCompact(arr, currency)} ARR
              </span>{" "}
              ·{" "}
              <span className="has-tip" title={TERM_FILTER_HELP}>
                term renewals
              </span>
            </>
          ) : (
            "\u00a0"
          )}
        </span>
      </div>
      <div className="table-scroll">
        {body ?? (
          <table className="table table-compact">
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Renewal</th>
                <th scope="col" className="num">
                  Days left
                </th>
                <th scope="col" className="num">
                  ARR
                </th>
                <th scope="col">Health</th>
                <th scope="col">Quadrant</th>
                <th scope="col">Forecast</th>
                <th scope="col">Suggested</th>
              </tr>
            </thead>
            <tbody>
              {data
                ? data.items
                    .slice(0, DUE_ROWS)
                    .map((r) => <DueRow key={r.id} renewal={r} currency={currency} />)
                : Array.from({ length: 6 }, (_, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: static placeholder rows
                    <tr key={i} className="row-loading">
                      {[150, 90, 50, 50, 80, 110, 60, 60].map((w, j) => (
                        // biome-ignore lint/suspicious/noArrayIndexKey: static placeholder cells
                        <td key={j}>
                          <Skeleton width={w} />
                        </td>
                      ))}
                    </tr>
                  ))}
            </tbody>
          </table>
        )}
      </div>
      {data && data.total > 0 ? (
        <footer className="pager">
          <span className="pager-range">
            {data.total > DUE_ROWS
              ? `The first ${DUE_ROWS} of ${formatInteger(data.total)}`
              : `All ${formatInteger(data.total)}`}
          </span>
          <Link to="/renewals" className="btn btn-sm">
            Open Renewals →
          </Link>
        </footer>
      ) : null}
    </section>
  );
}
