import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { downloadFile } from "../../lib/download";
import type { ListScope } from "../../lib/scope";

export type Hygiene = Schemas["Hygiene"];
export type HygieneFillRate = Schemas["HygieneFillRate"];
export type HygieneCheck = Schemas["HygieneCheck"];
export type HygieneScorePart = Schemas["HygieneScorePart"];
export type HygieneAccounts = Schemas["HygieneAccounts"];
export type HygieneAccount = Schemas["HygieneAccount"];

/** Rows the page lists per check (the CSV export has every one). */
export const LIST_LIMIT = 100;

export const hygieneKeys = {
  all: ["hygiene"] as const,
  summary: (scope: ListScope | "") => [...hygieneKeys.all, "summary", scope] as const,
  accounts: (key: string, scope: ListScope | "") =>
    [...hygieneKeys.all, "accounts", key, scope] as const,
};

const scoped = (scope: ListScope | "") => (scope ? { scope } : {});

/** Fill rates, checks and the score over the accounts of `scope` (`hygiene:get`). */
export function useHygiene(scope: ListScope | "") {
  return useQuery({
    queryKey: hygieneKeys.summary(scope),
    queryFn: () => unwrap(api.GET("/api/v1/hygiene", { params: { query: scoped(scope) } })),
    placeholderData: keepPreviousData,
  });
}

/** The accounts behind one check or one field's missing fill, largest ARR first. */
export function useHygieneAccounts(key: string, scope: ListScope | "", enabled = true) {
  return useQuery({
    queryKey: hygieneKeys.accounts(key, scope),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/hygiene/checks/{key}/accounts", {
          params: { path: { key }, query: { ...scoped(scope), limit: LIST_LIMIT } },
        }),
      ),
    enabled,
  });
}

/**
 * Download the accounts behind a check as CSV, with the session's bearer token (a plain link
 * would carry none): the Book's export does the same.
 */
export function downloadHygieneAccounts(key: string, scope: ListScope | ""): Promise<void> {
  return downloadFile(
    "/api/v1/hygiene/checks/{key}/accounts",
    { path: { key }, query: { ...scoped(scope), format: "csv" } },
    `tempo-hygiene-${key.replace(":", "-")}.csv`,
  );
}
