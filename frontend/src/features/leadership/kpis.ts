import { formatMoney, formatMoneyCompact, formatPercent, formatSigned } from "../../lib/format";
import type { SeriesPoint, Summary } from "./queries";

/** How a sparkline's values read: money or a ratio (fraction). */
export type ValueKind = "money" | "ratio";

export interface KpiFigure {
  label: string;
  value: string;
  /** Tooltip: the definition, or the full value. */
  title?: string;
  tone?: "positive" | "negative";
}

export interface Kpi {
  key: string;
  label: string;
  /** The headline figure, formatted. */
  value: string;
  /** Tooltip of the headline figure (the full amount). */
  valueTitle?: string;
  /** The metric's definition (docs/metrics.md), as the tile's tooltip. */
  definition: string;
  /** Figures beside or under the headline (MRR, annualised, MoM…). */
  figures: KpiFigure[];
  /** A second row of figures (net new ARR: the last 7 days and WoW). */
  secondary?: KpiFigure[];
  /** Which period the headline covers, when not today ("Nov 2026 · provisional"). */
  note?: string;
  /** What the 18-month sparkline shows, e.g. "NRR by month"; none for a figure of today only. */
  trend?: string;
  kind: ValueKind;
  values: (number | null)[];
  color: string;
  /** Takes two grid columns (more figures). */
  wide?: boolean;
}

const ACCENT = "#4f46e5";
const GREEN = "#22a35a";
const RED = "#dc3b3b";
const TEAL = "#14b8a6";
const AMBER = "#e0a21b";

/** What revenue at risk is (docs/metrics.md, Revenue at risk), for its tile. */
export const REVENUE_AT_RISK_DEFINITION =
  "Revenue at risk: Σ ARR × churn probability × saveable fraction over the active accounts. Churn probability from each account's health; saveable fraction from the days to its next term renewal. The book-wide figure; the Today queue's ARR at stake is the part of it on accounts with an open risk alert.";

/** A change as a fraction → "+12.5%" / "−69.8%"; null → "—". */
export function formatChange(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return `${formatSigned(value * 100, 1)}%`;
}

/** Money with a sign for flows: 172437 → "+$172K", -146161 → "−$146K". */
export function formatSignedMoney(value: number | null | undefined, currency: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  const text = formatMoneyCompact(Math.abs(value), currency);
  if (Math.round(value) === 0) return text;
  return value > 0 ? `+${text}` : `\u2212${text}`;
}

function tone(value: number | null | undefined): KpiFigure["tone"] {
  if (value === null || value === undefined || value === 0) return undefined;
  return value > 0 ? "positive" : "negative";
}

/** The first day of the month before `date`'s month: "2026-12-02" → "2026-11-01". */
function previousMonth(date: string): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  return m === 1 ? `${y - 1}-12-01` : `${y}-${String(m - 1).padStart(2, "0")}-01`;
}

/** The last full month of the series (the one before `as_of`'s month). */
export function lastFullMonth(summary: Summary): SeriesPoint | undefined {
  const month = previousMonth(summary.as_of);
  return summary.series.find((p) => p.month === month) ?? summary.series[summary.series.length - 2];
}

const monthFormat = new Intl.DateTimeFormat("en-US", {
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});

