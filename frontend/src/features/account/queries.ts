import { queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import { accountKeys } from "../book/queries";

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
