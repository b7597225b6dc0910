/** The Cohorts page's state in the URL: `?split=segment&months=24&metric=revenue&group=SMB&driver=plan`. */

export const SPLITS = ["none", "segment", "plan", "channel", "onboarding"] as const;
export type Split = (typeof SPLITS)[number];

export const DRIVER_DIMENSIONS = ["reason", "kind", "quadrant", "segment", "plan"] as const;
export type DriverDimension = (typeof DRIVER_DIMENSIONS)[number];

export type RetentionMetric = "logo" | "revenue";

/** The API accepts 1–60 months; the picker offers these. */
export const MONTH_CHOICES = [6, 12, 18, 24, 36, 60] as const;
export const DEFAULT_MONTHS = 18;
const MAX_GROUP = 100;

export interface CohortsState {
  split: Split;
  months: number;
  metric: RetentionMetric;
  /** The group whose heatmap is shown when split ≠ none; "" = the largest. */
  group: string;
  driver: DriverDimension;
}

export interface CohortsSearch {
  split?: Exclude<Split, "none">;
  months?: number;
  metric?: "revenue";
  group?: string;
  driver?: Exclude<DriverDimension, "reason">;
}

function text(value: unknown): string {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return typeof value === "string" ? value.trim() : "";
}

function oneOf<T extends string>(values: readonly T[], value: string, fallback: T): T {
  return (values as readonly string[]).includes(value) ? (value as T) : fallback;
}

export function parseCohortsSearch(raw: Record<string, unknown>): CohortsState {
  const months = Number(text(raw.months));
  const split = oneOf(SPLITS, text(raw.split), "none");
  return {
    split,
    months: Number.isSafeInteger(months) && months >= 1 && months <= 60 ? months : DEFAULT_MONTHS,
    metric: text(raw.metric) === "revenue" ? "revenue" : "logo",
    group: split === "none" ? "" : text(raw.group).slice(0, MAX_GROUP),
    driver: oneOf(DRIVER_DIMENSIONS, text(raw.driver), "reason"),
  };
}

export function serializeCohortsSearch(state: CohortsState): CohortsSearch {
  const out: CohortsSearch = {};
  if (state.split !== "none") out.split = state.split;
  if (state.months !== DEFAULT_MONTHS) out.months = state.months;
  if (state.metric === "revenue") out.metric = "revenue";
  if (state.split !== "none" && state.group) out.group = state.group;
  if (state.driver !== "reason") out.driver = state.driver;
  return out;
}

export function validateCohortsSearch(raw: Record<string, unknown>): CohortsSearch {
  return serializeCohortsSearch(parseCohortsSearch(raw));
}
