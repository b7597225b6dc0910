import { formatDate, formatScore } from "../../lib/format";
import type { ChartOption } from "../../ui/Chart";
import type { HealthHistory, HealthHistoryPoint } from "./queries";

/** Component score columns of a history point, in display order. */
export const HISTORY_COMPONENTS = [
  "usage",
  "support",
  "sentiment",
  "relationship",
  "commercial",
] as const satisfies readonly (keyof HealthHistoryPoint)[];
export type HistoryComponent = (typeof HISTORY_COMPONENTS)[number];

export const COMPONENT_COLORS: Record<HistoryComponent, string> = {
  usage: "#0ea5e9",
  support: "#f97316",
  sentiment: "#a855f7",
  relationship: "#14b8a6",
  commercial: "#64748b",
};

const HEALTH_COLOR = "#4f46e5";

/** Config versions that took over inside the range (not the one in force at its start). */
export function configChanges(history: HealthHistory) {
  const first = history.points[0]?.as_of;
  return history.config_markers.filter(
    (m) => m.first_scored_on !== null && first !== undefined && m.first_scored_on > first,
  );
}

/** Health score over time (thick), chosen components (thin), "config vN" markers. */
export function historyOption(
  history: HealthHistory,
  visible: readonly HistoryComponent[],
  labels: Partial<Record<HistoryComponent, string>>,
): ChartOption {
  const markers = configChanges(history);
  return {
    grid: { left: 36, right: 16, top: 28, bottom: 28 },
    tooltip: {
      trigger: "axis",
      valueFormatter: (v) => (typeof v === "number" ? formatScore(v) : "no data"),
    },
    legend: visible.length ? { top: 0, right: 0, itemWidth: 14, itemHeight: 8 } : { show: false },
    xAxis: {
      type: "time",
      minInterval: 86_400_000,
      axisLine: { lineStyle: { color: "#cfd4dc" } },
      axisLabel: { hideOverlap: true },
      splitLine: { show: false },
    },
    yAxis: {
      type: "value",
      min: 0,
      max: 100,
      interval: 25,
      splitLine: { lineStyle: { color: "#eef0f3" } },
    },
    series: [
      {
        type: "line",
        name: "Health",
        data: history.points.map((p) => [p.as_of, p.health_score]),
        symbol: "none",
        connectNulls: false,
        color: HEALTH_COLOR,
        lineStyle: { width: 2.5 },
        z: 3,
        markLine: markers.length
          ? {
              silent: true,
              symbol: "none",
              lineStyle: { type: "dashed", color: "#6b7280" },
              label: { formatter: "{b}", position: "insideEndTop", color: "#374151", fontSize: 11 },
              data: markers.map((m) => ({
                name: `config v${m.version}`,
                xAxis: m.first_scored_on ?? "",
              })),
            }
          : undefined,
      },
      ...visible.map((c) => ({
        type: "line" as const,
        name: labels[c] ?? c,
        data: history.points.map((p) => [p.as_of, p[c]]),
        symbol: "none",
        color: COMPONENT_COLORS[c],
        lineStyle: { width: 1.25 },
      })),
    ],
  };
}

/** Accessible summary of the chart (the canvas itself says nothing to screen readers). */
export function historyLabel(history: HealthHistory): string {
  const scored = history.points.filter((p) => p.health_score !== null);
  const first = scored[0];
  const last = scored[scored.length - 1];
  if (!first || !last) return "Health history: no scores in this period";
  return `Health history from ${formatDate(first.as_of)} (${formatScore(first.health_score)}) to ${formatDate(last.as_of)} (${formatScore(last.health_score)})`;
}
