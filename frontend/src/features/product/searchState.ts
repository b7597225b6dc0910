/** The Product page's state in the URL: `?measure=arr&days=30&quarter=2026-07-01`. */
import type { Measure } from "../quadrants/searchState";

export const DAYS_BEFORE = [90, 60, 30] as const;
export type DaysBefore = (typeof DAYS_BEFORE)[number];

export interface ProductState {
  /** Quadrant distribution by accounts or ARR. */
  measure: Measure;
  /** Feature adoption this many days before renewal. */
  days: DaysBefore;
  /** Start of the quarter the transition matrix ends on; "" = the current quarter. */
  quarter: string;
}

export interface ProductSearch {
  measure?: "arr";
  days?: 60 | 30;
  quarter?: string;
}

const QUARTER_START = /^\d{4}-(01|04|07|10)-01$/;

function text(value: unknown): string {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return typeof value === "string" ? value.trim() : "";
}

export function parseProductSearch(raw: Record<string, unknown>): ProductState {
  const days = Number(text(raw.days));
  const quarter = text(raw.quarter);
  return {
    measure: text(raw.measure) === "arr" ? "arr" : "count",
    days: (DAYS_BEFORE as readonly number[]).includes(days) ? (days as DaysBefore) : 90,
    quarter: QUARTER_START.test(quarter) ? quarter : "",
  };
}

export function serializeProductSearch(state: ProductState): ProductSearch {
  const out: ProductSearch = {};
  if (state.measure === "arr") out.measure = "arr";
  if (state.days !== 90) out.days = state.days;
  if (state.quarter) out.quarter = state.quarter;
  return out;
}

export function validateProductSearch(raw: Record<string, unknown>): ProductSearch {
  return serializeProductSearch(parseProductSearch(raw));
}
