/** Pure ECharts option builders of the Product view. */
import { formatInteger, formatNumber, formatPercent, formatSigned } from "../../lib/format";
import { escapeHtml } from "../../lib/html";
import type { ChartOption } from "../../ui/Chart";
import { QUADRANT_KEYS, QUADRANTS, quadrantLabel } from "../../ui/health";
import { quarterLabel } from "./periods";
import type { FeatureAdoption, FeatureByQuadrant, QuarterChurn } from "./queries";
import type { DaysBefore } from "./searchState";

const AXIS_LINE = { lineStyle: { color: "#cfd4dc" } };
const SPLIT_LINE = { lineStyle: { color: "#eef0f3" } };
const RENEWED = "#22a35a";
const CHURNED = "#dc3b3b";
const GAP = "#d1d5db";
const PERCENT_AXIS = {
  type: "value" as const,
  min: 0,
  axisLabel: { formatter: (v: number) => formatPercent(v, 0) },
  splitLine: SPLIT_LINE,
};

const pct = (v: number | null | undefined) => formatPercent(v, 0);
const dash = (v: number | null | undefined) => (v === null || v === undefined ? "-" : v);
/** Core features carry a star in chart labels. */
export const featureName = (f: { name: string; is_core: boolean }) =>
  f.is_core ? `${f.name} ★` : f.name;

/** Grouped bars: churn rate of each quadrant, per quarter of the outcome. */
export function quadrantChurnOption(quarters: QuarterChurn[]): ChartOption {
  return {
    grid: { left: 44, right: 16, top: 56, bottom: 28 },
    legend: { top: 0, left: 0, itemWidth: 10, itemHeight: 10, icon: "roundRect" },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      formatter: (params) => {
        const first = Array.isArray(params) ? params[0] : params;
        const q = quarters[first?.dataIndex ?? -1];
        if (!q) return "";
        const lines = q.quadrants.map((r) => {
          const ratio =
            r.ratio_to_champions === null || r.ratio_to_champions === undefined
              ? ""
              : ` · ${formatNumber(r.ratio_to_champions, 1)}× Champions`;
          return `${escapeHtml(quadrantLabel(r.label))}: ${pct(r.churn_rate)} (${formatInteger(
            r.churned,
          )} of ${formatInteger(r.outcomes)})${ratio}`;
        });
        return [`<strong>${quarterLabel(q.quarter)}</strong>`, ...lines].join("<br>");
      },
    },
    xAxis: {
      type: "category",
      data: quarters.map((q) => quarterLabel(q.quarter)),
      axisLine: AXIS_LINE,
      axisTick: { show: false },
    },
    yAxis: PERCENT_AXIS,
    series: QUADRANT_KEYS.map((key) => ({
      type: "bar" as const,
      name: QUADRANTS[key].label,
      color: QUADRANTS[key].color,
      barMaxWidth: 18,
      data: quarters.map((q) => dash(q.quadrants.find((r) => r.label === key)?.churn_rate)),
    })),
  };
}

export function quadrantChurnLabel(quarters: QuarterChurn[]): string {
  const last = quarters[quarters.length - 1];
  if (!last) return "Churn rate by quadrant per quarter: no data";
  const parts = last.quadrants.map((r) => `${quadrantLabel(r.label)} ${pct(r.churn_rate)}`);
  return `Churn rate by quadrant per quarter; ${quarterLabel(last.quarter)}: ${parts.join(", ")}`;
}

export function shareIn(feature: FeatureByQuadrant, quadrant: string): number | null {
  return feature.quadrants.find((q) => q.quadrant === quadrant)?.share ?? null;
}

/** Champions minus Frustrated Power Users share, largest gap first (no gap last). */
export function sortByGap(features: FeatureByQuadrant[]): FeatureByQuadrant[] {
  const gap = (f: FeatureByQuadrant) => f.champions_vs_frustrated ?? Number.NEGATIVE_INFINITY;
  return [...features].sort((a, b) => gap(b) - gap(a) || a.name.localeCompare(b.name));
}

/**
 * Dumbbells: per feature (largest gap on top), the share of Champions and of Frustrated
 * Power Users that used it in 28 days, joined by a bar spanning the gap.
 */
