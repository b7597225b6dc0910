import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Schemas } from "../../api/client";
import { toApiError, unwrap } from "../../api/errors";

export type EmbedConfiguration = Schemas["EmbedConfigurationPublic"];
export type EmbedConfigurationCreate = Schemas["EmbedConfigurationCreate"];
export type EmbedConfigurationUpdate = Schemas["EmbedConfigurationUpdate"];
export type EmbedStatus = Schemas["EmbedStatus"];
export type EmbedKey = Schemas["EmbedKeyPublic"];
export type TileKind = Schemas["TileKind"];
export type TileTheme = "light" | "dark";

/** Every tile kind, in the order they are listed and previewed. */
export const TILE_KINDS: readonly { kind: TileKind; label: string }[] = [
  { kind: "health", label: "Health" },
  { kind: "quadrant", label: "Quadrant" },
  { kind: "renewal", label: "Renewal" },
  { kind: "usage_trend", label: "Usage trend" },
];

const TILE_LABELS = new Map(TILE_KINDS.map((t) => [t.kind, t.label]));

/** ["usage_trend", "health"] → "Health, Usage trend" (in the canonical order). */
export function tileLabels(kinds: readonly TileKind[]): string {
  return TILE_KINDS.filter((t) => kinds.includes(t.kind))
    .map((t) => t.label)
    .concat(kinds.filter((k) => !TILE_LABELS.has(k)))
    .join(", ");
}

export const embedKeys = {
  all: ["embedding"] as const,
  configurations: () => [...embedKeys.all, "configurations"] as const,
  keys: () => [...embedKeys.all, "keys"] as const,
  tile: (kind: TileKind, accountId: string, theme: TileTheme) =>
    [...embedKeys.all, "tile", kind, accountId, theme] as const,
};

export const embedConfigurationsQuery = queryOptions({
  queryKey: embedKeys.configurations(),
  queryFn: () => unwrap(api.GET("/api/v1/embed-configurations")),
});

/** Every embed configuration with its token counts (`embed:configurations`, admin). */
export function useEmbedConfigurations() {
  return useQuery(embedConfigurationsQuery);
}

/** A new embedding (admin); a 422 lists `errors[].loc` such as ["body", "origins", 1]. */
export function useCreateEmbedConfiguration() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: EmbedConfigurationCreate) =>
      unwrap(api.POST("/api/v1/embed-configurations", { body })),
    onSuccess: (created) => {
      queryClient.setQueryData(embedKeys.configurations(), (list: EmbedConfiguration[] = []) => [
        created,
        ...list.filter((c) => c.id !== created.id),
      ]);
      void queryClient.invalidateQueries({ queryKey: embedKeys.configurations() });
    },
  });
}

/** Rename, pause, resume or revoke an embedding (admin); leaving "revoked" is a 409. */
export function useUpdateEmbedConfiguration() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: EmbedConfigurationUpdate & { id: string }) =>
      unwrap(
        api.PATCH("/api/v1/embed-configurations/{configuration_id}", {
          params: { path: { configuration_id: id } },
          body,
        }),
      ),
    onSuccess: (updated) => {
      queryClient.setQueryData(embedKeys.configurations(), (list: EmbedConfiguration[] = []) =>
        list.map((c) => (c.id === updated.id ? updated : c)),
      );
    },
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: embedKeys.configurations() });
    },
  });
}

/** The keys embed tokens are signed with: the current one and those retiring (admin). */
export function useEmbedKeys() {
  return useQuery({
    queryKey: embedKeys.keys(),
    queryFn: () => unwrap(api.GET("/api/v1/embed-keys")),
  });
}

/** Sign new tokens with a new key; answers the keys as they are now (admin). */
export function useRotateEmbedKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/embed-keys/rotate")),
    onSuccess: (keys) => queryClient.setQueryData(embedKeys.keys(), keys),
  });
}

/**
 * One tile as SVG, read with the signed-in user's own bearer token (the API client adds it,
 * from ../../api/token): the same picture a host page gets with an embed token. Answered as a
 * `data:` URL for an <img>: the SPA's Content-Security-Policy (`img-src 'self' data:`) refuses
 * `blob:` object URLs, and a data URL needs no revoking.
 */
export async function fetchTileSvg(
  kind: TileKind,
  accountId: string,
  theme: TileTheme,
  signal?: AbortSignal,
): Promise<string> {
  const { data, error, response } = await api.GET("/embed/tiles/{kind}/{account_id}", {
    params: { path: { kind, account_id: accountId }, query: { format: "svg", theme } },
    headers: { Accept: "image/svg+xml" },
    parseAs: "text",
    signal,
  });
  if (!response.ok || error !== undefined || typeof data !== "string") {
    throw toApiError(response, error);
  }
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(data)}`;
}

/** A tile's SVG (as a data URL) for the preview; cached a minute. */
export function useTileSvg(kind: TileKind, accountId: string, theme: TileTheme) {
  return useQuery({
    queryKey: embedKeys.tile(kind, accountId, theme),
    queryFn: ({ signal }) => fetchTileSvg(kind, accountId, theme, signal),
    enabled: accountId !== "",
    staleTime: 60_000,
  });
}
