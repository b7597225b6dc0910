import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { paths } from "../../api/schema";
import { sourceKeys } from "../sources/queries";

export type AdminUser = Schemas["UserAdmin"];
export type UserUpdate = Schemas["UserUpdate"];
export type UserCreate = Schemas["UserCreate"];
export type Role = Schemas["Role"];
export type ApiKey = Schemas["ApiKeyPublic"];
export type ApiKeyCreated = Schemas["ApiKeyCreated"];
export type ApiKeyScope = Schemas["ApiKeyScope"];
export type Channel = Schemas["ChannelPublic"];
export type ChannelCreate = Schemas["ChannelCreate"];
export type Delivery = Schemas["DeliveryPublic"];
export type AuditEntry = Schemas["AuditEntry"];
export type AuditPage = Schemas["AuditPage"];
export type Feature = Schemas["FeaturePublic"];
export type FeatureUpdate = Schemas["FeatureUpdate"];
export type FeatureCatalogue = Schemas["FeatureCatalogue"];
export type PatternPreview = Schemas["PatternPreview"];
export type DataSource = Schemas["DataSourcePublic"];
export type DataSourceUpdate = Schemas["DataSourceUpdate"];
export type AuditQuery = NonNullable<paths["/api/v1/audit"]["get"]["parameters"]["query"]>;

export const ROLES: readonly Role[] = ["admin", "leader", "csm", "product", "viewer"];

export const adminKeys = {
  all: ["admin"] as const,
  users: () => [...adminKeys.all, "users"] as const,
  keys: () => [...adminKeys.all, "api-keys"] as const,
  channels: () => [...adminKeys.all, "channels"] as const,
  deliveries: () => [...adminKeys.all, "deliveries"] as const,
  audit: (query: AuditQuery) => [...adminKeys.all, "audit", query] as const,
  auditFacets: () => [...adminKeys.all, "audit-facets"] as const,
  features: () => ["features"] as const,
  preview: (pattern: string, featureId: number | null) =>
    ["features", "preview", pattern, featureId] as const,
};

// -- users --------------------------------------------------------------------------------

export function useUsers() {
  return useQuery({
    queryKey: adminKeys.users(),
    queryFn: () => unwrap(api.GET("/api/v1/users")),
  });
}

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UserCreate) => unwrap(api.POST("/api/v1/users", { body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: adminKeys.users() }),
  });
}

export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UserUpdate }) =>
      unwrap(api.PATCH("/api/v1/users/{user_id}", { params: { path: { user_id: id } }, body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: adminKeys.users() }),
  });
}

// -- API keys -----------------------------------------------------------------------------

export function useApiKeys() {
  return useQuery({
    queryKey: adminKeys.keys(),
    queryFn: () => unwrap(api.GET("/api/v1/api-keys")),
  });
}

export function useCreateApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["ApiKeyCreate"]) => unwrap(api.POST("/api/v1/api-keys", { body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: adminKeys.keys() }),
  });
}

export function useRevokeApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE("/api/v1/api-keys/{key_id}", { params: { path: { key_id: id } } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: adminKeys.keys() }),
  });
}

// -- notification channels ------------------------------------------------------------------

export function useChannels() {
  return useQuery({
    queryKey: adminKeys.channels(),
    queryFn: () => unwrap(api.GET("/api/v1/notifications/channels")),
  });
}

export function useCreateChannel() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ChannelCreate) =>
      unwrap(api.POST("/api/v1/notifications/channels", { body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: adminKeys.channels() }),
  });
}

export function useDeleteChannel() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(
        api.DELETE("/api/v1/notifications/channels/{channel_id}", {
          params: { path: { channel_id: id } },
        }),
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: adminKeys.channels() }),
  });
}

/** Deliveries, newest first; `watch` polls every 2 s (while test pings are on their way). */
export function useDeliveries(watch = false) {
  return useQuery({
    queryKey: adminKeys.deliveries(),
    queryFn: () =>
      unwrap(api.GET("/api/v1/notifications/deliveries", { params: { query: { limit: 200 } } })),
    refetchInterval: watch ? 2000 : false,
  });
}

export function useSendTest() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/notifications/test", {})),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: adminKeys.deliveries() }),
  });
}

export function useRetryDelivery() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(
        api.POST("/api/v1/notifications/deliveries/{delivery_id}/retry", {
          params: { path: { delivery_id: id } },
        }),
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: adminKeys.deliveries() }),
  });
}

// -- audit log ------------------------------------------------------------------------------

export function useAuditPage(query: AuditQuery) {
  return useQuery({
    queryKey: adminKeys.audit(query),
    queryFn: () => unwrap(api.GET("/api/v1/audit", { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

export function useAuditFacets() {
  return useQuery({
    queryKey: adminKeys.auditFacets(),
    queryFn: () => unwrap(api.GET("/api/v1/audit/facets")),
    staleTime: 60_000,
  });
}

// -- features -------------------------------------------------------------------------------

export function useFeatures() {
  return useQuery({
    queryKey: adminKeys.features(),
    queryFn: () => unwrap(api.GET("/api/v1/features")),
  });
}

export function useUpdateFeature() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: FeatureUpdate }) =>
      unwrap(
        api.PATCH("/api/v1/features/{feature_id}", { params: { path: { feature_id: id } }, body }),
      ),
    onSuccess: (saved) => {
      // the saved feature at once (no flicker back while the list refetches)
      queryClient.setQueryData(adminKeys.features(), (catalogue: FeatureCatalogue | undefined) =>
        catalogue
          ? { ...catalogue, items: catalogue.items.map((f) => (f.id === saved.id ? saved : f)) }
          : catalogue,
      );
      void queryClient.invalidateQueries({ queryKey: adminKeys.features() });
    },
  });
}

/** What `pattern` would match (admin); off while the pattern is empty. */
export function usePatternPreview(pattern: string, featureId: number | null) {
  return useQuery({
    queryKey: adminKeys.preview(pattern, featureId),
    queryFn: () =>
      unwrap(
        api.POST("/api/v1/features/preview", {
          body:
            featureId === null
              ? { event_pattern: pattern }
              : { event_pattern: pattern, feature_id: featureId },
        }),
      ),
    enabled: pattern.trim() !== "",
    placeholderData: keepPreviousData,
    retry: false,
  });
}

/** Start a run re-scoring today for every account (admin): feature adoption follows the catalogue. */
export function useRescoreToday() {
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/scoring/runs", { body: { cadence: "daily" } })),
  });
}

// -- data sources ---------------------------------------------------------------------------

/** The Sources page's list (shared cache): freshness, threshold and owner of every source. */
export { useSources } from "../sources/queries";

export function useUpdateSource() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ key, body }: { key: string; body: DataSourceUpdate }) =>
      unwrap(api.PATCH("/api/v1/sources/{key}", { params: { path: { key } }, body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: sourceKeys.all }),
  });
}
