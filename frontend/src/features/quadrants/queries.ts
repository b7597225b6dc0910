import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { ListScope } from "../../lib/scope";

export type QuadrantView = Schemas["QuadrantView"];
export type QuadrantPoint = Schemas["QuadrantPoint"];
export type QuadrantCount = Schemas["QuadrantCount"];
export type QuadrantHistory = Schemas["QuadrantHistory"];
export type Mover = Schemas["Mover"];
export type MoversPage = Schemas["MoversPage"];
export type QuadrantChurnRates = Schemas["QuadrantChurnRates"];
export type QuadrantChurnRate = Schemas["QuadrantChurnRate"];

export type MoverDirection = "worse" | "better" | "sideways";

export interface MoversQuery {
  since?: string;
  until?: string;
  direction?: MoverDirection;
  limit: number;
  offset: number;
  scope?: ListScope;
}

/** "" = the caller's default scope (left out of the request). */
function scoped(scope: ListScope | ""): { scope?: ListScope } {
  return scope ? { scope } : {};
}

export const quadrantKeys = {
  all: ["quadrants"] as const,
  view: (asOf: string, scope: ListScope | "") =>
    [...quadrantKeys.all, "view", asOf, scope] as const,
  history: (to: string, scope: ListScope | "") =>
    [...quadrantKeys.all, "history", to, scope] as const,
  moves: (query: MoversQuery) => [...quadrantKeys.all, "moves", query] as const,
  churn: (scope: ListScope | "") => [...quadrantKeys.all, "churn", scope] as const,
};

/**
 * Every placed account of the scope with its axes, the cutoffs and per-quadrant totals
 * (`quadrants:view`).
 */
export function quadrantsQuery(asOf: string, scope: ListScope | "" = "") {
  return queryOptions({
    queryKey: quadrantKeys.view(asOf, scope),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/quadrants", {
          params: { query: { ...(asOf ? { as_of: asOf } : {}), ...scoped(scope) } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** "" = the latest fully scored date. */
export function useQuadrants(asOf: string, scope: ListScope | "" = "") {
  return useQuery(quadrantsQuery(asOf, scope));
}

/**
 * Weekly accounts and ARR per quadrant over 18 months up to `to`, over the scope's accounts
 * (`quadrants:history`; everyone's unless asked: other pages read the whole book's history).
 */
export function useQuadrantHistory(to: string, scope: ListScope | "" = "all") {
  return useQuery({
    queryKey: quadrantKeys.history(to, scope),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/quadrants/history", {
          params: { query: { ...(to ? { to } : {}), interval: "week", ...scoped(scope) } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/**
 * Per quadrant, how many of the scope's renewals and churns of the last 12 months churned,
 * read against the quadrant 90 days before (`quadrants:churn`).
 */
export function useQuadrantChurn(scope: ListScope | "") {
  return useQuery({
    queryKey: quadrantKeys.churn(scope),
    queryFn: () => unwrap(api.GET("/api/v1/quadrants/churn", { params: { query: scoped(scope) } })),
    placeholderData: keepPreviousData,
    staleTime: 5 * 60_000,
  });
}

/** Accounts that changed quadrant in a date range, newest first (`quadrants:moves`). */
export function useMovers(query: MoversQuery) {
  return useQuery({
    queryKey: quadrantKeys.moves(query),
    queryFn: () => unwrap(api.GET("/api/v1/quadrants/moves", { params: { query } })),
    placeholderData: keepPreviousData,
  });
}
