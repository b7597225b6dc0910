import { formatInteger, formatMoney, formatMoneyCompact, formatScore } from "../../lib/format";
import { escapeHtml } from "../../lib/html";
import type { ChartOption } from "../../ui/Chart";
import { bandLabel, QUADRANT_KEYS, QUADRANTS, type Quadrant } from "../../ui/health";
import type { QuadrantHistory, QuadrantView } from "./queries";
import type { Measure } from "./searchState";

const DAY_MS = 86_400_000;
const AXIS_LINE = { lineStyle: { color: "#cfd4dc" } };
const SPLIT_LINE = { lineStyle: { color: "#eef0f3" } };

/** Bubble diameter in px: area ∝ ARR (diameter ∝ √ARR), 4–28 px. */
export function bubbleSize(arr: number, maxArr: number): number {
  if (!(maxArr > 0) || !(arr > 0)) return 4;
  return 4 + 24 * Math.sqrt(arr / maxArr);
}

/**
 * Usage (x) against health (y), one series per quadrant so the legend toggles them; each
 * datum is [usage, health, size, index into `view.points`] for tooltips and clicks.
 */
export function scatterOption(view: QuadrantView, currency: string): ChartOption {
  const maxArr = view.points.reduce((m, p) => Math.max(m, p.arr), 0);
  const byQuadrant = new Map<Quadrant, [number, number, number, number][]>(
    QUADRANT_KEYS.map((q) => [q, []]),
  );
  view.points.forEach((p, i) => {
    byQuadrant.get(p.quadrant)?.push([p.usage_axis, p.health_axis, bubbleSize(p.arr, maxArr), i]);
  });
  const { usage, health, hysteresis } = view.cutoffs;
  const many = view.points.length > 5000;

  return {
    animation: !many,
    grid: { left: 48, right: 24, top: 40, bottom: 44 },
    legend: {
      top: 0,
      left: 0,
      itemWidth: 10,
      itemHeight: 10,
      icon: "circle",
      data: QUADRANT_KEYS.map((q) => QUADRANTS[q].label),
    },
    tooltip: {
      trigger: "item",
      confine: true,
      formatter: (params) => {
        const value = (params as { value?: unknown }).value;
        const index = Array.isArray(value) ? Number(value[3]) : -1;
        const p = view.points[index];
        if (!p) return "";
        const score = formatScore(p.health_score);
        return [
          `<strong>${escapeHtml(p.name)}</strong>`,
          `ARR ${escapeHtml(formatMoney(p.arr, currency))}`,
          `Health ${score} ${p.band ? `(${escapeHtml(bandLabel(p.band))})` : ""}`,
          `Usage axis ${formatScore(p.usage_axis)} · health axis ${formatScore(p.health_axis)}`,
        ].join("<br>");
      },
    },
    xAxis: {
      type: "value",
      min: 0,
      max: 100,
      name: "Usage",
      nameLocation: "middle",
      nameGap: 26,
      axisLine: AXIS_LINE,
      splitLine: SPLIT_LINE,
    },
    yAxis: {
      type: "value",
      min: 0,
      max: 100,
      name: "Health",
      nameLocation: "middle",
      nameGap: 32,
      axisLine: AXIS_LINE,
      splitLine: SPLIT_LINE,
    },
    series: [
      ...QUADRANT_KEYS.map((q) => ({
        type: "scatter" as const,
        name: QUADRANTS[q].label,
        data: byQuadrant.get(q) ?? [],
        symbolSize: (value: number[]) => value[2] ?? 4,
        itemStyle: {
          color: QUADRANTS[q].color,
          opacity: many ? 0.5 : 0.65,
          borderColor: "#ffffff",
          borderWidth: many ? 0 : 0.5,
        },
        emphasis: { scale: 1.4, itemStyle: { opacity: 1, borderColor: "#111827", borderWidth: 1 } },
        progressive: 2000,
      })),
      {
        // Cutoffs: dashed lines, with the hysteresis band (accounts there keep their quadrant).
        type: "scatter" as const,
        name: "Cutoffs",
        data: [],
        silent: true,
        markLine: {
          silent: true,
          symbol: "none",
          lineStyle: { type: "dashed", color: "#6b7280", width: 1 },
          label: { color: "#6b7280", fontSize: 11 },
          data: [
            {
              xAxis: usage,
              label: { formatter: `usage ${formatScore(usage)}`, position: "end" },
            },
            {
              yAxis: health,
              label: { formatter: `health ${formatScore(health)}`, position: "insideEndTop" },
            },
          ],
        },
        markArea:
          hysteresis > 0
            ? {
                silent: true,
                itemStyle: { color: "rgba(107, 114, 128, 0.06)" },
                data: [
                  [{ xAxis: usage - hysteresis }, { xAxis: usage + hysteresis }],
                  [{ yAxis: health - hysteresis }, { yAxis: health + hysteresis }],
                ],
              }
            : undefined,
      },
    ],
  };
}

/** Stacked areas of accounts (or ARR) per quadrant over time. */
export function distributionOption(
  history: QuadrantHistory,
  measure: Measure,
  currency: string,
): ChartOption {
  const fmt = (v: number) =>
    measure === "arr" ? formatMoneyCompact(v, currency) : formatInteger(v);
  // Churn risk at the bottom, champions on top.
  const stackOrder = [...QUADRANT_KEYS].reverse();
  return {
    grid: { left: 56, right: 16, top: 64, bottom: 28 },
    legend: {
      top: 0,
      left: 0,
      itemWidth: 10,
      itemHeight: 10,
      icon: "roundRect",
      data: QUADRANT_KEYS.map((q) => QUADRANTS[q].label),
    },
    tooltip: {
      trigger: "axis",
      valueFormatter: (v) => (typeof v === "number" ? fmt(v) : String(v ?? "")),
    },
    xAxis: { type: "time", minInterval: DAY_MS, axisLine: AXIS_LINE, splitLine: { show: false } },
    yAxis: {
      type: "value",
      axisLabel: { formatter: (v: number) => fmt(v) },
      splitLine: SPLIT_LINE,
    },
    series: stackOrder.map((q) => ({
      type: "line" as const,
      name: QUADRANTS[q].label,
      stack: "total",
      symbol: "none",
      color: QUADRANTS[q].color,
      lineStyle: { width: 1 },
      areaStyle: { opacity: 0.75 },
      emphasis: { focus: "series" as const },
      data: history.series.map((p) => [p.as_of, (measure === "arr" ? p.arr[q] : p.counts[q]) ?? 0]),
    })),
  };
}
