import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";

export type QuadrantView = Schemas["QuadrantView"];
export type QuadrantPoint = Schemas["QuadrantPoint"];
export type QuadrantCount = Schemas["QuadrantCount"];
export type QuadrantHistory = Schemas["QuadrantHistory"];
export type Mover = Schemas["Mover"];
export type MoversPage = Schemas["MoversPage"];

export type MoverDirection = "worse" | "better" | "sideways";

export interface MoversQuery {
  since?: string;
  until?: string;
  direction?: MoverDirection;
  limit: number;
  offset: number;
}

export const quadrantKeys = {
  all: ["quadrants"] as const,
  view: (asOf: string) => [...quadrantKeys.all, "view", asOf] as const,
  history: (to: string) => [...quadrantKeys.all, "history", to] as const,
  moves: (query: MoversQuery) => [...quadrantKeys.all, "moves", query] as const,
};

/** Every placed account with its axes, the cutoffs and per-quadrant totals (`quadrants:view`). */
export function quadrantsQuery(asOf: string) {
  return queryOptions({
    queryKey: quadrantKeys.view(asOf),
    queryFn: () =>
      unwrap(api.GET("/api/v1/quadrants", { params: { query: asOf ? { as_of: asOf } : {} } })),
    placeholderData: keepPreviousData,
  });
}

/** "" = the latest fully scored date. */
export function useQuadrants(asOf: string) {
  return useQuery(quadrantsQuery(asOf));
}

/** Weekly accounts and ARR per quadrant over 18 months up to `to` (`quadrants:history`). */
export function useQuadrantHistory(to: string) {
  return useQuery({
    queryKey: quadrantKeys.history(to),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/quadrants/history", {
          params: { query: to ? { to, interval: "week" } : { interval: "week" } },
        }),
      ),
    placeholderData: keepPreviousData,
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
