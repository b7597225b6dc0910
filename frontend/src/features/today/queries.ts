import {
  keepPreviousData,
  type QueryClient,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { queueKeys as alertQueueKeys } from "../alerts/queries";
import type { QueueQuery } from "./searchState";

export type QueuePage = Schemas["QueuePage"];
export type QueueItem = Schemas["QueueItem"];
export type QueueAlert = Schemas["QueueAlert"];
export type SuggestedPlay = Schemas["SuggestedPlay"];
export type AlertPublic = Schemas["AlertPublic"];
export type PlaybookRun = Schemas["PlaybookRunPublic"];
export type Task = Schemas["TaskPublic"];
export type TaskStatus = Schemas["TaskStatus"];

/** Roles that may act on alerts, plays and tasks (the server's WORK permission). */
const WORK_ROLES = new Set(["admin", "leader", "csm"]);

export function canWork(role: string | undefined): boolean {
  return role !== undefined && WORK_ROLES.has(role);
}

export const queueKeys = {
  all: alertQueueKeys.all,
  list: (query: QueueQuery) => [...alertQueueKeys.all, "list", query] as const,
};

export const taskKeys = {
  all: ["tasks"] as const,
  mine: () => [...taskKeys.all, "mine"] as const,
};

export const runKeys = {
  all: ["playbook-runs"] as const,
  account: (accountId: string) => [...runKeys.all, accountId] as const,
};

/** One page of the ranked queue (`queue:list`). */
export function useQueue(query: QueueQuery) {
  return useQuery({
    queryKey: queueKeys.list(query),
    queryFn: () => unwrap(api.GET("/api/v1/queue", { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

/** Sources that stopped sending (open `data_stale` alerts): shown to those who fix them. */
export function useStaleSources(enabled: boolean) {
  return useQuery({
    queryKey: [...alertQueueKeys.all, "data-stale"] as const,
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/alerts", {
          params: { query: { rule: "data_stale", status: "active", page_size: 20 } },
        }),
      ),
    enabled,
  });
}

/** Runs on an account (`playbooks:runs`), newest first; only fetched when `enabled`. */
export function useAccountRuns(accountId: string, enabled: boolean) {
  return useQuery({
    queryKey: runKeys.account(accountId),
    queryFn: () =>
      unwrap(api.GET("/api/v1/playbooks/runs", { params: { query: { account_id: accountId } } })),
    enabled,
  });
}

/**
 * Start a play on an account (`playbooks:start`). The new run goes into the account's runs
 * cache (the Today panel shows it from there); task lists are refreshed.
 */
export function useStartPlay() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { playbookId: string; accountId: string; alertId: string | null }) =>
      unwrap(
        api.POST("/api/v1/playbooks/{playbook_id}/runs", {
          params: { path: { playbook_id: input.playbookId } },
          body: { account_id: input.accountId, alert_id: input.alertId },
        }),
      ),
    onSuccess: (run) => {
      queryClient.setQueryData<PlaybookRun[]>(runKeys.account(run.account_id), (old) => [
        run,
        ...(old ?? []).filter((r) => r.id !== run.id),
      ]);
      void queryClient.invalidateQueries({ queryKey: taskKeys.all });
    },
  });
}

/** Open tasks assigned to the signed-in user, soonest due first (`tasks:list?mine=true`). */
export function useMyTasks() {
  return useQuery({
    queryKey: taskKeys.mine(),
    queryFn: () => unwrap(api.GET("/api/v1/tasks", { params: { query: { mine: true } } })),
  });
}

/**
 * Put the updated task into every cached list that shows it instead of refetching: a task just
 * ticked off stays on screen, checked, until the lists are next loaded.
 */
export function replaceTask(queryClient: QueryClient, task: Task): undefined {
  queryClient.setQueriesData<Task[]>({ queryKey: taskKeys.all }, (old) =>
    old?.map((t) => (t.id === task.id ? task : t)),
  );
  queryClient.setQueriesData<PlaybookRun[]>({ queryKey: runKeys.all }, (old) =>
    old?.map((run) =>
      run.tasks?.some((t) => t.id === task.id)
        ? { ...run, tasks: run.tasks.map((t) => (t.id === task.id ? task : t)) }
        : run,
    ),
  );
  return undefined;
}
