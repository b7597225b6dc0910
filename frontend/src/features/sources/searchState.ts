import { isKind, type Kind } from "../../api/kinds";
import type { paths } from "../../api/schema";

/**
 * The Sources page's state lives in its URL: the Unmatched records table
 * (`?kind=tickets&status=rejected&page=2&page_size=25`) and the source whose rejected items
 * are open (`?rejected=stripe&rejected_page=2`). Single mapping between URL search params
 * (strings, possibly garbage) and typed state, like the Book's.
 */

export const UNMATCHED_PAGE_SIZES = [25, 50, 100] as const;
export type UnmatchedPageSize = (typeof UNMATCHED_PAGE_SIZES)[number];

/** Which unmatched records to list; "pending" (waiting for an account) is the default. */
export const UNMATCHED_STATUSES = ["pending", "rejected", "resolved", "all"] as const;
export type UnmatchedStatusFilter = (typeof UNMATCHED_STATUSES)[number];

export const UNMATCHED_STATUS_LABELS: Record<UnmatchedStatusFilter, string> = {
  pending: "Waiting",
  rejected: "Rejected at replay",
  resolved: "Resolved",
  all: "All",
};

/** Longest source key the API accepts. */
const MAX_SOURCE_KEY = 100;

export interface SourcesState {
  kind: Kind | "";
  status: UnmatchedStatusFilter;
  page: number;
  pageSize: UnmatchedPageSize;
  /** Source key whose rejected items are shown; "" when that card is closed. */
  rejected: string;
  rejectedPage: number;
  rejectedPageSize: UnmatchedPageSize;
}

export interface SourcesSearch {
  kind?: Kind;
  status?: Exclude<UnmatchedStatusFilter, "pending">;
  page?: number;
  page_size?: UnmatchedPageSize;
  rejected?: string;
  rejected_page?: number;
  rejected_page_size?: UnmatchedPageSize;
}

export const DEFAULT_SOURCES_STATE: Readonly<SourcesState> = Object.freeze({
  kind: "",
  status: "pending",
  page: 1,
  pageSize: 50,
  rejected: "",
  rejectedPage: 1,
  rejectedPageSize: 50,
});

function positiveInt(value: unknown): number | null {
  const s = typeof value === "number" ? String(value) : typeof value === "string" ? value : "";
  if (!/^\d+$/.test(s.trim())) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) && n >= 1 ? n : null;
}

function pageSize(value: unknown): UnmatchedPageSize | null {
  const size = positiveInt(value);
  return (UNMATCHED_PAGE_SIZES as readonly number[]).includes(size ?? -1)
    ? (size as UnmatchedPageSize)
    : null;
}

export function isUnmatchedStatus(value: unknown): value is UnmatchedStatusFilter {
  return typeof value === "string" && (UNMATCHED_STATUSES as readonly string[]).includes(value);
}

/** `status` wins; the older `include_resolved=true` still means every status. */
function parseStatus(raw: Record<string, unknown>): UnmatchedStatusFilter {
  if (isUnmatchedStatus(raw.status)) return raw.status;
  const flag = raw.include_resolved;
  return flag === true || flag === "true" || flag === "1" ? "all" : "pending";
}

function sourceKey(value: unknown): string {
  const key = typeof value === "string" ? value.trim() : "";
  return key.length <= MAX_SOURCE_KEY ? key : "";
}

export function parseSourcesSearch(raw: Record<string, unknown>): SourcesState {
  const rejected = sourceKey(raw.rejected);
  return {
    kind: isKind(raw.kind) ? raw.kind : "",
    status: parseStatus(raw),
    page: positiveInt(raw.page) ?? DEFAULT_SOURCES_STATE.page,
    pageSize: pageSize(raw.page_size) ?? DEFAULT_SOURCES_STATE.pageSize,
    rejected,
    rejectedPage:
      (rejected && positiveInt(raw.rejected_page)) || DEFAULT_SOURCES_STATE.rejectedPage,
    rejectedPageSize:
      (rejected && pageSize(raw.rejected_page_size)) || DEFAULT_SOURCES_STATE.rejectedPageSize,
  };
}

export function serializeSourcesSearch(state: SourcesState): SourcesSearch {
  const out: SourcesSearch = {};
  const { status } = state;
  if (state.kind) out.kind = state.kind;
  if (status !== "pending") out.status = status;
  if (state.page !== DEFAULT_SOURCES_STATE.page) out.page = state.page;
  if (state.pageSize !== DEFAULT_SOURCES_STATE.pageSize) out.page_size = state.pageSize;
  if (state.rejected) {
    out.rejected = state.rejected;
    if (state.rejectedPage !== DEFAULT_SOURCES_STATE.rejectedPage) {
      out.rejected_page = state.rejectedPage;
    }
    if (state.rejectedPageSize !== DEFAULT_SOURCES_STATE.rejectedPageSize) {
      out.rejected_page_size = state.rejectedPageSize;
    }
  }
  return out;
}

/** Route `validateSearch` for /sources. */
export function validateSourcesSearch(raw: Record<string, unknown>): SourcesSearch {
  return serializeSourcesSearch(parseSourcesSearch(raw));
}

/** Search params that open (or, with "", close) one source's rejected items. */
export function withRejected(state: SourcesState, key: string): SourcesSearch {
  return serializeSourcesSearch({
    ...state,
    rejected: key,
    rejectedPage: DEFAULT_SOURCES_STATE.rejectedPage,
  });
}

// Typed by path, not operation id, so renaming operation ids does not touch the SPA.
export type UnmatchedQuery = NonNullable<paths["/api/v1/unmatched"]["get"]["parameters"]["query"]>;

export function toUnmatchedQuery(state: SourcesState): UnmatchedQuery {
  const query: UnmatchedQuery = { page: state.page, page_size: state.pageSize };
  if (state.kind) query.kind = state.kind;
  // Pending is the server's default; "all" is its `include_resolved=true`.
  if (state.status === "all") query.include_resolved = true;
  else if (state.status !== "pending") query.status = [state.status];
  return query;
}

export type RejectionsQuery = NonNullable<
  paths["/api/v1/sources/{key}/rejections"]["get"]["parameters"]["query"]
>;

export function toRejectionsQuery(state: SourcesState): RejectionsQuery {
  return { page: state.rejectedPage, page_size: state.rejectedPageSize };
}
