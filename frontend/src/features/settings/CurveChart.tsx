import { useMemo } from "react";
import { Chart, type ChartOption } from "../../ui/Chart";
import type { CurvePoint } from "./queries";

/** The curve as a line through its breakpoints; flat (dashed) beyond the ends, as scored. */
export function curveOption(curve: CurvePoint[], maxScore: number, xName: string): ChartOption {
  const points = curve.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const first = points[0];
  const last = points[points.length - 1];
  const span = first && last ? Math.max(last[0] - first[0], Math.abs(last[0]) || 1) : 1;
  const pad = span * 0.15;
  const ends: CurvePoint[][] =
    first && last
      ? [
          [[first[0] - pad, first[1]], first],
          [last, [last[0] + pad, last[1]]],
        ]
      : [];
  return {
    animation: false,
    grid: { left: 40, right: 12, top: 12, bottom: 36 },
    tooltip: { trigger: "item" },
    xAxis: {
      type: "value",
      name: xName,
      nameLocation: "middle",
      nameGap: 22,
      scale: true,
      splitLine: { show: false },
    },
    yAxis: {
      type: "value",
      min: 0,
      max: maxScore,
      interval: maxScore / 4,
      splitLine: { lineStyle: { color: "#eef0f3" } },
    },
    series: [
      {
        type: "line",
        name: "Score",
        data: points,
        color: "#4f46e5",
        symbolSize: 7,
        lineStyle: { width: 2 },
      },
      ...ends.map((data) => ({
        type: "line" as const,
        data,
        silent: true,
        symbol: "none",
        color: "#a3abb8",
        lineStyle: { type: "dashed" as const, width: 1.5 },
        tooltip: { show: false },
      })),
    ],
  };
}

export function CurveChart({
  curve,
  maxScore,
  xName,
  label,
}: {
  curve: CurvePoint[];
  maxScore: number;
  xName: string;
  label: string;
}) {
  const option = useMemo(() => curveOption(curve, maxScore, xName), [curve, maxScore, xName]);
  return <Chart option={option} height={190} label={label} />;
}
