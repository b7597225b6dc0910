import {
  keepPreviousData,
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import { accountKeys, accountsQuery } from "../book/queries";
import type { RejectionsQuery, UnmatchedQuery } from "./searchState";

export const sourceKeys = {
  all: ["sources"] as const,
  list: () => [...sourceKeys.all, "list"] as const,
  rejections: (key: string, params: RejectionsQuery) =>
    [...sourceKeys.all, "rejections", key, params] as const,
};

export const unmatchedKeys = {
  all: ["unmatched"] as const,
  list: (params: UnmatchedQuery) => [...unmatchedKeys.all, "list", params] as const,
};

export const sourcesQuery = queryOptions({
  queryKey: sourceKeys.list(),
  queryFn: () => unwrap(api.GET("/api/v1/sources")),
});

/** Data sources with their freshness (`sources:list`). */
export function useSources() {
  return useQuery(sourcesQuery);
}

export function rejectionsQuery(key: string, params: RejectionsQuery) {
  return queryOptions({
    queryKey: sourceKeys.rejections(key, params),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/sources/{key}/rejections", {
          params: { path: { key }, query: params },
        }),
      ),
    // Keep the previous page while paging, but never show another source's items.
    placeholderData: (previous, query) => (query?.queryKey[2] === key ? previous : undefined),
  });
}

/** One page of what a source sent that was not stored, newest first (GET /api/v1/sources/{key}/rejections). */
export function useRejections(key: string, params: RejectionsQuery) {
  return useQuery({ ...rejectionsQuery(key, params), enabled: key.length > 0 });
}

export function unmatchedQuery(params: UnmatchedQuery) {
  return queryOptions({
    queryKey: unmatchedKeys.list(params),
    queryFn: () => unwrap(api.GET("/api/v1/unmatched", { params: { query: params } })),
    placeholderData: keepPreviousData,
  });
}

/** One page of records that found no account (`unmatched:list`). */
export function useUnmatched(params: UnmatchedQuery) {
  return useQuery(unmatchedQuery(params));
}

export const ACCOUNT_PICKER_SIZE = 8;

/** Book search for the "link to account" picker; idle until something is typed. */
export function useAccountSearch(q: string) {
  return useQuery({
    ...accountsQuery({ q, page: 1, page_size: ACCOUNT_PICKER_SIZE, sort: "name" }),
    enabled: q.length > 0,
  });
}

/**
 * Map an unmatched record's key to an account (`unmatched:link`); the server replays every
 * pending record with that key (`replayed` stored, `rejected` refused and kept as rejected).
 * Refreshes sources (with their rejections), unmatched records and account data.
 */
export function useLinkUnmatched() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ recordId, accountId }: { recordId: string; accountId: string }) =>
      unwrap(
        api.POST("/api/v1/unmatched/{record_id}/link", {
          params: { path: { record_id: recordId } },
          body: { account_id: accountId },
        }),
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: unmatchedKeys.all });
      void queryClient.invalidateQueries({ queryKey: sourceKeys.all });
      void queryClient.invalidateQueries({ queryKey: accountKeys.all });
    },
  });
}
