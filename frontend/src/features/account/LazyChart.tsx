import { lazy, Suspense } from "react";
import type { ChartOption } from "../../ui/Chart";

// ECharts is only loaded when one of the picture's charts is on screen (as in HealthPanel).
const Chart = lazy(() => import("../../ui/Chart").then((m) => ({ default: m.Chart })));

/** The shared chart, loaded on first use; a blank box of the same height until then. */
export function LazyChart({
  option,
  label,
  height = 200,
}: {
  option: ChartOption;
  label: string;
  height?: number;
}) {
  return (
    <Suspense fallback={<div className="chart-placeholder" style={{ height }} />}>
      <Chart option={option} label={label} height={height} />
    </Suspense>
  );
}
