/** Pure ECharts option builders of the Cohorts view. */
import {
  formatInteger,
  formatMoney,
  formatMoneyCompact,
  formatNumber,
  formatPercent,
  humanize,
} from "../../lib/format";
import { escapeHtml } from "../../lib/html";
import type { ChartOption } from "../../ui/Chart";
import { quadrantLabel } from "../../ui/health";
import type { Curve } from "./cohortMath";
import type { Driver, Rate, TimeToValue } from "./queries";
import type { DriverDimension, RetentionMetric } from "./searchState";

const AXIS_LINE = { lineStyle: { color: "#cfd4dc" } };
const SPLIT_LINE = { lineStyle: { color: "#eef0f3" } };
const ACCENT = "#4f46e5";
const TEAL = "#14b8a6";
const RANGE = "#c7d2fe";
/** Line colours of cohort groups, in order of group size. */
export const PALETTE = [
  "#4f46e5",
  "#14b8a6",
  "#f97316",
  "#0ea5e9",
  "#a855f7",
  "#e11d48",
  "#65a30d",
];

const pct = (v: unknown) => (typeof v === "number" ? formatPercent(v, 0) : "no data");

/** Retention by age (months), one line per curve; revenue retention gets a 100% reference. */
export function curvesOption(curves: Curve[], metric: RetentionMetric): ChartOption {
  const ages = curves[0]?.points.map((p) => p.age) ?? [];
  return {
    grid: { left: 48, right: 16, top: curves.length > 1 ? 36 : 16, bottom: 40 },
    legend: curves.length > 1 ? { top: 0, left: 0, itemWidth: 14, itemHeight: 8 } : undefined,
    tooltip: { trigger: "axis", valueFormatter: (v) => pct(v) },
    xAxis: {
      type: "category",
      data: ages.map(String),
      name: "Months since the first month",
      nameLocation: "middle",
      nameGap: 26,
      boundaryGap: false,
      axisLine: AXIS_LINE,
      axisTick: { show: false },
    },
    yAxis: {
      type: "value",
      min: metric === "logo" ? 0 : undefined,
      max: metric === "logo" ? 1 : undefined,
      scale: metric === "revenue",
      axisLabel: { formatter: (v: number) => formatPercent(v, 0) },
      splitLine: SPLIT_LINE,
    },
    series: curves.map((c, i) => ({
      type: "line" as const,
      name: c.name,
      data: c.points.map((p) => p.value),
      color: PALETTE[i % PALETTE.length],
      symbolSize: 4,
      lineStyle: { width: 2 },
      connectNulls: false,
      markLine:
        metric === "revenue" && i === 0
          ? {
              silent: true,
              symbol: "none",
              lineStyle: { type: "dashed", color: "#9ca3af", width: 1 },
              label: { show: false },
              data: [{ yAxis: 1 }],
            }
          : undefined,
    })),
  };
}

export function curvesLabel(curves: Curve[], metric: RetentionMetric): string {
  const what = metric === "logo" ? "Logo retention" : "Revenue retention";
  const parts = curves.map((c) => {
    const last = [...c.points].reverse().find((p) => p.value !== null);
    return last ? `${c.name} ${pct(last.value)} at month ${last.age}` : `${c.name} no data`;
  });
  return `${what} by months since the first month: ${parts.join("; ")}`;
}

/** How a churn driver reads: quadrant keys become their names, reasons and kinds sentences. */
export function driverLabel(dimension: DriverDimension, driver: string): string {
  if (dimension === "quadrant")
    return driver === "not scored" ? "Not scored" : quadrantLabel(driver);
  if (dimension === "reason" || dimension === "kind") return humanize(driver);
  return driver;
}

/** Largest lost ARR first, then most churns. */
export function rankDrivers(drivers: Driver[]): Driver[] {
  return [...drivers].sort((a, b) => b.lost_arr - a.lost_arr || b.churns - a.churns);
}

/** Horizontal bars of lost ARR, largest on top, each labelled with its ARR and churn count. */
export function driversOption(
  drivers: Driver[],
  dimension: DriverDimension,
  currency: string,
): ChartOption {
  const ranked = rankDrivers(drivers);
  return {
    grid: { left: 8, right: 110, top: 8, bottom: 8, containLabel: true },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      formatter: (params) => {
        const first = Array.isArray(params) ? params[0] : params;
        const d = ranked[first?.dataIndex ?? -1];
        if (!d) return "";
        return `<strong>${escapeHtml(driverLabel(dimension, d.driver))}</strong><br>${escapeHtml(
          formatMoney(d.lost_arr, currency),
        )} lost ARR · ${formatInteger(d.churns)} ${d.churns === 1 ? "churn" : "churns"}`;
      },
    },
    xAxis: {
      type: "value",
      axisLabel: { formatter: (v: number) => formatMoneyCompact(v, currency) },
      splitLine: SPLIT_LINE,
    },
    yAxis: {
      type: "category",
      inverse: true,
      data: ranked.map((d) => driverLabel(dimension, d.driver)),
      axisLine: AXIS_LINE,
      axisTick: { show: false },
    },
    series: [
      {
        type: "bar",
        name: "Lost ARR",
        data: ranked.map((d) => d.lost_arr),
        color: "#dc3b3b",
        barMaxWidth: 22,
        label: {
          show: true,
          position: "right",
          color: "#4b5563",
          formatter: (p: { dataIndex: number }) => {
            const d = ranked[p.dataIndex];
            return d
              ? `${formatMoneyCompact(d.lost_arr, currency)} · ${formatInteger(d.churns)}`
              : "";
          },
        },
      },
    ],
  };
}

