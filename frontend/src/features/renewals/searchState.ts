import type { operations } from "../../api/schema";
import { type ListScope, parseScope } from "../../lib/scope";
import { type Forecast, isForecast } from "./forecast";
import { DEFAULT_TERM_FILTER, isTermFilter, type TermFilter } from "./terms";

/**
 * The Renewals page's state in the URL:
 * `?days=60&status=all&term=all&forecast=risk&segment=SMB&view=calendar&month=2026-03&scope=team`.
 * `days` is the window (renewing from today to today + N days); `days=any` drops it.
 * `term` is which renewals count: term renewals (annual, multi-year, contract) unless given.
 */

export const WINDOW_PRESETS = [30, 60, 90, 180] as const;
export const DEFAULT_DAYS = 90;
/** The server's bounds for `within_days`. */
export const MAX_DAYS = 3660;

export const STATUSES = ["open", "closed", "all"] as const;
export type RenewalStatus = (typeof STATUSES)[number];
export type RenewalsView = "list" | "calendar";

export interface RenewalsState {
  /** null = any date (past renewals included). */
  days: number | null;
  status: RenewalStatus;
  /** "term" (the default): annual, multi-year and contract; "all" adds monthly cycles. */
  term: TermFilter;
  forecast: Forecast | "";
  segment: string;
  view: RenewalsView;
  /** The calendar's month, "YYYY-MM"; "" = this month. */
  month: string;
  /** Whose accounts' renewals; "" = the server's default for the caller. */
  scope: ListScope | "";
}

export interface RenewalsSearch {
  days?: number | "any";
  status?: "closed" | "all";
  term?: Exclude<TermFilter, "term">;
  forecast?: Forecast;
  segment?: string;
  view?: "calendar";
  month?: string;
  scope?: ListScope;
}

export type RenewalsQuery = NonNullable<operations["listRenewals"]["parameters"]["query"]>;

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function text(value: unknown, max = 100): string {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return typeof value === "string" ? value.trim().slice(0, max) : "";
}

function parseDays(value: unknown): number | null {
  const s = text(value);
  if (s === "any") return null;
  if (!/^\d+$/.test(s)) return DEFAULT_DAYS;
  const n = Number(s);
  return n <= MAX_DAYS ? n : DEFAULT_DAYS;
}

export function parseRenewalsSearch(raw: Record<string, unknown>): RenewalsState {
  const status = text(raw.status);
  const forecast = text(raw.forecast);
  const term = text(raw.term);
  const month = text(raw.month);
  return {
    days: parseDays(raw.days),
    status: (STATUSES as readonly string[]).includes(status) ? (status as RenewalStatus) : "open",
    term: isTermFilter(term) ? term : DEFAULT_TERM_FILTER,
    forecast: isForecast(forecast) ? forecast : "",
    segment: text(raw.segment),
    view: text(raw.view) === "calendar" ? "calendar" : "list",
    month: MONTH.test(month) ? month : "",
    scope: parseScope(raw.scope),
  };
}

export function serializeRenewalsSearch(state: RenewalsState): RenewalsSearch {
  const out: RenewalsSearch = {};
  if (state.days === null) out.days = "any";
  else if (state.days !== DEFAULT_DAYS) out.days = state.days;
  if (state.status !== "open") out.status = state.status;
  if (state.term !== "term") out.term = state.term;
  if (state.forecast) out.forecast = state.forecast;
  if (state.segment) out.segment = state.segment;
  if (state.view === "calendar") out.view = "calendar";
  if (state.month) out.month = state.month;
  if (state.scope) out.scope = state.scope;
  return out;
}

export function validateRenewalsSearch(raw: Record<string, unknown>): RenewalsSearch {
  return serializeRenewalsSearch(parseRenewalsSearch(raw));
}

/**
 * The list's filters → `renewals:list` query parameters (JSON unless exported). The term
 * filter is always sent, so an export says which renewals it holds whatever the default.
 */
export function toRenewalsQuery(state: RenewalsState): RenewalsQuery {
  const query: RenewalsQuery = { status: state.status, term: state.term };
  if (state.days !== null) query.within_days = state.days;
  if (state.forecast) query.forecast = state.forecast;
  if (state.segment) query.segment = state.segment;
  if (state.scope) query.scope = state.scope;
  return query;
}

/** The rollup's window (`renewals:rollup` takes 1…3660 days; "any date" = the longest). */
export function rollupDays(days: number | null): number {
  return days === null ? MAX_DAYS : Math.max(1, days);
}

export function windowLabel(days: number | null): string {
  if (days === null) return "any date";
  if (days === 0) return "today";
  return `the next ${days} days`;
}

export function hasFilters(state: RenewalsState): boolean {
  return Boolean(
    state.forecast || state.segment || state.status !== "open" || state.term !== "term",
  );
}
