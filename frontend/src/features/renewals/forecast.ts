import type { Schemas } from "../../api/client";
import type { Tone } from "../../ui/Pill";

export type Forecast = Schemas["Forecast"];
/** A rollup bucket: a forecast, or "unset" (none yet). */
export type ForecastBucket = Forecast | "unset";

export const FORECAST_KEYS: readonly Forecast[] = ["commit", "upside", "risk", "churn"];
export const BUCKET_KEYS: readonly ForecastBucket[] = [...FORECAST_KEYS, "unset"];

export const FORECASTS: Record<ForecastBucket, { label: string; tone: Tone; color: string }> = {
  commit: { label: "Commit", tone: "green", color: "#22a35a" },
  upside: { label: "Upside", tone: "blue", color: "#3b7ddd" },
  risk: { label: "Risk", tone: "amber", color: "#e0a21b" },
  churn: { label: "Churn", tone: "red", color: "#dc3b3b" },
  unset: { label: "Not set", tone: "neutral", color: "#a3abb8" },
};

export function isForecast(value: unknown): value is Forecast {
  return typeof value === "string" && (FORECAST_KEYS as readonly string[]).includes(value);
}

export function forecastLabel(value: string | null | undefined): string {
  if (!value) return FORECASTS.unset.label;
  return Object.hasOwn(FORECASTS, value) ? FORECASTS[value as ForecastBucket].label : value;
}

/** The team's forecast and the one health suggests are both set and differ. */
export function disagrees(forecast: string | null, suggested: string | null): boolean {
  return Boolean(forecast && suggested && forecast !== suggested);
}

/** Roles that may set forecasts and notes (the server's WORK permission: `renewals:update`). */
const EDIT_ROLES = new Set(["admin", "leader", "csm"]);

export function canEditRenewals(role: string | undefined): boolean {
  return role !== undefined && EDIT_ROLES.has(role);
}
