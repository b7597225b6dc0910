/** Helpers of the first screen: labels, links to what is behind each figure, bar segments. */
import { daysBetween, formatMoney, formatMoneyCompact, formatPercent } from "../../lib/format";
import type { ListScope } from "../../lib/scope";
import { BANDS } from "../../ui/health";
import { FORECASTS, type ForecastBucket } from "../renewals/forecast";
import type { Overview } from "./queries";

export type OverviewRisk = Overview["revenue_at_risk"];
export type RiskBand = OverviewRisk["by_band"][number];
export type AttentionItem = Overview["attention"]["items"][number];
export type RenewalWindow = Overview["renewals_next_quarter"]["next_quarter"];
export type ExpansionRule = Overview["expansion_pipeline"]["by_rule"][number];

const BAND_COLORS: Record<string, string> = {
  at_risk: "#dc3b3b",
  watch: "#e0a21b",
  healthy: "#22a35a",
  unscored: "#a3abb8",
};

export function riskBandLabel(band: string): string {
  if (band === "unscored") return "Unscored";
  return Object.hasOwn(BANDS, band) ? BANDS[band as keyof typeof BANDS].label : band;
}

export function riskBandColor(band: string): string {
  return BAND_COLORS[band] ?? "#a3abb8";
}

const RULES: Record<string, string> = {
  expansion_ready: "Expansion ready",
  seat_limit: "Seat limit",
  api_limit: "API limit",
};

export function ruleLabel(rule: string): string {
  return RULES[rule] ?? rule;
}

export function forecastColor(forecast: string): string {
  return Object.hasOwn(FORECASTS, forecast)
    ? FORECASTS[forecast as ForecastBucket].color
    : FORECASTS.unset.color;
}

/** The queue's name for a scope: "Open the team queue". */
export function queueLinkLabel(scope: ListScope): string {
  if (scope === "mine") return "Open my queue";
  if (scope === "team") return "Open the team queue";
  return "Open the whole queue";
}

/** Days from `asOf` to the window's end (the Renewals view's `days`), at least 1. */
export function daysToEnd(asOf: string, window: RenewalWindow): number {
  return Math.max(1, daysBetween(asOf, window.end) ?? 90);
}

export interface Segment {
  key: string;
  label: string;
  value: number;
  share: number;
  color: string;
  /** "Commit: 3 renewals, $1.2M (40%)". */
  title: string;
}

/** Parts of a whole as bar segments (zero parts left out); shares of the sum. */
export function segments(
  parts: { key: string; label: string; value: number; count: number; noun: string }[],
  color: (key: string) => string,
  currency: string,
): Segment[] {
  const total = parts.reduce((sum, p) => sum + Math.max(0, p.value), 0);
  if (total <= 0) return [];
  return parts
    .filter((p) => p.value > 0)
    .map((p) => {
      const share = p.value / total;
      return {
        key: p.key,
        label: p.label,
        value: p.value,
        share,
        color: color(p.key),
        title: `${p.label}: ${p.count} ${p.noun}${p.count === 1 ? "" : "s"}, ${formatMoney(p.value, currency)} (${formatPercent(share, 0)})`,
      };
    });
}

/** "$1.23M" with the full amount for its title. */
export function money(value: number, currency: string): { text: string; title: string } {
  return { text: formatMoneyCompact(value, currency), title: formatMoney(value, currency) };
}
