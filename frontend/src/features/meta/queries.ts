import { queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import { localToday } from "../../lib/format";

export const metaQuery = queryOptions({
  queryKey: ["meta"] as const,
  queryFn: () => unwrap(api.GET("/api/v1/meta")),
  staleTime: 10 * 60_000,
});

export function useMeta() {
  return useQuery(metaQuery);
}

/** Reporting currency and "today" from the server, with safe fallbacks while loading. */
export function useReportingContext(): { currency: string; today: string } {
  const { data } = useMeta();
  return { currency: data?.reporting_currency ?? "USD", today: data?.today ?? localToday() };
}
