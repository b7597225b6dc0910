import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";

export type QuadrantChurn = Schemas["QuadrantChurn"];
export type QuarterChurn = Schemas["QuarterChurn"];
export type Rate = Schemas["Rate"];
export type TransitionMatrix = Schemas["TransitionMatrix"];
export type TransitionCount = Schemas["TransitionCount"];
export type FeatureByQuadrant = Schemas["FeatureByQuadrant"];
export type AdoptionBeforeRenewal = Schemas["AdoptionBeforeRenewal"];
export type FeatureAdoption = Schemas["FeatureAdoption"];
export type ComplaintToFix = Schemas["ComplaintToFix"];

/** Analytics read a large book and change at most daily: keep them a few minutes. */
const STALE = 5 * 60_000;

export const productKeys = {
  all: ["analytics", "product"] as const,
  quadrantChurn: () => [...productKeys.all, "quadrant-churn"] as const,
  transitions: (from: string, to: string) => ["quadrants", "transitions", from, to] as const,
  features: () => [...productKeys.all, "features-by-quadrant"] as const,
  adoption: () => [...productKeys.all, "adoption-before-renewal"] as const,
  complaints: () => [...productKeys.all, "complaint-to-fix"] as const,
};

/** Churn rate by quadrant 90 days before each outcome, per quarter (`analytics:quadrantChurn`). */
export function useQuadrantChurn() {
  return useQuery({
    queryKey: productKeys.quadrantChurn(),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/analytics/quadrant-churn", { params: { query: { horizon_days: 90 } } }),
      ),
    staleTime: STALE,
  });
}

/** How accounts moved between quadrants from one date to another (`quadrants:transitions`); waits for both dates. */
export function useTransitions(from: string, to: string) {
  return useQuery({
    queryKey: productKeys.transitions(from, to),
    enabled: Boolean(from && to),
    queryFn: () =>
      unwrap(api.GET("/api/v1/quadrants/transitions", { params: { query: { from, to } } })),
    placeholderData: keepPreviousData,
    staleTime: STALE,
  });
}

/** Each feature's reach in every quadrant over the last 28 days (`analytics:featuresByQuadrant`). */
export function useFeaturesByQuadrant() {
  return useQuery({
    queryKey: productKeys.features(),
    queryFn: () => unwrap(api.GET("/api/v1/analytics/features-by-quadrant")),
    staleTime: STALE,
  });
}

/** Renewed vs churned accounts' feature use before renewal (`analytics:adoptionBeforeRenewal`). */
export function useAdoptionBeforeRenewal() {
  return useQuery({
    queryKey: productKeys.adoption(),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/analytics/adoption-before-renewal", { params: { query: { months: 18 } } }),
      ),
    staleTime: STALE,
  });
}

/** Product issues CS raised, by product area, over 12 months (`analytics:complaintToFix`). */
export function useComplaintToFix() {
  return useQuery({
    queryKey: productKeys.complaints(),
    queryFn: () =>
      unwrap(api.GET("/api/v1/analytics/complaint-to-fix", { params: { query: { months: 12 } } })),
    staleTime: STALE,
  });
}
