import type { SortingState } from "@tanstack/react-table";
import type { operations } from "../../api/schema";
import { type ListScope, parseScope } from "../../lib/scope";
import { formatTerm, splitFilter } from "./filterTerms";

/**
 * The Book's table state lives in the URL. This module is the single mapping
 * between URL search params (strings, possibly garbage) and typed table state.
 */

export const SORT_KEYS = [
  "name",
  "arr",
  "renewal_date",
  "health_score",
  "segment",
  "plan",
  "created_at",
  "feature_adoption",
  "usage_change",
  "open_tickets",
  "last_touch_on",
  "last_qbr_on",
  "contract_start",
  "oldest_ticket_age_days",
  "forecast_status",
] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortValue = SortKey | `-${SortKey}`;

export const PAGE_SIZES = [25, 50, 100] as const;
export type PageSize = (typeof PAGE_SIZES)[number];

export interface BookState {
  page: number;
  pageSize: PageSize;
  sort: SortValue;
  q: string;
  /** The filter language (see filterTerms.ts), e.g. `renewal_in<=60 band=at_risk`. */
  filter: string;
  /** Whose accounts; "" = the server's default for the caller (a CSM's own, a leader's team...). */
  scope: ListScope | "";
}

/** What is kept in the URL: only non-default values, with the API's param names. */
export interface BookSearch {
  page?: number;
  page_size?: PageSize;
  sort?: SortValue;
  q?: string;
  filter?: string;
  scope?: ListScope;
}

export const DEFAULT_BOOK_STATE: Readonly<BookState> = Object.freeze({
  page: 1,
  pageSize: 50,
  sort: "-arr",
  q: "",
  filter: "",
  scope: "",
});

/** Length limits of the `accounts:list` parameters (longer values would be a 422). */
const MAX_QUERY = 200;
const MAX_FILTER = 2000;

function text(value: unknown, max = MAX_QUERY): string {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value !== "string") return "";
  return value.trim().slice(0, max);
}

function positiveInt(value: unknown): number | null {
  const s = text(value);
  if (!/^\d+$/.test(s)) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) && n >= 1 ? n : null;
}

export function isSortValue(value: unknown): value is SortValue {
  if (typeof value !== "string") return false;
  const key = value.startsWith("-") ? value.slice(1) : value;
  return (SORT_KEYS as readonly string[]).includes(key);
}

/** URL search params (any shape) → complete table state; invalid values fall back to defaults. */
export function parseBookSearch(raw: Record<string, unknown>): BookState {
  const page = positiveInt(raw.page) ?? DEFAULT_BOOK_STATE.page;
  const size = positiveInt(raw.page_size);
  const pageSize = (PAGE_SIZES as readonly number[]).includes(size ?? -1)
    ? (size as PageSize)
    : DEFAULT_BOOK_STATE.pageSize;
  const sortText = text(raw.sort);
  const sort = isSortValue(sortText) ? sortText : DEFAULT_BOOK_STATE.sort;
  // Links from before the filter language (?segment=…&status=…) become terms.
  const legacy = [
    text(raw.segment, 100) &&
      formatTerm({ field: "segment", op: "=", value: text(raw.segment, 100) }),
    /^(active|churned)$/i.test(text(raw.status)) && `status=${text(raw.status).toLowerCase()}`,
  ].filter((t): t is string => Boolean(t));
  // Idempotent: the router may validate an already validated search again.
  const terms = [...splitFilter(text(raw.filter, MAX_FILTER))];
  for (const term of legacy) if (!terms.includes(term)) terms.push(term);
  const filter = terms.join(" ").slice(0, MAX_FILTER);
  return { page, pageSize, sort, q: text(raw.q), filter, scope: parseScope(raw.scope) };
}

/** Table state → URL search params, omitting defaults so URLs stay short. */
export function serializeBookSearch(state: BookState): BookSearch {
  const out: BookSearch = {};
  if (state.page !== DEFAULT_BOOK_STATE.page) out.page = state.page;
  if (state.pageSize !== DEFAULT_BOOK_STATE.pageSize) out.page_size = state.pageSize;
  if (state.sort !== DEFAULT_BOOK_STATE.sort) out.sort = state.sort;
  if (state.q) out.q = state.q;
  if (state.filter) out.filter = state.filter;
  if (state.scope) out.scope = state.scope;
  return out;
}

/** Route `validateSearch`: normalise whatever is in the URL. */
export function validateBookSearch(raw: Record<string, unknown>): BookSearch {
  return serializeBookSearch(parseBookSearch(raw));
}

export type AccountsQuery = NonNullable<operations["listAccounts"]["parameters"]["query"]>;

/** Table state → `accounts:list` query parameters. */
export function toAccountsQuery(state: BookState): AccountsQuery {
  const query: AccountsQuery = { page: state.page, page_size: state.pageSize, sort: state.sort };
  if (state.q) query.q = state.q;
  if (state.filter) query.filter = state.filter;
  if (state.scope) query.scope = state.scope;
  return query;
}

export function hasFilters(state: BookState): boolean {
  return Boolean(state.q || state.filter);
}

/** Sort value → TanStack Table sorting state. */
export function toSorting(sort: SortValue): SortingState {
  const desc = sort.startsWith("-");
  return [{ id: desc ? sort.slice(1) : sort, desc }];
}

/** TanStack Table sorting state → sort value (falls back to the default sort). */
export function fromSorting(sorting: SortingState): SortValue {
  const first = sorting[0];
  if (!first) return DEFAULT_BOOK_STATE.sort;
  const value = first.desc ? `-${first.id}` : first.id;
  return isSortValue(value) ? value : DEFAULT_BOOK_STATE.sort;
}
