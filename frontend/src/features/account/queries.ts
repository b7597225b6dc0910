import {
  keepPreviousData,
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { accountKeys } from "../book/queries";
import { sourceKeys, unmatchedKeys } from "../sources/queries";

export type AccountAlias = Schemas["AliasPublic"];
export type AliasCreate = Schemas["AliasCreate"];

/** Under the account's detail key, so refreshing an account refreshes its aliases too. */
export const aliasKeys = {
  list: (accountId: string) => [...accountKeys.detail(accountId), "aliases"] as const,
};

export function accountQuery(accountId: string) {
  return queryOptions({
    queryKey: accountKeys.detail(accountId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/accounts/{account_id}", { params: { path: { account_id: accountId } } }),
      ),
  });
}

/** One account with profile and contacts (`accounts:get`). */
export function useAccount(accountId: string) {
  return useQuery(accountQuery(accountId));
}

export function aliasesQuery(accountId: string) {
  return queryOptions({
    queryKey: aliasKeys.list(accountId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/accounts/{account_id}/aliases", {
          params: { path: { account_id: accountId } },
        }),
      ),
  });
}

/** The keys other systems use for this account (`aliases:list`). */
export function useAliases(accountId: string) {
  return useQuery(aliasesQuery(accountId));
}

/**
 * Add a key for this account (`aliases:create`); the server replays every pending unmatched
 * record with that key. Refreshes account data (aliases included), unmatched records and sources.
 */
export function useCreateAlias(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: AliasCreate) =>
      unwrap(
        api.POST("/api/v1/accounts/{account_id}/aliases", {
          params: { path: { account_id: accountId } },
          body,
        }),
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: accountKeys.all });
      void queryClient.invalidateQueries({ queryKey: unmatchedKeys.all });
      void queryClient.invalidateQueries({ queryKey: sourceKeys.all });
    },
  });
}

/** Remove one of this account's keys (`aliases:delete`). */
export function useDeleteAlias(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (aliasId: string) =>
      unwrap(
        api.DELETE("/api/v1/accounts/{account_id}/aliases/{alias_id}", {
          params: { path: { account_id: accountId, alias_id: aliasId } },
        }),
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: aliasKeys.list(accountId) });
    },
  });
}

export type AccountHealth = Schemas["AccountHealth"];
export type ComponentHealth = Schemas["ComponentHealth"];
export type SubMetric = Schemas["SubMetric"];
export type HealthHistory = Schemas["HealthHistory"];
export type HealthHistoryPoint = Schemas["HistoryPoint"];
export type Explanation = Schemas["Explanation"];
export type ComponentAttribution = Schemas["ComponentAttribution"];

/** Under the account's detail key, so refreshing an account refreshes its health too. */
export const healthKeys = {
  all: (accountId: string) => [...accountKeys.detail(accountId), "health"] as const,
  current: (accountId: string) => [...healthKeys.all(accountId), "current"] as const,
  history: (accountId: string, from: string) =>
    [...healthKeys.all(accountId), "history", from] as const,
  explain: (accountId: string, from: string, to: string) =>
    [...healthKeys.all(accountId), "explain", from, to] as const,
};

/** Latest health with every component and sub-metric input (`health:get`). */
export function useAccountHealth(accountId: string) {
  return useQuery({
    queryKey: healthKeys.current(accountId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/accounts/{account_id}/health", {
          params: { path: { account_id: accountId } },
        }),
      ),
  });
}

/** Daily health from `from` ("" = the server's 90 days) to today, with config markers and moves. */
export function useHealthHistory(accountId: string, from: string) {
  return useQuery({
    queryKey: healthKeys.history(accountId, from),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/accounts/{account_id}/health/history", {
          params: { path: { account_id: accountId }, query: from ? { from } : {} },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** Why health moved between two dates ("" = the server's defaults: the last 30 days). */
export function useHealthExplain(accountId: string, from: string, to: string) {
  return useQuery({
    queryKey: healthKeys.explain(accountId, from, to),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/accounts/{account_id}/health/explain", {
          params: {
            path: { account_id: accountId },
            query: { ...(from ? { from } : {}), ...(to ? { to } : {}) },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}
