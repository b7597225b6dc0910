import { type QueryClient, useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";

export type AlertAction =
  | { action: "ack" }
  /** Without `until`: for the rule's snooze days in the active scoring config. */
  | { action: "snooze"; until?: string }
  | { action: "resolve"; reason?: string };

function alertRequest(alertId: string, body: AlertAction) {
  const path = { params: { path: { alert_id: alertId } } };
  switch (body.action) {
    case "ack":
      return api.POST("/api/v1/alerts/{alert_id}/ack", path);
    case "snooze":
      return api.POST("/api/v1/alerts/{alert_id}/snooze", {
        ...path,
        body: body.until ? { until: body.until } : {},
      });
    case "resolve":
      return api.POST("/api/v1/alerts/{alert_id}/resolve", {
        ...path,
        body: body.reason ? { reason: body.reason } : {},
      });
  }
}

/** The Today queue's query keys (every view acting on an alert refreshes the queue). */
export const queueKeys = { all: ["queue"] as const };

/**
 * Acknowledge, snooze or resolve one alert (`alerts:ack|snooze|resolve`). The queue is
 * refreshed afterwards, also after a failure (a 409 means our copy is stale), and so is
 * whatever `refresh` names (the account picture, on the account page).
 */
export function useAlertAction(
  alertId: string,
  refresh?: (queryClient: QueryClient) => Promise<unknown>,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: AlertAction) => unwrap(alertRequest(alertId, body)),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: queueKeys.all });
      return refresh?.(queryClient);
    },
  });
}
