import {
  DASH,
  formatDate,
  formatInteger,
  formatMoney,
  formatNumber,
  humanize,
} from "../../lib/format";
import { Pill } from "../../ui/Pill";
import { EmptyState } from "../../ui/states";
import { useReportingContext } from "../meta/queries";
import { PictureCard, SubHeading } from "./PictureCard";
import { invoiceTone, plural } from "./picture";
import type { InvoiceView, Subscription } from "./queries";

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
                {formatMoney(s.unit_amount, currency)}
                <span className="cell-sub">/ {s.interval}</span>
              </td>
              <td className="num">{formatMoney(s.arr, currency)}</td>
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

function Invoices({ invoices, currency }: { invoices: InvoiceView[]; currency: string }) {
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
                <td className="num">{formatMoney(inv.amount, currency)}</td>
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

/** What the account buys (subscription lines) and how it pays (the last 12 invoices). */
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
            <SubHeading>Subscriptions</SubHeading>
            <Subscriptions lines={a.subscriptions} currency={currency} />
          </div>
          <div className="picture-section">
            <SubHeading>Invoices</SubHeading>
            <Invoices invoices={a.invoices} currency={currency} />
          </div>
        </div>
      )}
    </PictureCard>
  );
}