export function featuresOption(features: FeatureByQuadrant[]): ChartOption {
  const rows = sortByGap(features);
  const champions = rows.map((f) => shareIn(f, "champions"));
  const frustrated = rows.map((f) => shareIn(f, "frustrated_power_users"));
  const both = (i: number) => champions[i] !== null && frustrated[i] !== null;
  return {
    grid: { left: 8, right: 24, top: 32, bottom: 24, containLabel: true },
    legend: {
      top: 0,
      left: 0,
      itemWidth: 10,
      itemHeight: 10,
      data: [QUADRANTS.champions.label, QUADRANTS.frustrated_power_users.label],
    },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      formatter: (params) => {
        const first = Array.isArray(params) ? params[0] : params;
        const f = rows[first?.dataIndex ?? -1];
        if (!f) return "";
        const gap = f.champions_vs_frustrated;
        return [
          `<strong>${escapeHtml(f.name)}</strong>${f.is_core ? " · core" : ""}`,
          ...f.quadrants.map(
            (q) =>
              `${escapeHtml(quadrantLabel(q.quadrant))}: ${pct(q.share)} of ${formatInteger(q.accounts)}`,
          ),
          gap === null ? "" : `Gap ${formatSigned(gap * 100, 0)} pts`,
        ].join("<br>");
      },
    },
    xAxis: { ...PERCENT_AXIS, max: 1 },
    yAxis: {
      type: "category",
      inverse: true,
      data: rows.map(featureName),
      axisLine: AXIS_LINE,
      axisTick: { show: false },
    },
    series: [
      {
        type: "bar",
        name: "from",
        stack: "gap",
        silent: true,
        itemStyle: { color: "transparent" },
        barWidth: 4,
        data: rows.map((_, i) => (both(i) ? Math.min(champions[i] ?? 0, frustrated[i] ?? 0) : "-")),
      },
      {
        type: "bar",
        name: "gap",
        stack: "gap",
        silent: true,
        color: GAP,
        barWidth: 4,
        data: rows.map((_, i) =>
          both(i) ? Math.abs((champions[i] ?? 0) - (frustrated[i] ?? 0)) : "-",
        ),
      },
      {
        type: "scatter",
        name: QUADRANTS.champions.label,
        color: QUADRANTS.champions.color,
        symbolSize: 11,
        data: champions.map(dash),
      },
      {
        type: "scatter",
        name: QUADRANTS.frustrated_power_users.label,
        color: QUADRANTS.frustrated_power_users.color,
        symbolSize: 11,
        data: frustrated.map(dash),
      },
    ],
  };
}

export function featuresLabel(features: FeatureByQuadrant[]): string {
  const top = sortByGap(features)
    .slice(0, 3)
    .map(
      (f) =>
        `${f.name} ${pct(shareIn(f, "champions"))} vs ${pct(shareIn(f, "frustrated_power_users"))}`,
    );
  return `Share of Champions vs Frustrated Power Users using each feature, largest gap first: ${top.join(", ")}`;
}

export interface AdoptionRow {
  feature: FeatureAdoption;
  renewed: number | null;
  churned: number | null;
}

/** Each feature's renewed and churned share `days` before renewal, largest lead first. */
export function adoptionRows(features: FeatureAdoption[], days: DaysBefore): AdoptionRow[] {
  const rows = features.map((feature) => {
    const w = feature.windows.find((x) => x.days_before === days);
    return { feature, renewed: w?.renewed_share ?? null, churned: w?.churned_share ?? null };
  });
  const lead = (r: AdoptionRow) =>
    r.renewed === null || r.churned === null ? Number.NEGATIVE_INFINITY : r.renewed - r.churned;
  return rows.sort((a, b) => lead(b) - lead(a) || a.feature.name.localeCompare(b.feature.name));
}

/** Grouped horizontal bars: share of renewed vs churned accounts using each feature. */
export function adoptionOption(features: FeatureAdoption[], days: DaysBefore): ChartOption {
  const rows = adoptionRows(features, days);
  return {
    grid: { left: 8, right: 24, top: 32, bottom: 24, containLabel: true },
    legend: { top: 0, left: 0, itemWidth: 10, itemHeight: 10, icon: "roundRect" },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      valueFormatter: (v) => (typeof v === "number" ? pct(v) : "no data"),
    },
    xAxis: { ...PERCENT_AXIS, max: 1 },
    yAxis: {
      type: "category",
      inverse: true,
      data: rows.map((r) => featureName(r.feature)),
      axisLine: AXIS_LINE,
      axisTick: { show: false },
    },
    series: [
      {
        type: "bar",
        name: "Renewed",
        color: RENEWED,
        barMaxWidth: 10,
        data: rows.map((r) => dash(r.renewed)),
      },
      {
        type: "bar",
        name: "Churned",
        color: CHURNED,
        barMaxWidth: 10,
        data: rows.map((r) => dash(r.churned)),
      },
    ],
  };
}

export function adoptionLabel(features: FeatureAdoption[], days: DaysBefore): string {
  const top = adoptionRows(features, days)
    .slice(0, 3)
    .map((r) => `${r.feature.name} ${pct(r.renewed)} vs ${pct(r.churned)}`);
  return `Share of renewed vs churned accounts using each feature ${days} days before renewal: ${top.join(", ")}`;
}
