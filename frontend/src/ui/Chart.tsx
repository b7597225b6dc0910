import type { BarSeriesOption, LineSeriesOption, ScatterSeriesOption } from "echarts/charts";
import { BarChart, LineChart, ScatterChart } from "echarts/charts";
import type {
  GridComponentOption,
  LegendComponentOption,
  MarkAreaComponentOption,
  MarkLineComponentOption,
  TooltipComponentOption,
} from "echarts/components";
import {
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TooltipComponent,
} from "echarts/components";
import { type ComposeOption, type ECElementEvent, type ECharts, init, use } from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";

/**
 * The one ECharts wrapper. Only the charts and components registered here are bundled, and
 * only into the lazy chunks that render a chart: never import this module from code that is
 * part of the initial bundle (use `React.lazy` or a lazy route instead).
 */
use([
  BarChart,
  LineChart,
  ScatterChart,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TooltipComponent,
  CanvasRenderer,
]);

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | ScatterSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | MarkAreaComponentOption
  | MarkLineComponentOption
  | TooltipComponentOption
>;

export type ChartClickEvent = ECElementEvent;

/** Shared text styling so every chart matches the theme. */
export const CHART_TEXT = {
  fontFamily:
    'ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  color: "#4b5563",
  fontSize: 12,
};

export function Chart({
  option,
  label,
  height = 280,
  onClick,
  className,
}: {
  option: ChartOption;
  /** What the chart shows, for screen readers (the canvas itself is not accessible). */
  label: string;
  height?: number | string;
  onClick?: (event: ChartClickEvent) => void;
  className?: string;
}) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const clickRef = useRef(onClick);
  useEffect(() => {
    clickRef.current = onClick;
  });

  // Declared before the setOption effect: React runs effects in order, so the instance exists.
  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const instance = init(el, null, { renderer: "canvas" });
    chart.current = instance;
    instance.on("click", (event) => clickRef.current?.(event as ECElementEvent));
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ textStyle: CHART_TEXT, ...option }, { notMerge: true });
  }, [option]);

  return (
    <div
      ref={container}
      role="img"
      aria-label={label}
      className={className ? `chart ${className}` : "chart"}
      style={{ height }}
    />
  );
}
