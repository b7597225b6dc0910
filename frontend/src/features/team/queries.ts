import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { accountKeys } from "../book/queries";
import { metricKeys } from "../leadership/queries";
import { renewalKeys } from "../renewals/queries";
import { queueKeys } from "../today/queries";
import { ownersFilter, type TeamScope } from "./searchState";

export type TeamView = Schemas["TeamView"];
export type TeamRow = Schemas["TeamRow"];
export type ReassignResult = Schemas["ReassignResult"];

export const teamKeys = {
  all: ["team"] as const,
  view: (scope: TeamScope | "") => [...teamKeys.all, "view", scope] as const,
};

/** Coverage per CSM (`team:get`) over `scope` ("" = the caller's default). */
export function useTeam(scope: TeamScope | "") {
  return useQuery({
    queryKey: teamKeys.view(scope),
    queryFn: () => unwrap(api.GET("/api/v1/team", { params: { query: scope ? { scope } : {} } })),
    placeholderData: keepPreviousData,
  });
}

export const OWNER_PAGE_SIZE = 100;

/** The active accounts of some owners (null: nobody's), biggest ARR first, a page at a time. */
export function useOwnerAccounts(owners: (string | null)[], page: number, enabled = true) {
  const query = {
    filter: ownersFilter(owners),
    scope: "all" as const,
    sort: "-arr" as const,
    page,
    page_size: OWNER_PAGE_SIZE,
  };
  return useQuery({
    queryKey: accountKeys.list(query),
    queryFn: () => unwrap(api.GET("/api/v1/accounts", { params: { query } })),
    placeholderData: keepPreviousData,
    enabled: enabled && owners.length > 0,
  });
}

/** Move accounts to another owner; everything counting owners is asked again. */
export function useReassign() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { account_ids: string[]; owner_id: string }) =>
      unwrap(api.POST("/api/v1/accounts/reassign", { body })),
    onSuccess: () => {
      const keys = [teamKeys.all, accountKeys.all, metricKeys.all, queueKeys.all, renewalKeys.all];
      for (const key of keys) {
        void client.invalidateQueries({ queryKey: key });
      }
    },
  });
}
