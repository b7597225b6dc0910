import {
  type QueryClient,
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { api, type Schemas } from "../../api/client";
import { toApiError, unwrap } from "../../api/errors";
import { accountKeys } from "../book/queries";
import { quadrantKeys } from "../quadrants/queries";

export type ConfigDetail = Schemas["ConfigDetail"];
export type ConfigVersion = Schemas["ConfigVersion"];
export type ConfigBody = Schemas["ScoringConfigBody"];
export type MetricConfig = Schemas["MetricConfig"];
export type ComponentDefinition = Schemas["ComponentDefinition"];
export type ConfigPreview = Schemas["ConfigPreview"];
export type TransitionCell = Schemas["TransitionCell"];
export type ScoringRun = Schemas["RunPublic"];
export type ValidationReport = Schemas["ValidationReport"];
export type ValidationBucket = Schemas["Bucket"];
export type CurvePoint = [number, number];
export type AlertThresholds = Schemas["AlertThresholds"];
export type AlertPrecision = Schemas["AlertPrecision"];
export type RulePrecision = Schemas["RulePrecision"];

export const scoringKeys = {
  all: ["scoring"] as const,
  config: () => [...scoringKeys.all, "config"] as const,
  versions: () => [...scoringKeys.all, "versions"] as const,
  version: (version: number) => [...scoringKeys.all, "versions", version] as const,
  run: (runId: string) => [...scoringKeys.all, "runs", runId] as const,
  validation: (horizonDays: number) => [...scoringKeys.all, "validation", horizonDays] as const,
};

// openapi-fetch's response types widen tuples ([raw, score] → number[]); the schema's are exact.
const asDetail = (data: unknown) => data as ConfigDetail;

export const activeConfigQuery = queryOptions({
  queryKey: scoringKeys.config(),
  queryFn: () => unwrap(api.GET("/api/v1/scoring/config")).then(asDetail),
});

/** The active scoring config with the definitions of every component and sub-metric. */
export function useActiveConfig() {
  return useQuery(activeConfigQuery);
}

/** Every config version, newest first (`scoring:config-versions`). */
export function useConfigVersions() {
  return useQuery({
    queryKey: scoringKeys.versions(),
    queryFn: () => unwrap(api.GET("/api/v1/scoring/config/versions")),
  });
}

/** One version's body (`scoring:config-version`); versions never change once saved. */
export function useConfigVersion(version: number | null) {
  return useQuery({
    queryKey: scoringKeys.version(version ?? 0),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/scoring/config/versions/{version}", {
          params: { path: { version: version ?? 0 } },
        }),
      ).then(asDetail),
    enabled: version !== null,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Download one version as YAML (through the API client, so the bearer token is sent). */
export async function downloadVersionYaml(version: number): Promise<void> {
  const { data, error, response } = await api.GET("/api/v1/scoring/config/versions/{version}", {
    params: { path: { version }, query: { format: "yaml" } },
    parseAs: "blob",
  });
  if (!response.ok || error !== undefined || !data) throw toApiError(response, error);
  const url = URL.createObjectURL(data);
  const link = document.createElement("a");
  link.href = url;
  link.download = `tempo-scoring-v${version}.yaml`;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** What would change with this body: quadrant and band moves, largest changes (admin). */
export function usePreviewConfig() {
  return useMutation({
    mutationFn: (body: ConfigBody) =>
      unwrap(api.POST("/api/v1/scoring/config/preview", { body: { body } })),
  });
}

/** Save a new, inactive version (admin); 422 problems carry `errors[].loc` per field. */
export function useCreateVersion() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (payload: { name: string | null; body: ConfigBody }) =>
      unwrap(api.POST("/api/v1/scoring/config/versions", { body: payload })).then(asDetail),
    onSuccess: (created) => {
      queryClient.setQueryData(scoringKeys.version(created.version), created);
      void queryClient.invalidateQueries({ queryKey: scoringKeys.versions() });
    },
  });
}

/** A new version from a YAML document as exported (admin). */
export function useImportVersion() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (yaml: string) =>
      unwrap(
        api.POST("/api/v1/scoring/config/versions/import", {
          body: yaml,
          bodySerializer: (text: string) => text,
          headers: { "Content-Type": "application/yaml" },
        }),
      ).then(asDetail),
    onSuccess: (created) => {
      queryClient.setQueryData(scoringKeys.version(created.version), created);
      void queryClient.invalidateQueries({ queryKey: scoringKeys.versions() });
    },
  });
}

/** Make a version active; the server starts a run re-scoring today (admin). */
export function useActivateVersion() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (version: number) =>
      unwrap(
        api.POST("/api/v1/scoring/config/versions/{version}/activate", {
          params: { path: { version } },
        }),
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: scoringKeys.config() });
      void queryClient.invalidateQueries({ queryKey: scoringKeys.versions() });
    },
  });
}

const FINISHED = new Set(["succeeded", "failed", "cancelled"]);

export function isRunFinished(run: ScoringRun | undefined): boolean {
  return run !== undefined && FINISHED.has(run.status);
}

/** A scoring run, polled every second until it has finished. */
export function useScoringRun(runId: string | null) {
  return useQuery({
    queryKey: scoringKeys.run(runId ?? ""),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/scoring/runs/{run_id}", { params: { path: { run_id: runId ?? "" } } }),
      ),
    enabled: runId !== null,
    refetchInterval: (query) => (isRunFinished(query.state.data) ? false : 1000),
    staleTime: 0,
  });
}

/** After a run has written new scores: everything showing scores is out of date. */
export function invalidateScores(queryClient: QueryClient): void {
  void queryClient.invalidateQueries({ queryKey: quadrantKeys.all });
  void queryClient.invalidateQueries({ queryKey: accountKeys.all });
  void queryClient.invalidateQueries({ queryKey: [...scoringKeys.all, "validation"] });
}

/** How well health predicted renewals and churn (`scoring:validation`). */
export function useValidation(horizonDays: number) {
  return useQuery({
    queryKey: scoringKeys.validation(horizonDays),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/scoring/validation", { params: { query: { horizon_days: horizonDays } } }),
      ),
    staleTime: 5 * 60_000,
  });
}

/** The alert precision report's key: it changes with the active config version. */
export const alertPrecisionKey = ["alerts", "precision"] as const;

/**
 * Each alert rule's precision, back-tested on the health history (`alerts:precision`); the
 * server computes it once a day per config version, so it is kept for a while here too.
 */
export function useAlertPrecision() {
  return useQuery({
    queryKey: alertPrecisionKey,
    queryFn: () => unwrap(api.GET("/api/v1/alerts/precision")),
    staleTime: 10 * 60_000,
  });
}
