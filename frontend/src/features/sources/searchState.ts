import { isKind, type Kind } from "../../api/kinds";
import type { operations } from "../../api/schema";

/**
 * The Unmatched records table's state lives in the URL of /sources
 * (`?kind=tickets&include_resolved=true&page=2&page_size=25`). Single mapping between
 * URL search params (strings, possibly garbage) and typed state, like the Book's.
 */

export const UNMATCHED_PAGE_SIZES = [25, 50, 100] as const;
export type UnmatchedPageSize = (typeof UNMATCHED_PAGE_SIZES)[number];

export interface UnmatchedState {
  kind: Kind | "";
  includeResolved: boolean;
  page: number;
  pageSize: UnmatchedPageSize;
}

export interface SourcesSearch {
  kind?: Kind;
  include_resolved?: true;
  page?: number;
  page_size?: UnmatchedPageSize;
}

export const DEFAULT_UNMATCHED_STATE: Readonly<UnmatchedState> = Object.freeze({
  kind: "",
  includeResolved: false,
  page: 1,
  pageSize: 50,
});

function positiveInt(value: unknown): number | null {
  const s = typeof value === "number" ? String(value) : typeof value === "string" ? value : "";
  if (!/^\d+$/.test(s.trim())) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) && n >= 1 ? n : null;
}

export function parseSourcesSearch(raw: Record<string, unknown>): UnmatchedState {
  const size = positiveInt(raw.page_size);
  const flag = raw.include_resolved;
  return {
    kind: isKind(raw.kind) ? raw.kind : "",
    includeResolved: flag === true || flag === "true" || flag === "1",
    page: positiveInt(raw.page) ?? DEFAULT_UNMATCHED_STATE.page,
    pageSize: (UNMATCHED_PAGE_SIZES as readonly number[]).includes(size ?? -1)
      ? (size as UnmatchedPageSize)
      : DEFAULT_UNMATCHED_STATE.pageSize,
  };
}

export function serializeSourcesSearch(state: UnmatchedState): SourcesSearch {
  const out: SourcesSearch = {};
  if (state.kind) out.kind = state.kind;
  if (state.includeResolved) out.include_resolved = true;
  if (state.page !== DEFAULT_UNMATCHED_STATE.page) out.page = state.page;
  if (state.pageSize !== DEFAULT_UNMATCHED_STATE.pageSize) out.page_size = state.pageSize;
  return out;
}

/** Route `validateSearch` for /sources. */
export function validateSourcesSearch(raw: Record<string, unknown>): SourcesSearch {
  return serializeSourcesSearch(parseSourcesSearch(raw));
}

export type UnmatchedQuery = NonNullable<operations["unmatched:list"]["parameters"]["query"]>;

export function toUnmatchedQuery(state: UnmatchedState): UnmatchedQuery {
  const query: UnmatchedQuery = { page: state.page, page_size: state.pageSize };
  if (state.kind) query.kind = state.kind;
  if (state.includeResolved) query.include_resolved = true;
  return query;
}
