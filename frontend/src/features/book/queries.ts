import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
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
