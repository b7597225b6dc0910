import {
  DASH,
  formatInteger,
  formatMoney,
  formatMoneyCompact,
  formatNumber,
  formatPercent,
} from "../../lib/format";
import { Pill } from "../../ui/Pill";
import { TableScroll } from "../../ui/TableScroll";
import { churnOf, expansionOf, fxOf, periodSpan } from "./charts";
import { formatSignedMoney } from "./kpis";
import type { Period } from "./queries";
import type { Interval } from "./searchState";

const HEADERS: { label: string; title: string; num?: boolean }[] = [
  { label: "Period", title: "[period start, period end): a movement dated in it belongs to it" },
  { label: "Starting ARR", title: "The ARR at the start of the period", num: true },
  { label: "New", title: "The first ARR an account ever has", num: true },
  { label: "Expansion", title: "ARR up on an active account: seat + plan + cross-sell", num: true },
  { label: "Reactivation", title: "ARR back from 0 after a churn", num: true },
  { label: "Contraction", title: "ARR down, still above 0", num: true },
  {
    label: "Churn",
    title: "ARR to 0 (not bridged within 30 days): voluntary and involuntary (payment failed)",
    num: true,
  },
  {
    label: "FX",
    title:
      "Exchange rates: ARR moved by currency rates on lines in another currency than the reporting one (gains − losses); neither expansion nor contraction",
    num: true,
  },
  {
    label: "Ending ARR",
    title: "The ARR at the start of the period's end (for a period not over yet: today's ARR)",
    num: true,
  },
  { label: "NRR", title: "Σ cohort ending ARR / Σ cohort starting ARR", num: true },
  {
    label: "GRR",
    title: "Σ cohort min(ending ARR, starting ARR) / Σ cohort starting ARR",
    num: true,
  },
  {
    label: "Logo churn",
    title: "Cohort accounts with ending ARR 0 / cohort accounts",
    num: true,
  },
  {
    label: "New logos",
    title:
      "Accounts whose first ARR ever came in the period; accounts back after a confirmed churn are counted apart (back)",
    num: true,
  },
  {
    label: "Avg lifetime",
    title:
      "Mean months from first ARR to churn, over the accounts whose churn in the period is confirmed (30 days past)",
    num: true,
  },
];

function Money({
  value,
  currency,
  signed = false,
}: {
  value: number;
  currency: string;
  signed?: boolean;
}) {
  return (
    <span title={formatMoney(value, currency)}>
      {signed ? formatSignedMoney(value, currency) : formatMoneyCompact(value, currency)}
    </span>
  );
}

function PeriodRow({
  period: p,
  interval,
  currency,
}: {
  period: Period;
  interval: Interval;
  currency: string;
}) {
  const e = p.expansion;
  return (
    <tr data-testid="period-row" className={p.provisional ? "period-provisional" : undefined}>
      <th scope="row">
        {periodSpan(p, interval)}{" "}
        {p.partial ? (
          <Pill title="Not over yet: figures to date">to date</Pill>
        ) : p.provisional ? (
          <Pill tone="amber" title="Ends less than 30 days ago: a recent churn may yet be bridged">
            provisional
          </Pill>
        ) : null}
      </th>
      <td className="num">
        <Money value={p.starting_arr} currency={currency} />
      </td>
      <td className="num">
        <Money value={p.new} currency={currency} signed />
      </td>
      <td
        className="num"
        title={`Seat ${formatMoney(e.seat, currency)} · plan ${formatMoney(e.plan, currency)} · cross-sell ${formatMoney(e.cross_sell, currency)}`}
      >
        {formatSignedMoney(expansionOf(p), currency)}
      </td>
      <td className="num">
        <Money value={p.reactivation} currency={currency} signed />
      </td>
      <td className="num">
        <Money value={-p.contraction} currency={currency} signed />
      </td>
      <td
        className="num"
        title={`Voluntary ${formatMoney(p.churn.voluntary, currency)} · involuntary ${formatMoney(p.churn.involuntary, currency)}`}
      >
        {formatSignedMoney(-churnOf(p), currency)}
      </td>
      <td className="num" data-testid="period-fx">
        <Money value={fxOf(p)} currency={currency} signed />
      </td>
      <td className="num">
        <strong>
          <Money value={p.ending_arr} currency={currency} />
        </strong>
      </td>
      <td className="num">{formatPercent(p.nrr, 1)}</td>
      <td className="num">{formatPercent(p.grr, 1)}</td>
      <td
        className="num"
        title={`Annualised ${formatPercent(p.logo_churn_rate_annualised, 1)} · ${p.customers_start} customers at the start, ${p.customers_end} at the end`}
      >
        {formatPercent(p.logo_churn_rate, 1)}
      </td>
      <td
        className="num"
        data-testid="period-logos"
        title={`${formatInteger(p.new_logos)} new · ${formatInteger(p.reactivated_logos)} reactivated`}
      >
        {formatInteger(p.new_logos)}
        {p.reactivated_logos ? (
          <span className="cell-sub">+{formatInteger(p.reactivated_logos)} back</span>
        ) : null}
      </td>
      <td className="num" data-testid="period-lifetime">
        {p.average_lifetime_months == null ? (
          <span className="muted" title="No confirmed churn in the period">
            {DASH}
          </span>
        ) : (
          `${formatNumber(p.average_lifetime_months, 1)} mo`
        )}
      </td>
    </tr>
  );
}

/** Every period's starting ARR, flows, ending ARR and ratios, newest first. */
export function PeriodsTable({
  periods,
  interval,
  currency,
}: {
  periods: Period[];
  interval: Interval;
  currency: string;
}) {
  const newestFirst = [...periods].reverse();
  return (
    <TableScroll label="ARR movements by period" className="periods-scroll">
      <table className="table table-compact periods-table" aria-label="ARR movements by period">
        <thead>
          <tr>
            {HEADERS.map((h) => (
              <th key={h.label} scope="col" className={h.num ? "num" : undefined}>
                <span className="has-tip" title={h.title}>
                  {h.label}
                </span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {newestFirst.map((p) => (
            <PeriodRow key={p.period_start} period={p} interval={interval} currency={currency} />
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
