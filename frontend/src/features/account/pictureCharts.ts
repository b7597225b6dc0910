import {
  formatDate,
  formatInteger,
  formatMoney,
  formatMoneyCompact,
  formatNumber,
  formatPercent,
} from "../../lib/format";
import type { ChartOption } from "../../ui/Chart";
import type { ArrPoint, HealthDay, SurveyView, WeekUsage } from "./queries";

const AXIS_LINE = { lineStyle: { color: "#cfd4dc" } };
const SPLIT_LINE = { lineStyle: { color: "#eef0f3" } };
const ACCENT = "#4f46e5";
const TEAL = "#14b8a6";
const SKY = "#0ea5e9";
const NPS_COLOR = "#a855f7";
const CSAT_COLOR = "#f97316";

const TIME_AXIS = {
  type: "time" as const,
  axisLine: AXIS_LINE,
  // "Oct 8" rather than a bare "8": hidden overlaps would otherwise drop the month names.
  axisLabel: {
    hideOverlap: true,
    formatter: { year: "{yyyy}", month: "{MMM}", day: "{MMM} {d}" },
  },
  splitLine: { show: false },
};

/** ARR at the start of each of the last 13 months and today. */
export function arrOption(points: ArrPoint[], currency: string): ChartOption {
  return {
    grid: { left: 56, right: 16, top: 16, bottom: 28 },
    tooltip: {
      trigger: "axis",
      valueFormatter: (v) => (typeof v === "number" ? formatMoney(v, currency) : ""),
    },
    xAxis: TIME_AXIS,
    yAxis: {
      type: "value",
      min: 0,
      axisLabel: { formatter: (v: number) => formatMoneyCompact(v, currency) },
      splitLine: SPLIT_LINE,
    },
    series: [
      {
        type: "line",
        name: "ARR",
        data: points.map((p) => [p.date, p.arr]),
        color: ACCENT,
        symbolSize: 5,
        lineStyle: { width: 2 },
        areaStyle: { opacity: 0.08 },
      },
    ],
  };
}

export function arrLabel(points: ArrPoint[], currency: string): string {
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return "ARR trend: no data";
  return `ARR from ${formatMoney(first.arr, currency)} on ${formatDate(first.date)} to ${formatMoney(last.arr, currency)} on ${formatDate(last.date)}`;
}

/** Active users (left axis) and core feature adoption (right axis, %) per scored day. */
export function usageOption(history: HealthDay[]): ChartOption {
  return {
    grid: { left: 44, right: 44, top: 28, bottom: 28 },
    legend: { top: 0, right: 0, itemWidth: 14, itemHeight: 8 },
    tooltip: { trigger: "axis" },
    xAxis: TIME_AXIS,
    yAxis: [
      { type: "value", min: 0, minInterval: 1, splitLine: SPLIT_LINE },
      {
        type: "value",
        min: 0,
        max: 1,
        axisLabel: { formatter: (v: number) => formatPercent(v, 0) },
        splitLine: { show: false },
      },
    ],
    series: [
      {
        type: "line",
        name: "Active users",
        data: history.map((d) => [d.as_of, d.active_users]),
        color: SKY,
        symbol: "none",
        lineStyle: { width: 2 },
        tooltip: { valueFormatter: (v) => (typeof v === "number" ? formatInteger(v) : "no data") },
      },
      {
        type: "line",
        name: "Feature adoption",
        yAxisIndex: 1,
        data: history.map((d) => [d.as_of, d.feature_adoption]),
        color: TEAL,
        symbol: "none",
        lineStyle: { width: 1.5, type: "dashed" },
        tooltip: {
          valueFormatter: (v) => (typeof v === "number" ? formatPercent(v, 0) : "no data"),
        },
      },
    ],
  };
}

export function usageLabel(history: HealthDay[]): string {
  const last = [...history].reverse().find((d) => d.active_users !== null);
  if (!last) return "Usage trend: no data";
  return `Active users and feature adoption over ${formatInteger(history.length)} days; latest ${formatInteger(last.active_users)} active users, ${formatPercent(last.feature_adoption, 0)} adoption`;
}

function compactNumber(value: number): string {
  return value >= 1000 ? `${formatNumber(value / 1000, 1)}k` : formatNumber(value, 0);
}

