/**
 * The Quadrants page's state in the URL:
 * `?as_of=2026-03-01&direction=worse&window=30&measure=arr&scope=team`.
 */

import { type ListScope, parseScope } from "../../lib/scope";

export const MOVER_WINDOWS = [7, 30, 90] as const;
export type MoverWindow = (typeof MOVER_WINDOWS)[number];
export type DirectionFilter = "all" | "worse" | "better";
export type Measure = "count" | "arr";

export interface QuadrantsState {
  /** "" = latest scored date. */
  asOf: string;
  direction: DirectionFilter;
  window: MoverWindow;
  measure: Measure;
  page: number;
  /** Whose accounts; "" = the server's default for the caller. */
  scope: ListScope | "";
}

export interface QuadrantsSearch {
  as_of?: string;
  direction?: "worse" | "better";
  window?: MoverWindow;
  measure?: "arr";
  page?: number;
  scope?: ListScope;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function text(value: unknown): string {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return typeof value === "string" ? value.trim() : "";
}

export function parseQuadrantsSearch(raw: Record<string, unknown>): QuadrantsState {
  const asOf = text(raw.as_of);
  const direction = text(raw.direction);
  const window = Number(text(raw.window));
  const page = Number(text(raw.page));
  return {
    asOf: ISO_DATE.test(asOf) && !Number.isNaN(Date.parse(asOf)) ? asOf : "",
    direction: direction === "worse" || direction === "better" ? direction : "all",
    window: (MOVER_WINDOWS as readonly number[]).includes(window) ? (window as MoverWindow) : 7,
    measure: text(raw.measure) === "arr" ? "arr" : "count",
    page: Number.isSafeInteger(page) && page > 1 ? page : 1,
    scope: parseScope(raw.scope),
  };
}

export function serializeQuadrantsSearch(state: QuadrantsState): QuadrantsSearch {
  const out: QuadrantsSearch = {};
  if (state.asOf) out.as_of = state.asOf;
  if (state.direction !== "all") out.direction = state.direction;
  if (state.window !== 7) out.window = state.window;
  if (state.measure === "arr") out.measure = "arr";
  if (state.page > 1) out.page = state.page;
  if (state.scope) out.scope = state.scope;
  return out;
}

export function validateQuadrantsSearch(raw: Record<string, unknown>): QuadrantsSearch {
  return serializeQuadrantsSearch(parseQuadrantsSearch(raw));
}
