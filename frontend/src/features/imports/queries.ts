import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  api,
  type ImportDetectBody,
  type ImportPreset,
  type ImportPreviewBody,
  type ImportReport,
  type ImportRunBody,
} from "../../api/client";
import { toApiError, unwrap } from "../../api/errors";
import { isKind, type Kind } from "../../api/kinds";
import { multipart } from "../../api/multipart";
import { accountKeys } from "../book/queries";
import { sourceKeys, unmatchedKeys } from "../sources/queries";
import { type ImportProgress, readImportStream } from "./ndjson";

export const importKeys = {
  all: ["import"] as const,
  presets: () => [...importKeys.all, "presets"] as const,
  fields: () => [...importKeys.all, "fields"] as const,
};

export const presetsQuery = queryOptions({
  queryKey: importKeys.presets(),
  queryFn: () => unwrap(api.GET("/api/v1/import/presets")),
  staleTime: 10 * 60_000,
});

/** A preset whose kind this client knows (a newer server may offer more). */
export type KnownPreset = ImportPreset & { kind: Kind };

function knownPresets(presets: ImportPreset[]): KnownPreset[] {
  return presets.filter((p): p is KnownPreset => isKind(p.kind));
}

/** Named column mappings for known exports (`import:presets`). */
export function usePresets() {
  return useQuery({ ...presetsQuery, select: knownPresets });
}

export const fieldsQuery = queryOptions({
  queryKey: importKeys.fields(),
  queryFn: () => unwrap(api.GET("/api/v1/import/fields")),
  staleTime: 10 * 60_000,
});

/** Target fields of every kind (`import:fields`). */
export function useImportFields() {
  return useQuery(fieldsQuery);
}

export interface PreviewRequest {
  kind: Kind;
  file: File;
  /** The preset whose mapping the server resolves against the file's columns. */
  preset: string | null;
}

/**
 * Columns, first rows, a suggested mapping, the preset the header row matches, skipped
 * footer rows and the few distinct values of each column, for an uploaded file
 * (`import:preview`).
 */
export function usePreview() {
  return useMutation({
    mutationFn: ({ kind, file, preset }: PreviewRequest) =>
      unwrap(
        api.POST("/api/v1/import/{kind}/preview", {
          params: { path: { kind } },
          ...multipart<ImportPreviewBody>({ file, preset }),
        }),
      ),
  });
}

/**
 * Which known export a dropped file is, from its header row (`detectImport`), so the preset
 * and kind can be chosen before anyone picks them.
 */
export function useDetect() {
  return useMutation({
    mutationFn: (file: File) =>
      unwrap(api.POST("/api/v1/import/detect", { ...multipart<ImportDetectBody>({ file }) })),
  });
}

export interface RunRequest {
  kind: Kind;
  file: File;
  mapping: Record<string, string>;
  /** `{field: {source value: target}}`; a null target leaves the field empty. */
  values: Record<string, Record<string, string | null>>;
  preset: string | null;
  /** null: leave it to the server (false, or the preset's default). */
  createMissingAccounts: boolean | null;
  dayFirst: boolean;
  source: string;
}

function runBody(request: RunRequest, dryRun: boolean) {
  return multipart<ImportRunBody>({
    file: request.file,
    mapping: JSON.stringify(request.mapping),
    values: Object.keys(request.values).length ? JSON.stringify(request.values) : null,
    preset: request.preset,
    dry_run: dryRun,
    create_missing_accounts: request.createMissingAccounts,
    day_first: request.dayFirst,
    source: request.source.trim() || null,
  });
}

/** Validate without writing anything (`import:run` with `dry_run=true`, plain JSON answer). */
export function useDryRun() {
  return useMutation({
    mutationFn: (request: RunRequest) =>
      unwrap(
        api.POST("/api/v1/import/{kind}", {
          params: { path: { kind: request.kind } },
          ...runBody(request, true),
        }),
      ),
  });
}

/**
 * The real import. Asks for NDJSON (`Accept: application/x-ndjson`) and reads it as it
 * arrives, reporting progress; still through the shared client (`parseAs: "stream"`), so
 * the bearer token and 401 handling apply. A server that answers plain JSON also works.
 */
export async function runImport(
  request: RunRequest,
  onProgress: (progress: ImportProgress) => void,
): Promise<ImportReport> {
  const { data, error, response } = await api.POST("/api/v1/import/{kind}", {
    params: { path: { kind: request.kind } },
    ...runBody(request, false),
    headers: { Accept: "application/x-ndjson" },
    parseAs: "stream",
  });
  if (!response.ok || error !== undefined) throw toApiError(response, error);
  if (!data) throw toApiError(response, { detail: "The server sent an empty answer." });
  const contentType = response.headers.get("Content-Type") ?? "";
  if (contentType.includes("application/json")) {
    return (await new Response(data).json()) as ImportReport;
  }
  return readImportStream(data, onProgress);
}

/** `runImport` as a mutation; afterwards sources, unmatched records and accounts are refetched. */
export function useRunImport(onProgress: (progress: ImportProgress) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: RunRequest) => runImport(request, onProgress),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: sourceKeys.all });
      void queryClient.invalidateQueries({ queryKey: unmatchedKeys.all });
      void queryClient.invalidateQueries({ queryKey: accountKeys.all });
    },
  });
}