/** Events per week (bars), minutes in the tooltip. */
export function weeklyOption(weeks: WeekUsage[]): ChartOption {
  return {
    grid: { left: 52, right: 16, top: 16, bottom: 28 },
    tooltip: {
      trigger: "axis",
      formatter: (params) => {
        const first = Array.isArray(params) ? params[0] : params;
        const week = weeks[first?.dataIndex ?? -1];
        if (!week) return "";
        return `Week of ${formatDate(week.week)}<br>${formatInteger(week.events)} events · ${formatInteger(week.minutes)} min`;
      },
    },
    xAxis: {
      type: "category",
      data: weeks.map((w) => formatDate(w.week).replace(/, \d{4}$/, "")),
      axisLine: AXIS_LINE,
      axisTick: { show: false },
      axisLabel: { hideOverlap: true },
    },
    yAxis: {
      type: "value",
      min: 0,
      axisLabel: { formatter: compactNumber },
      splitLine: SPLIT_LINE,
    },
    series: [
      {
        type: "bar",
        name: "Events",
        data: weeks.map((w) => w.events),
        color: SKY,
        barMaxWidth: 28,
      },
    ],
  };
}

export function weeklyLabel(weeks: WeekUsage[]): string {
  const total = weeks.reduce((n, w) => n + w.events, 0);
  return `Events per week over ${formatInteger(weeks.length)} weeks, ${formatInteger(total)} in total`;
}

const SCALE_NAME = { fontSize: 11, color: "#6b7280" };
const NPS_AXIS = {
  type: "value" as const,
  name: "NPS",
  nameTextStyle: SCALE_NAME,
  min: 0,
  max: 10,
  interval: 5,
};
const CSAT_AXIS = {
  type: "value" as const,
  name: "CSAT",
  nameTextStyle: SCALE_NAME,
  min: 1,
  max: 5,
  interval: 1,
};

/**
 * NPS (0–10) and CSAT (1–5) responses over time. With both, NPS takes the left axis and CSAT
 * the right one; with one kind only, its scale is the only axis.
 */
export function surveyOption(surveys: SurveyView[]): ChartOption {
  const nps = surveys.filter((s) => s.kind === "nps");
  const csat = surveys.filter((s) => s.kind === "csat");
  const both = nps.length > 0 && csat.length > 0;
  const yAxis = [
    ...(nps.length ? [{ ...NPS_AXIS, splitLine: SPLIT_LINE }] : []),
    ...(csat.length ? [{ ...CSAT_AXIS, splitLine: both ? { show: false } : SPLIT_LINE }] : []),
  ];
  return {
    grid: { left: 32, right: both ? 32 : 16, top: 32, bottom: 28 },
    legend: { top: 0, left: "center", itemWidth: 10, itemHeight: 10 },
    tooltip: {
      trigger: "item",
      formatter: (params) => {
        const p = Array.isArray(params) ? params[0] : params;
        const value = p?.value;
        if (!Array.isArray(value)) return "";
        return `${p?.seriesName ?? ""} ${formatInteger(Number(value[1]))} · ${formatDate(String(value[0]))}`;
      },
    },
    xAxis: TIME_AXIS,
    yAxis,
    series: [
      ...(nps.length
        ? [
            {
              type: "scatter" as const,
              name: "NPS",
              data: nps.map((s) => [s.responded_at, s.score]),
              color: NPS_COLOR,
              symbolSize: 8,
            },
          ]
        : []),
      ...(csat.length
        ? [
            {
              type: "scatter" as const,
              name: "CSAT",
              yAxisIndex: both ? 1 : 0,
              data: csat.map((s) => [s.responded_at, s.score]),
              color: CSAT_COLOR,
              symbol: "diamond",
              symbolSize: 9,
            },
          ]
        : []),
    ],
  };
}

export function surveyLabel(surveys: SurveyView[]): string {
  const nps = surveys.filter((s) => s.kind === "nps").length;
  const csat = surveys.filter((s) => s.kind === "csat").length;
  return `Survey scores over time: ${formatInteger(nps)} NPS and ${formatInteger(csat)} CSAT responses`;
}