export function driversLabel(drivers: Driver[], dimension: DriverDimension, currency: string) {
  const top = rankDrivers(drivers)
    .slice(0, 3)
    .map((d) => `${driverLabel(dimension, d.driver)} ${formatMoneyCompact(d.lost_arr, currency)}`);
  return `Lost ARR by churn driver, largest first: ${top.join(", ")}`;
}

const days = (v: number | null | undefined) =>
  v === null || v === undefined ? "—" : `${formatNumber(v, 0)} d`;
const orDash = (v: number | null) => (v === null ? "-" : v);

/**
 * Per segment: the p25–p75 range of days to first value (a floating bar), the median (dot)
 * and the median days to onboarding completed (diamond).
 */
export function timeToValueOption(rows: TimeToValue[]): ChartOption {
  return {
    grid: { left: 8, right: 24, top: 32, bottom: 28, containLabel: true },
    legend: {
      top: 0,
      left: 0,
      itemWidth: 12,
      itemHeight: 8,
      data: ["p25–p75 to first value", "Median to first value", "Median to onboarded"],
    },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      formatter: (params) => {
        const first = Array.isArray(params) ? params[0] : params;
        const r = rows[first?.dataIndex ?? -1];
        if (!r) return "";
        return [
          `<strong>${escapeHtml(r.segment)}</strong> · ${formatInteger(r.accounts)} accounts`,
          `First value: median ${days(r.median_days)} (p25 ${days(r.p25_days)}, p75 ${days(r.p75_days)})`,
          `Onboarded: median ${days(r.median_onboarding_days)}`,
        ].join("<br>");
      },
    },
    xAxis: {
      type: "value",
      min: 0,
      name: "days since signup",
      nameLocation: "middle",
      nameGap: 24,
      splitLine: SPLIT_LINE,
    },
    yAxis: {
      type: "category",
      inverse: true,
      data: rows.map((r) => r.segment),
      axisLine: AXIS_LINE,
      axisTick: { show: false },
    },
    series: [
      {
        type: "bar",
        name: "p25",
        stack: "range",
        silent: true,
        itemStyle: { color: "transparent" },
        data: rows.map((r) => (r.p25_days === null || r.p75_days === null ? "-" : r.p25_days)),
        barMaxWidth: 18,
      },
      {
        type: "bar",
        name: "p25–p75 to first value",
        stack: "range",
        color: RANGE,
        data: rows.map((r) =>
          r.p25_days === null || r.p75_days === null ? "-" : r.p75_days - r.p25_days,
        ),
        barMaxWidth: 18,
      },
      {
        type: "scatter",
        name: "Median to first value",
        color: ACCENT,
        symbolSize: 11,
        data: rows.map((r) => orDash(r.median_days)),
      },
      {
        type: "scatter",
        name: "Median to onboarded",
        color: TEAL,
        symbol: "diamond",
        symbolSize: 12,
        data: rows.map((r) => orDash(r.median_onboarding_days)),
      },
    ],
  };
}

export function timeToValueLabel(rows: TimeToValue[]): string {
  const parts = rows.map(
    (r) =>
      `${r.segment} median ${days(r.median_days)}, onboarded ${days(r.median_onboarding_days)}`,
  );
  return `Days from signup to first value by segment: ${parts.join("; ")}`;
}

export const TIER_NAMES: Record<string, string> = {
  low: "Low usage",
  medium: "Medium usage",
  high: "High usage",
};
const TIER_COLORS: Record<string, string> = { low: "#dc3b3b", medium: "#e0a21b", high: "#22a35a" };

/** Churn rate per usage tier, bars labelled with the rate. */
export function engagementOption(tiers: Rate[]): ChartOption {
  return {
    grid: { left: 44, right: 16, top: 24, bottom: 28 },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      formatter: (params) => {
        const first = Array.isArray(params) ? params[0] : params;
        const t = tiers[first?.dataIndex ?? -1];
        if (!t) return "";
        return `<strong>${escapeHtml(TIER_NAMES[t.label] ?? t.label)}</strong><br>${formatInteger(
          t.churned,
        )} of ${formatInteger(t.outcomes)} churned (${pct(t.churn_rate)})`;
      },
    },
    xAxis: {
      type: "category",
      data: tiers.map((t) => TIER_NAMES[t.label] ?? t.label),
      axisLine: AXIS_LINE,
      axisTick: { show: false },
    },
    yAxis: {
      type: "value",
      min: 0,
      axisLabel: { formatter: (v: number) => formatPercent(v, 0) },
      splitLine: SPLIT_LINE,
    },
    series: [
      {
        type: "bar",
        name: "Churn rate",
        barMaxWidth: 56,
        data: tiers.map((t) => ({
          value: t.churn_rate ?? "-",
          itemStyle: { color: TIER_COLORS[t.label] ?? ACCENT },
        })),
        label: { show: true, position: "top", formatter: (p: { value: unknown }) => pct(p.value) },
      },
    ],
  };
}

export function engagementLabel(tiers: Rate[]): string {
  const parts = tiers.map((t) => `${TIER_NAMES[t.label] ?? t.label} ${pct(t.churn_rate)}`);
  return `Churn rate by usage tier: ${parts.join(", ")}`;
}