/** "2026-11-01" → "Nov 2026". */
export function formatMonth(month: string): string {
  const t = Date.parse(`${month.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(t) ? month : monthFormat.format(t);
}

function monthNote(point: SeriesPoint | undefined): string | undefined {
  if (!point) return undefined;
  return `${formatMonth(point.month)}${point.provisional ? " · provisional" : ""}`;
}

/** The leadership KPIs: seven with their 18-month series, and revenue at risk (today only). */
export function buildKpis(summary: Summary, currency: string): Kpi[] {
  const s = summary.series;
  const money = (v: number | null | undefined) => formatMoneyCompact(v, currency);
  const full = lastFullMonth(summary);
  const net = summary.net_new_arr_existing;
  return [
    {
      key: "arr",
      label: "ARR",
      value: money(summary.arr),
      definition:
        "ARR today: the annualised amount of every subscription line live today. MRR = ARR / 12.",
      figures: [{ label: "MRR", value: money(summary.mrr) }],
      trend: "ARR by month",
      kind: "money",
      values: s.map((p) => p.arr),
      color: ACCENT,
    },
    {
      key: "nrr",
      label: "NRR (TTM)",
      value: formatPercent(summary.nrr_ttm, 1),
      definition:
        "Net revenue retention over the twelve months ending this month: Σ cohort ending ARR / Σ cohort starting ARR (the cohort: accounts with ARR at the start).",
      figures: [],
      note: "twelve months to date · trend by month",
      trend: "NRR by month",
      kind: "ratio",
      values: s.map((p) => p.nrr),
      color: GREEN,
    },
    {
      key: "grr",
      label: "GRR (TTM)",
      value: formatPercent(summary.grr_ttm, 1),
      definition:
        "Gross revenue retention over the twelve months ending this month: Σ cohort min(ending ARR, starting ARR) / Σ cohort starting ARR.",
      figures: [],
      note: "twelve months to date · trend by month",
      trend: "GRR by month",
      kind: "ratio",
      values: s.map((p) => p.grr),
      color: TEAL,
    },
    {
      key: "logo_churn",
      label: "Logo churn (monthly)",
      value: formatPercent(summary.logo_churn_monthly, 1),
      definition:
        "Cohort accounts with ending ARR 0 / cohort accounts, in the last full month. Annualised: 1 − (1 − rate)^12.",
      figures: [{ label: "annualised", value: formatPercent(summary.logo_churn_annualised, 1) }],
      note: monthNote(full),
      trend: "Logo churn rate by month",
      kind: "ratio",
      values: s.map((p) => p.logo_churn_rate),
      color: RED,
    },
    {
      key: "revenue_churn",
      label: "Revenue churn (monthly)",
      value: formatPercent(summary.revenue_churn_monthly, 2),
      definition:
        "Gross revenue churn: (the cohort's churn + contraction in the month) / starting ARR; the mean of the last 12 full months.",
      figures: [],
      note: "mean of the last 12 full months",
      trend: "Revenue churn rate by month",
      kind: "ratio",
      values: s.map((p) => p.revenue_churn_rate),
      color: AMBER,
    },
    {
      key: "expansion",
      label: "Expansion ARR (monthly)",
      value: money(full?.expansion),
      definition:
        "Expansion ARR: seat + plan + cross-sell, in the last full month (ARR up on an active account).",
      figures: [],
      note: monthNote(full),
      trend: "Expansion ARR by month",
      kind: "money",
      values: s.map((p) => p.expansion),
      color: GREEN,
    },
    {
      key: "revenue_at_risk",
      label: "Revenue at risk",
      value: money(summary.revenue_at_risk),
      valueTitle: formatMoney(summary.revenue_at_risk, currency),
      definition: REVENUE_AT_RISK_DEFINITION,
      figures: [],
      note: "ARR × churn probability × saveable fraction, over active accounts",
      kind: "money",
      values: [],
      color: RED,
    },
    {
      key: "net_new",
      label: "Net new ARR, existing customers",
      value: formatSignedMoney(net.last_30_days, currency),
      definition:
        "Net new ARR from existing customers: expansion + reactivation − contraction − churn. The last 30 days (today included) vs the 30 before (MoM); the last 7 vs the 7 before (WoW).",
      figures: [
        {
          label: "MoM",
          value: formatChange(net.mom),
          title: `Previous 30 days ${formatSignedMoney(net.previous_30_days, currency)}`,
          tone: tone(net.mom),
        },
      ],
      secondary: [
        {
          label: "Last 7 days",
          value: formatSignedMoney(net.last_7_days, currency),
          tone: tone(net.last_7_days),
        },
        {
          label: "WoW",
          value: formatChange(net.wow),
          title: `Previous 7 days ${formatSignedMoney(net.previous_7_days, currency)}`,
          tone: tone(net.wow),
        },
      ],
      note: "last 30 days",
      trend: "Net new ARR from existing customers by month",
      kind: "money",
      values: s.map((p) => p.net_new_arr_existing),
      color: ACCENT,
      wide: true,
    },
  ];
}
