import {
  keepPreviousData,
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { api } from "../../api/client";
import { toApiError, unwrap } from "../../api/errors";
import type { components } from "../../api/schema";
import { downloadFile } from "../../lib/download";
import type { ListScope } from "../../lib/scope";
import type { AccountsQuery } from "./searchState";

export const accountKeys = {
  all: ["accounts"] as const,
  lists: () => [...accountKeys.all, "list"] as const,
  list: (params: AccountsQuery) => [...accountKeys.lists(), params] as const,
  detail: (id: string) => [...accountKeys.all, "detail", id] as const,
};

export function accountsQuery(params: AccountsQuery) {
  return queryOptions({
    queryKey: accountKeys.list(params),
    queryFn: () => unwrap(api.GET("/api/v1/accounts", { params: { query: params } })),
    placeholderData: keepPreviousData,
  });
}

/** One page of the book (`accounts:list`); keeps the previous page on screen while paging. */
export function useAccounts(params: AccountsQuery) {
  return useQuery(accountsQuery(params));
}

export type SavedView = components["schemas"]["SavedViewPublic"];
export type BookFields = components["schemas"]["BookFields"];

export const viewKeys = {
  all: ["views"] as const,
  fields: ["accounts", "fields"] as const,
};

/**
 * Saved views: the built-ins first, then the user's own and shared ones; each says the scope
 * to open it with (`scope`: the one asked for, else the user's default; everyone's when the
 * view's filter names an owner).
 */
export function useSavedViews(scope: ListScope | "" = "") {
  return useQuery({
    queryKey: [...viewKeys.all, scope] as const,
    queryFn: () => unwrap(api.GET("/api/v1/views", { params: { query: scope ? { scope } : {} } })),
    staleTime: 60_000,
    // the chips stay on screen while another scope's answer comes
    placeholderData: keepPreviousData,
  });
}

/** The filter language's fields (labels, operators, values seen in the book) and owners. */
export function useBookFields() {
  return useQuery({
    queryKey: viewKeys.fields,
    queryFn: () => unwrap(api.GET("/api/v1/accounts/fields")),
    staleTime: 5 * 60_000,
  });
}

export function useSaveView() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: components["schemas"]["SavedViewCreate"]) =>
      unwrap(api.POST("/api/v1/views", { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: viewKeys.all }),
  });
}

export function useDeleteView() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      const { error, response } = await api.DELETE("/api/v1/views/{view_id}", {
        params: { path: { view_id: id } },
      });
      if (error !== undefined || !response.ok) throw toApiError(response, error);
    },
    onSuccess: () => client.invalidateQueries({ queryKey: viewKeys.all }),
  });
}

export type ExportFormat = "csv" | "xlsx";

/** Download the filtered book (every row, the table's order) as CSV or XLSX. */
export function downloadBook(format: ExportFormat, query: AccountsQuery): Promise<void> {
  const { page: _page, page_size: _size, ...rest } = query;
  return downloadFile(
    "/api/v1/accounts/export",
    { query: { ...rest, format } },
    `tempo-book.${format}`,
  );
}
