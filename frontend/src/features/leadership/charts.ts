import { formatMoney, formatMoneyCompact, formatPercent } from "../../lib/format";
import { escapeHtml } from "../../lib/html";
import type { ChartOption } from "../../ui/Chart";
import { formatMonth, formatSignedMoney, type ValueKind } from "./kpis";
import type { Period } from "./queries";
import type { Interval } from "./searchState";

const AXIS_LINE = { lineStyle: { color: "#cfd4dc" } };
const SPLIT_LINE = { lineStyle: { color: "#eef0f3" } };

/** Provisional points are drawn lighter (bars) or dashed (lines). */
const PROVISIONAL_OPACITY = 0.4;

export const MOVEMENT_COLORS = {
  new: "#4f46e5",
  expansion: "#22a35a",
  reactivation: "#14b8a6",
  contraction: "#e0a21b",
  churn: "#dc3b3b",
  fx: "#8b5cf6",
  ending: "#374151",
} as const;

export function formatValue(value: number | null | undefined, kind: ValueKind, currency: string) {
  return kind === "money" ? formatMoneyCompact(value, currency) : formatPercent(value, 1);
}

/**
 * A line split in two: solid up to the last settled point, dashed from there over the
 * provisional ones (both share the joining point so the line is continuous).
 */
export function splitProvisional<T>(values: T[], provisional: boolean[]) {
  const first = provisional.indexOf(true);
  const cut = first === -1 ? values.length : first;
  return {
    settled: values.map((v, i) => (i < cut ? v : null)),
    provisional: values.map((v, i) => (first !== -1 && i >= Math.max(0, cut - 1) ? v : null)),
  };
}

/** An 18-month sparkline: no axes, the month and value in the tooltip. */
export function sparklineOption({
  months,
  values,
  provisional,
  kind,
  color,
  currency,
}: {
  months: string[];
  values: (number | null)[];
  provisional: boolean[];
  kind: ValueKind;
  color: string;
  currency: string;
}): ChartOption {
  const split = splitProvisional(values, provisional);
  return {
    animation: false,
    grid: { left: 2, right: 2, top: 4, bottom: 4 },
    tooltip: {
      trigger: "axis",
      confine: true,
      axisPointer: { type: "line", lineStyle: { color: "#cfd4dc" } },
      formatter: (params) => {
        const list = Array.isArray(params) ? params : [params];
        const index = list[0]?.dataIndex ?? -1;
        const month = months[index];
        if (month === undefined) return "";
        const note = provisional[index] ? " <em>(provisional)</em>" : "";
        return `${escapeHtml(formatMonth(month))}: <strong>${escapeHtml(
          formatValue(values[index], kind, currency),
        )}</strong>${note}`;
      },
    },
    xAxis: { type: "category", show: false, boundaryGap: false, data: months },
    yAxis: { type: "value", show: false, scale: true },
    series: [
      {
        type: "line",
        name: "settled",
        data: split.settled,
        symbol: "none",
        color,
        lineStyle: { width: 1.75 },
        areaStyle: { opacity: 0.08 },
      },
      {
        type: "line",
        name: "provisional",
        data: split.provisional,
        symbol: "none",
        color,
        lineStyle: { width: 1.75, type: "dashed", opacity: 0.55 },
      },
    ],
  };
}

const quarterOf = (date: string) => Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1;

/** The last month of a period (its end is exclusive). */
function lastMonth(period: Period): string {
  const y = Number(period.period_end.slice(0, 4));
  const m = Number(period.period_end.slice(5, 7));
  return m === 1 ? `${y - 1}-12-01` : `${y}-${String(m - 1).padStart(2, "0")}-01`;
}

/** "Jul 2025", "Q3 2025", or for TTM the twelve months' end "TTM Jul 2025". */
export function periodLabel(period: Period, interval: Interval): string {
  if (interval === "quarter") {
    return `Q${quarterOf(period.period_start)} ${period.period_start.slice(0, 4)}`;
  }
  if (interval === "ttm") return `TTM ${formatMonth(lastMonth(period))}`;
  return formatMonth(period.period_start);
}

/** The period's full span for tables and tooltips: "Aug 2024 – Jul 2025". */
export function periodSpan(period: Period, interval: Interval): string {
  if (interval === "month") return formatMonth(period.period_start);
  return `${formatMonth(period.period_start)} – ${formatMonth(lastMonth(period))}`;
}

export function expansionOf(period: Period): number {
  const e = period.expansion;
  return e.seat + e.plan + e.cross_sell;
}

export function churnOf(period: Period): number {
  return period.churn.voluntary + period.churn.involuntary;
}

/** ARR moved by exchange rates (gains − losses, signed); 0 from a server that predates it. */
export function fxOf(period: Period): number {
  return period.fx ?? 0;
}

