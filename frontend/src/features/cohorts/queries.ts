import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { Split } from "./searchState";

export type CohortReport = Schemas["CohortReport"];
export type Cohort = Schemas["Cohort"];
export type CohortAge = Schemas["CohortAge"];
export type ChurnDrivers = Schemas["ChurnDrivers"];
export type Driver = Schemas["Driver"];
export type TimeToValue = Schemas["TimeToValue"];
export type EngagementChurn = Schemas["EngagementChurn"];
export type Rate = Schemas["Rate"];

/** Analytics read a large book and change at most daily: keep them a few minutes. */
const STALE = 5 * 60_000;

export const cohortKeys = {
  all: ["analytics", "cohorts"] as const,
  report: (split: Split, months: number) => [...cohortKeys.all, "report", split, months] as const,
  drivers: (months: number) => [...cohortKeys.all, "drivers", months] as const,
  timeToValue: () => [...cohortKeys.all, "time-to-value"] as const,
  engagement: () => [...cohortKeys.all, "engagement"] as const,
};

/** Logo and revenue retention by cohort month and age (`analytics:cohorts`). */
export function useCohorts(split: Split, months: number) {
  return useQuery({
    queryKey: cohortKeys.report(split, months),
    queryFn: () =>
      unwrap(api.GET("/api/v1/analytics/cohorts", { params: { query: { split, months } } })),
    placeholderData: keepPreviousData,
    staleTime: STALE,
  });
}

/** Churns of the last `months` months ranked by lost ARR, per dimension (`analytics:churnDrivers`). */
export function useChurnDrivers(months: number) {
  return useQuery({
    queryKey: cohortKeys.drivers(months),
    queryFn: () =>
      unwrap(api.GET("/api/v1/analytics/churn-drivers", { params: { query: { months } } })),
    placeholderData: keepPreviousData,
    staleTime: STALE,
  });
}

/** Days from signup to first value and to onboarding, by segment (`analytics:timeToValue`). */
export function useTimeToValue() {
  return useQuery({
    queryKey: cohortKeys.timeToValue(),
    queryFn: () => unwrap(api.GET("/api/v1/analytics/time-to-value")),
    staleTime: STALE,
  });
}

/** Churn rate by usage tier 90 days before each outcome (`analytics:engagementChurn`). */
export function useEngagementChurn() {
  return useQuery({
    queryKey: cohortKeys.engagement(),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/analytics/engagement-churn", { params: { query: { horizon_days: 90 } } }),
      ),
    staleTime: STALE,
  });
}
