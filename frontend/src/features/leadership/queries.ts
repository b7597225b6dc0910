import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { operations } from "../../api/schema";
import { refetchWhileRebuilding } from "../../lib/freshness";
import type { RetentionQuery } from "./searchState";

export type Summary = Schemas["Summary"];
export type SeriesPoint = Schemas["SeriesPoint"];
export type RetentionReport = Schemas["RetentionReport"];
export type Period = Schemas["Period"];
export type Overview = Schemas["Overview"];
export type OverviewScope = NonNullable<
  NonNullable<operations["getLeadershipOverview"]["parameters"]["query"]>["scope"]
>;

export const metricKeys = {
  all: ["metrics"] as const,
  summary: () => [...metricKeys.all, "summary"] as const,
  retention: (query: RetentionQuery) => [...metricKeys.all, "retention", query] as const,
  overview: (scope: OverviewScope | "") => [...metricKeys.all, "overview", scope] as const,
};

/**
 * ARR, retention ratios, churn, LTV, revenue at risk and 18 months of series
 * (`metrics:summary`); asked again every few seconds while its rollups are being rebuilt.
 */
export function useSummary() {
  return useQuery({
    queryKey: metricKeys.summary(),
    queryFn: () => unwrap(api.GET("/api/v1/metrics/summary")),
    staleTime: 60_000,
    refetchInterval: refetchWhileRebuilding,
  });
}

/**
 * Starting and ending ARR, every movement (FX included) and the ratios per period
 * (`metrics:retention`); asked again every few seconds while its rollups are being rebuilt.
 */
export function useRetention(query: RetentionQuery) {
  return useQuery({
    queryKey: metricKeys.retention(query),
    queryFn: () => unwrap(api.GET("/api/v1/metrics/retention", { params: { query } })),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
    refetchInterval: refetchWhileRebuilding,
  });
}

/**
 * The first screen (`metrics:overview`): revenue at risk, the queue's top risks, renewals and
 * expansion of the next quarter, NPS and CSAT, over `scope` ("" = the caller's default).
 */
export function useOverview(scope: OverviewScope | "") {
  return useQuery({
    queryKey: metricKeys.overview(scope),
    queryFn: () =>
      unwrap(api.GET("/api/v1/metrics/overview", { params: { query: scope ? { scope } : {} } })),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}