function bars(values: number[], periods: Period[]) {
  return values.map((value, i) =>
    periods[i]?.provisional ? { value, itemStyle: { opacity: PROVISIONAL_OPACITY } } : value,
  );
}

/**
 * ARR movements per period: new, expansion and reactivation up; contraction and churn down;
 * FX (exchange rates) either way (stacked bars, left axis), so the bars add up from starting
 * to ending ARR; and ending ARR as a line (right axis).
 */
export function movementsOption(
  periods: Period[],
  interval: Interval,
  currency: string,
): ChartOption {
  const labels = periods.map((p) => periodLabel(p, interval));
  const ending = splitProvisional(
    periods.map((p) => p.ending_arr),
    periods.map((p) => p.provisional),
  );
  const compact = (v: number) => formatMoneyCompact(v, currency);
  const flows = [
    { name: "New", color: MOVEMENT_COLORS.new, values: periods.map((p) => p.new) },
    {
      name: "Expansion",
      color: MOVEMENT_COLORS.expansion,
      values: periods.map(expansionOf),
    },
    {
      name: "Reactivation",
      color: MOVEMENT_COLORS.reactivation,
      values: periods.map((p) => p.reactivation),
    },
    {
      name: "Contraction",
      color: MOVEMENT_COLORS.contraction,
      values: periods.map((p) => -p.contraction),
    },
    { name: "Churn", color: MOVEMENT_COLORS.churn, values: periods.map((p) => -churnOf(p)) },
    { name: "FX", color: MOVEMENT_COLORS.fx, values: periods.map(fxOf) },
  ];
  return {
    grid: { left: 60, right: 64, top: 40, bottom: 28 },
    legend: {
      top: 0,
      left: 0,
      itemWidth: 10,
      itemHeight: 10,
      data: [...flows.map((f) => f.name), "Ending ARR"],
    },
    tooltip: {
      trigger: "axis",
      confine: true,
      axisPointer: { type: "shadow" },
      formatter: (params) => {
        const list = Array.isArray(params) ? params : [params];
        const index = list[0]?.dataIndex ?? -1;
        const p = periods[index];
        if (!p) return "";
        const rows = [
          `<strong>${escapeHtml(periodSpan(p, interval))}</strong>${
            p.partial ? " <em>(to date)</em>" : p.provisional ? " <em>(provisional)</em>" : ""
          }`,
          `Starting ARR ${escapeHtml(formatMoney(p.starting_arr, currency))}`,
          ...flows.map(
            (f) =>
              `<span style="color:${f.color}">●</span> ${f.name} ${escapeHtml(
                formatSignedMoney(f.values[index] ?? 0, currency),
              )}`,
          ),
          `Ending ARR <strong>${escapeHtml(formatMoney(p.ending_arr, currency))}</strong>`,
        ];
        return rows.join("<br>");
      },
    },
    xAxis: {
      type: "category",
      data: labels,
      axisLine: AXIS_LINE,
      axisTick: { show: false },
      axisLabel: { hideOverlap: true },
    },
    yAxis: [
      {
        type: "value",
        name: "Movements",
        nameTextStyle: { fontSize: 11, color: "#6b7280", align: "left" },
        axisLabel: { formatter: compact },
        splitLine: SPLIT_LINE,
      },
      {
        type: "value",
        name: "Ending ARR",
        nameTextStyle: { fontSize: 11, color: "#6b7280", align: "right" },
        scale: true,
        axisLabel: { formatter: compact },
        splitLine: { show: false },
      },
    ],
    series: [
      ...flows.map((f) => ({
        type: "bar" as const,
        name: f.name,
        stack: "flows",
        color: f.color,
        barMaxWidth: 36,
        emphasis: { focus: "series" as const },
        data: bars(f.values, periods),
      })),
      {
        type: "line" as const,
        name: "Ending ARR",
        yAxisIndex: 1,
        color: MOVEMENT_COLORS.ending,
        symbolSize: 5,
        lineStyle: { width: 2 },
        data: ending.settled,
      },
      {
        type: "line" as const,
        name: "Ending ARR",
        yAxisIndex: 1,
        color: MOVEMENT_COLORS.ending,
        symbolSize: 5,
        lineStyle: { width: 2, type: "dashed" as const, opacity: 0.55 },
        itemStyle: { opacity: 0.55 },
        data: ending.provisional,
      },
    ],
  };
}

export function movementsLabel(periods: Period[], interval: Interval, currency: string): string {
  const first = periods[0];
  const last = periods[periods.length - 1];
  if (!first || !last) return "ARR movements: no periods";
  return `ARR movements by ${interval === "ttm" ? "trailing twelve months" : interval} from ${periodLabel(first, interval)} to ${periodLabel(last, interval)}; ending ARR from ${formatMoney(first.ending_arr, currency)} to ${formatMoney(last.ending_arr, currency)}`;
}
