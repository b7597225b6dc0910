import { type ListScope, parseScope } from "../../lib/scope";

/**
 * The Leadership page's state in the URL:
 * `?scope=team&interval=quarter&segment=SMB&plan=Growth&icp_tier=A`. `scope` is whose accounts
 * the first screen (risk, attention, renewals and expansion, NPS and CSAT) counts.
 */

export const INTERVALS = ["month", "quarter", "ttm"] as const;
export type Interval = (typeof INTERVALS)[number];

export interface LeadershipState {
  interval: Interval;
  /** "" = all. Filters use the accounts' current values. */
  segment: string;
  plan: string;
  icpTier: string;
  /** Whose accounts the overview counts; "" = the server's default for the caller. */
  scope: ListScope | "";
}

export interface LeadershipSearch {
  scope?: ListScope;
  interval?: "quarter" | "ttm";
  segment?: string;
  plan?: string;
  icp_tier?: string;
}

/** The API's length limit of the filters. */
const MAX_FILTER = 100;

function text(value: unknown): string {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return typeof value === "string" ? value.trim().slice(0, MAX_FILTER) : "";
}

export function parseLeadershipSearch(raw: Record<string, unknown>): LeadershipState {
  const interval = text(raw.interval);
  return {
    interval: (INTERVALS as readonly string[]).includes(interval)
      ? (interval as Interval)
      : "month",
    segment: text(raw.segment),
    plan: text(raw.plan),
    icpTier: text(raw.icp_tier),
    scope: parseScope(raw.scope),
  };
}

export function serializeLeadershipSearch(state: LeadershipState): LeadershipSearch {
  const out: LeadershipSearch = {};
  if (state.scope) out.scope = state.scope;
  if (state.interval !== "month") out.interval = state.interval;
  if (state.segment) out.segment = state.segment;
  if (state.plan) out.plan = state.plan;
  if (state.icpTier) out.icp_tier = state.icpTier;
  return out;
}

export function validateLeadershipSearch(raw: Record<string, unknown>): LeadershipSearch {
  return serializeLeadershipSearch(parseLeadershipSearch(raw));
}

export interface RetentionQuery {
  interval: Interval;
  segment?: string;
  plan?: string;
  icp_tier?: string;
}

/** State → `metrics:retention` query (the server's default range: the last 18 months). */
export function toRetentionQuery(state: LeadershipState): RetentionQuery {
  const query: RetentionQuery = { interval: state.interval };
  if (state.segment) query.segment = state.segment;
  if (state.plan) query.plan = state.plan;
  if (state.icpTier) query.icp_tier = state.icpTier;
  return query;
}

export function hasRetentionFilters(state: LeadershipState): boolean {
  return Boolean(state.segment || state.plan || state.icpTier);
}
