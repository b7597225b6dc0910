import { formatInteger, formatPercent } from "../../lib/format";
import { escapeHtml } from "../../lib/html";
import type { ChartOption } from "../../ui/Chart";
import { formatShare, rankedFillRates } from "./hygiene";
import type { HygieneFillRate } from "./queries";

const AXIS_LINE = { lineStyle: { color: "#cfd4dc" } };
const SPLIT_LINE = { lineStyle: { color: "#eef0f3" } };
const GOOD = "#22a35a";
const SHORT = "#e0a21b";

/** Horizontal bars of fill rate, lowest first; bars under their threshold in amber. */
export function fillRatesOption(fills: HygieneFillRate[]): ChartOption {
  const ranked = rankedFillRates(fills);
  const threshold = ranked[0]?.threshold ?? 0.9;
  return {
    grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      formatter: (params) => {
        const first = Array.isArray(params) ? params[0] : params;
        const f = ranked[first?.dataIndex ?? -1];
        if (!f) return "";
        return `<strong>${escapeHtml(f.label)}</strong><br>${formatPercent(f.rate, 1)} filled: ${formatInteger(
          f.filled,
        )} of ${formatInteger(f.total)}<br>${escapeHtml(f.definition)}`;
      },
      extraCssText: "max-width: 320px; white-space: normal;",
    },
    xAxis: {
      type: "value",
      min: 0,
      max: 1,
      axisLabel: { formatter: (v: number) => formatPercent(v, 0) },
      splitLine: SPLIT_LINE,
    },
    yAxis: {
      type: "category",
      inverse: true,
      data: ranked.map((f) => f.label),
      axisLine: AXIS_LINE,
      axisTick: { show: false },
    },
    series: [
      {
        type: "bar",
        name: "Fill rate",
        data: ranked.map((f) => ({
          value: f.rate ?? 0,
          itemStyle: { color: f.needs_attention ? SHORT : GOOD },
        })),
        barMaxWidth: 18,
        label: {
          show: true,
          position: "right",
          color: "#4b5563",
          formatter: (p: { dataIndex: number }) => formatShare(ranked[p.dataIndex]?.rate),
        },
        markLine: {
          silent: true,
          symbol: "none",
          lineStyle: { color: "#a3abb8", type: "dashed" },
          label: { show: false },
          data: [{ xAxis: threshold }],
        },
      },
    ],
  };
}

/** What the chart shows, for screen readers (the table below has every figure). */
export function fillRatesLabel(fills: HygieneFillRate[]): string {
  const ranked = rankedFillRates(fills);
  if (ranked.length === 0) return "Fill rate by field: no account to measure";
  const parts = ranked.map((f) => `${f.label} ${formatShare(f.rate)}`);
  return `Fill rate by field, lowest first: ${parts.join(", ")}`;
}
