import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { downloadFile } from "../../lib/download";
import { refetchWhileRebuilding } from "../../lib/freshness";
import type { ListScope } from "../../lib/scope";
import type { RenewalsQuery } from "./searchState";
import type { TermFilter } from "./terms";

export type Renewal = Schemas["RenewalRow"];
export type RenewalsPage = Schemas["RenewalsPage"];
export type Rollup = Schemas["Rollup"];
export type RollupRow = Schemas["RollupRow"];
export type RenewalUpdate = Schemas["RenewalUpdate"];

export const renewalKeys = {
  all: ["renewals"] as const,
  lists: () => [...renewalKeys.all, "list"] as const,
  list: (query: RenewalsQuery) => [...renewalKeys.lists(), query] as const,
  rollup: (withinDays: number, term: TermFilter, scope: ListScope | "") =>
    [...renewalKeys.all, "rollup", withinDays, term, scope] as const,
};

/** Renewals by date with health and forecasts (`renewals:list`, JSON). */
export function useRenewals(query: RenewalsQuery) {
  return useQuery({
    queryKey: renewalKeys.list(query),
    queryFn: () =>
      unwrap(api.GET("/api/v1/renewals", { params: { query: { ...query, format: "json" } } })),
    placeholderData: keepPreviousData,
    refetchInterval: refetchWhileRebuilding,
  });
}

/**
 * Open renewals of `term` in the next N days by forecast: the team's and health's
 * (`renewals:rollup`), over the accounts of `scope` ("" = the caller's default).
 */
export function useRenewalsRollup(withinDays: number, term: TermFilter, scope: ListScope | "") {
  return useQuery({
    queryKey: renewalKeys.rollup(withinDays, term, scope),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/renewals/rollup", {
          params: { query: { within_days: withinDays, term, ...(scope ? { scope } : {}) } },
        }),
      ),
    placeholderData: keepPreviousData,
    refetchInterval: refetchWhileRebuilding,
  });
}

/** Set a renewal's forecast (null clears it) or notes (`renewals:update`). */
export function useUpdateRenewal() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: RenewalUpdate }) =>
      unwrap(
        api.PATCH("/api/v1/renewals/{renewal_id}", {
          params: { path: { renewal_id: id } },
          body,
        }),
      ),
    onSuccess: (row) => {
      // Show the saved row at once, then refresh the lists (filters) and rollups (totals).
      client.setQueriesData<RenewalsPage>({ queryKey: renewalKeys.lists() }, (page) =>
        page ? { ...page, items: page.items.map((r) => (r.id === row.id ? row : r)) } : page,
      );
      void client.invalidateQueries({ queryKey: renewalKeys.all });
    },
  });
}

export type RenewalsExport = "csv" | "ndjson";

/** Download the renewals matching the filters, as CSV or NDJSON. */
export function downloadRenewals(format: RenewalsExport, query: RenewalsQuery): Promise<void> {
  return downloadFile("/api/v1/renewals", { query: { ...query, format } }, `renewals.${format}`);
}
