import type { AccountDetail } from "../../api/client";
import {
  DASH,
  formatDate,
  formatInteger,
  formatMoney,
  formatNumber,
  formatPrice,
  humanize,
} from "../../lib/format";
import { Pill, type Tone } from "../../ui/Pill";
import { EmptyState } from "../../ui/states";
import { useReportingContext } from "../meta/queries";
import { PictureCard, SubHeading } from "./PictureCard";
import { invoiceTone, isForeign, plural } from "./picture";
import type { InvoiceView, Subscription } from "./queries";

type StatusChange = AccountDetail["status_history"][number];

const STATUS_EVENTS: Record<string, { label: string; tone: Tone }> = {
  new: { label: "New customer", tone: "blue" },
  churn: { label: "Churned", tone: "red" },
  reactivation: { label: "Reactivated", tone: "green" },
};

/** One status change: "Churned Jun 1, 2025", or a churn still inside its 30-day bridge. */
function StatusEvent({ change }: { change: StatusChange }) {
  if (change.event === "churn" && !change.confirmed) {
    return (
      <>
        <Pill
          tone="amber"
          title="Not a churn yet: an account whose ARR comes back within 30 days was never lost"
        >
          ARR at 0
        </Pill>{" "}
        since {formatDate(change.on)}, may still return (30-day window)
      </>
    );
  }
  const meta = Object.hasOwn(STATUS_EVENTS, change.event) ? STATUS_EVENTS[change.event] : undefined;
  return (
    <>
      <Pill tone={meta?.tone ?? "neutral"}>{meta?.label ?? humanize(change.event)}</Pill>{" "}
      {formatDate(change.on)}
    </>
  );
}

/** When billing made the account a customer, lost it and won it back, oldest first. */
function StatusHistory({ changes }: { changes: StatusChange[] }) {
  if (changes.length === 0) return null;
  return (
    <ol className="status-history" aria-label="Status history">
      {changes.map((c, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: changes have no id; server order (by date)
        <li key={i} data-testid="status-change">
          <StatusEvent change={c} />
        </li>
      ))}
    </ol>
  );
}

function Subscriptions({ lines, currency }: { lines: Subscription[]; currency: string }) {
  if (lines.length === 0) {
    return (
      <EmptyState title="No subscriptions">Subscription lines arrive with billing.</EmptyState>
    );
  }
  return (
    <div className="table-scroll">
      <table className="table table-compact" aria-label="Subscriptions">
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col">Plan</th>
            <th scope="col" className="num">
              Qty
            </th>
            <th scope="col" className="num">
              Unit price
            </th>
            <th scope="col" className="num">
              ARR
            </th>
            <th scope="col">Term</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((s, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: lines have no id; server order is stable
            <tr key={i} className={s.end_date ? "picture-row-ended" : undefined}>
              <td>{s.product}</td>
              <td>{s.plan ?? <span className="muted">{DASH}</span>}</td>
              <td className="num">{formatNumber(s.quantity, 2)}</td>
              <td className="num">
                {formatPrice(s.unit_amount, s.currency)}
                <span className="cell-sub">/ {s.interval}</span>
              </td>
              <td
                className="num"
                title={
                  isForeign(s.currency, currency)
                    ? `In ${currency}, the reporting currency, at today's ${s.currency} rate`
                    : undefined
                }
              >
                {formatMoney(s.arr, currency)}
                {!isForeign(s.currency, currency) ? null : (
                  <span className="cell-sub" data-testid="fx-note">
                    from {s.currency}
                  </span>
                )}
              </td>
              <td>
                {formatDate(s.start_date)} – {s.end_date ? formatDate(s.end_date) : "ongoing"}
                {s.cancellation_reason ? (
                  <span className="cell-sub">{humanize(s.cancellation_reason)}</span>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Invoices({ invoices }: { invoices: InvoiceView[] }) {
  if (invoices.length === 0) {
    return <EmptyState title="No invoices">Invoices arrive with billing.</EmptyState>;
  }
  return (
    <div className="table-scroll">
      <table className="table table-compact" aria-label="Invoices">
        <thead>
          <tr>
            <th scope="col">Invoice</th>
            <th scope="col">Issued</th>
            <th scope="col">Due</th>
            <th scope="col" className="num">
              Amount
            </th>
            <th scope="col">Status</th>
            <th scope="col">Paid</th>
          </tr>
        </thead>
        <tbody>
          {invoices.map((inv) => {
            const overdue = inv.days_overdue !== null && inv.days_overdue > 0;
            return (
              <tr key={inv.id} data-testid="invoice-row">
                <td className="mono">{inv.source_id}</td>
                <td>{formatDate(inv.issued_at)}</td>
                <td>{formatDate(inv.due_at)}</td>
                <td className="num">{formatMoney(inv.amount, inv.currency)}</td>
                <td>
                  <Pill tone={invoiceTone(inv.status, inv.days_overdue)}>
                    {overdue
                      ? `${plural(inv.days_overdue ?? 0, "day", "days")} overdue`
                      : humanize(inv.status)}
                  </Pill>
                </td>
                <td>
                  {inv.paid_at ? formatDate(inv.paid_at) : <span className="muted">{DASH}</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/**
 * What the account buys (subscription lines: unit prices in the line's currency, ARR in the
 * reporting currency), when it became, stopped being and became again a customer, and how it
 * pays (the last 12 invoices, each in its own currency).
 */
export function ContractCard({ accountId }: { accountId: string }) {
  const { currency, today } = useReportingContext();
  return (
    <PictureCard
      accountId={accountId}
      id="contract"
      title="Contract"
      aside={(a) => (
        <span className="muted small">
          {plural(
            a.subscriptions.filter((s) => !s.end_date || s.end_date > today).length,
            "active line",
            "active lines",
          )}
          {" · "}
          {formatInteger(a.invoices.length)} recent invoices
        </span>
      )}
    >
      {(a) => (
        <div className="picture-stack">
          <div className="picture-section">
            <SubHeading
              aside={
                a.subscriptions.some((s) => isForeign(s.currency, currency)) ? (
                  <span className="muted small" data-testid="subscriptions-currency">
                    Unit prices in each line's currency · ARR in {currency} at today's rates
                  </span>
                ) : null
              }
            >
              Subscriptions
            </SubHeading>
            <StatusHistory changes={a.status_history ?? []} />
            <Subscriptions lines={a.subscriptions} currency={currency} />
          </div>
          <div className="picture-section">
            <SubHeading>Invoices</SubHeading>
            <Invoices invoices={a.invoices} />
          </div>
        </div>
      )}
    </PictureCard>
  );
}
