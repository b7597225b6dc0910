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
import type { UnmatchedQuery } from "./searchState";

export const sourceKeys = {
  all: ["sources"] as const,
  list: () => [...sourceKeys.all, "list"] as const,
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
 * pending record with that key. Refreshes sources, unmatched records and account data.
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
