import {
  keepPreviousData,
  type QueryClient,
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { type AccountDetail, api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { accountKeys } from "../book/queries";
import { sourceKeys, unmatchedKeys } from "../sources/queries";
import { queueKeys, runKeys, taskKeys } from "../today/queries";

export type AccountAlias = Schemas["AliasPublic"];
export type AliasCreate = Schemas["AliasCreate"];

/** Under the account's detail key, so refreshing an account refreshes its aliases too. */
export const aliasKeys = {
  list: (accountId: string) => [...accountKeys.detail(accountId), "aliases"] as const,
};

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

export function aliasesQuery(accountId: string) {
  return queryOptions({
    queryKey: aliasKeys.list(accountId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/accounts/{account_id}/aliases", {
          params: { path: { account_id: accountId } },
        }),
      ),
  });
}

/** The keys other systems use for this account (`aliases:list`). */
export function useAliases(accountId: string) {
  return useQuery(aliasesQuery(accountId));
}

/**
 * Add a key for this account (`aliases:create`); the server replays every pending unmatched
 * record with that key. Refreshes account data (aliases included), unmatched records and sources.
 */
export function useCreateAlias(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: AliasCreate) =>
      unwrap(
        api.POST("/api/v1/accounts/{account_id}/aliases", {
          params: { path: { account_id: accountId } },
          body,
        }),
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: accountKeys.all });
      void queryClient.invalidateQueries({ queryKey: unmatchedKeys.all });
      void queryClient.invalidateQueries({ queryKey: sourceKeys.all });
    },
  });
}

/** Remove one of this account's keys (`aliases:delete`). */
export function useDeleteAlias(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (aliasId: string) =>
      unwrap(
        api.DELETE("/api/v1/accounts/{account_id}/aliases/{alias_id}", {
          params: { path: { account_id: accountId, alias_id: aliasId } },
        }),
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: aliasKeys.list(accountId) });
    },
  });
}

export type AccountHealth = Schemas["AccountHealth"];
export type ComponentHealth = Schemas["ComponentHealth"];
export type SubMetric = Schemas["SubMetric"];
export type HealthHistory = Schemas["HealthHistory"];
export type HealthHistoryPoint = Schemas["HistoryPoint"];
export type Explanation = Schemas["Explanation"];
export type ComponentAttribution = Schemas["ComponentAttribution"];

/** Under the account's detail key, so refreshing an account refreshes its health too. */
export const healthKeys = {
  all: (accountId: string) => [...accountKeys.detail(accountId), "health"] as const,
  current: (accountId: string) => [...healthKeys.all(accountId), "current"] as const,
  history: (accountId: string, from: string) =>
    [...healthKeys.all(accountId), "history", from] as const,
  explain: (accountId: string, from: string, to: string) =>
    [...healthKeys.all(accountId), "explain", from, to] as const,
};

/** Latest health with every component and sub-metric input (`health:get`). */
export function useAccountHealth(accountId: string) {
  return useQuery({
    queryKey: healthKeys.current(accountId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/accounts/{account_id}/health", {
          params: { path: { account_id: accountId } },
        }),
      ),
  });
}

/** Daily health from `from` ("" = the server's 90 days) to today, with config markers and moves. */
export function useHealthHistory(accountId: string, from: string) {
  return useQuery({
    queryKey: healthKeys.history(accountId, from),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/accounts/{account_id}/health/history", {
          params: { path: { account_id: accountId }, query: from ? { from } : {} },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** Why health moved between two dates ("" = the server's defaults: the last 30 days). */
export function useHealthExplain(accountId: string, from: string, to: string) {
  return useQuery({
    queryKey: healthKeys.explain(accountId, from, to),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/accounts/{account_id}/health/explain", {
          params: {
            path: { account_id: accountId },
            query: { ...(from ? { from } : {}), ...(to ? { to } : {}) },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

// ---------- The account picture and what a CSM does on it ----------

export type Flag = Schemas["Flag"];
export type AlertView = Schemas["AlertView"];
export type TaskView = Schemas["TaskView"];
export type NoteView = Schemas["NoteView"];
export type RunView = Schemas["RunView"];
export type OpenTicket = Schemas["OpenTicket"];
export type SurveyView = Schemas["SurveyView"];
export type TouchView = Schemas["TouchView"];
export type RenewalView = Schemas["RenewalView"];
export type InvoiceView = Schemas["InvoiceView"];
export type Subscription = Schemas["SubscriptionPublic"];
export type TimelineEvent = Schemas["TimelineEvent"];
export type FeatureUse = Schemas["FeatureUse"];
export type WeekUsage = Schemas["WeekUsage"];
export type ActiveUsers = Schemas["ActiveUsers"];
export type HealthDay = Schemas["HealthDay"];
export type ArrPoint = Schemas["ArrPoint"];
export type Playbook = Schemas["PlaybookPublic"];
export type TaskCreate = Schemas["TaskCreate"];

export const playbookKeys = {
  all: ["playbooks"] as const,
  list: () => [...playbookKeys.all, "list"] as const,
};

/**
 * Refetch the account picture (only it: its health, history and aliases did not change).
 * Returned from `onSuccess` so the mutation stays pending until the page shows the change.
 */
function refreshPicture(queryClient: QueryClient, accountId: string) {
  return queryClient.invalidateQueries({ queryKey: accountKeys.detail(accountId), exact: true });
}

/** Set or clear the account's flag (`accounts:update`); the book shows flags too. */
export function useUpdateFlag(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (flag: Flag | null) =>
      unwrap(
        api.PATCH("/api/v1/accounts/{account_id}", {
          params: { path: { account_id: accountId } },
          body: { flag },
        }),
      ),
    onSuccess: (summary) => {
      queryClient.setQueryData<AccountDetail>(accountKeys.detail(accountId), (old) =>
        old ? { ...old, flag: summary.flag } : old,
      );
      void queryClient.invalidateQueries({ queryKey: accountKeys.lists() });
      return refreshPicture(queryClient, accountId);
    },
  });
}

/** What the account page refreshes after acting on one of its alerts. */
export function refreshAccount(accountId: string) {
  return (queryClient: QueryClient) => refreshPicture(queryClient, accountId);
}

/** What the account page refreshes after a task changed (lists, runs, the picture). */
export function refreshAfterTask(accountId: string) {
  return (queryClient: QueryClient) => {
    void queryClient.invalidateQueries({ queryKey: taskKeys.all });
    void queryClient.invalidateQueries({ queryKey: runKeys.all });
    return refreshPicture(queryClient, accountId);
  };
}

/** A task of your own on the account (`tasks:create`; assigned to you). */
export function useCreateTask(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { title: string; due_date: string | null }) =>
      unwrap(api.POST("/api/v1/tasks", { body: { account_id: accountId, ...input } })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: taskKeys.all });
      return refreshPicture(queryClient, accountId);
    },
  });
}

/** Every playbook (`playbooks:list`); only fetched when `enabled` (the start form is open). */
export function usePlaybooks(enabled: boolean) {
  return useQuery({
    queryKey: playbookKeys.list(),
    queryFn: () => unwrap(api.GET("/api/v1/playbooks")),
    enabled,
    staleTime: 5 * 60_000,
  });
}

/** Start a play on the account (`playbooks:start`); a 409 means it is already running. */
export function useStartAccountPlay(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (playbookId: string) =>
      unwrap(
        api.POST("/api/v1/playbooks/{playbook_id}/runs", {
          params: { path: { playbook_id: playbookId } },
          body: { account_id: accountId },
        }),
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: taskKeys.all });
      void queryClient.invalidateQueries({ queryKey: runKeys.all });
      void queryClient.invalidateQueries({ queryKey: queueKeys.all });
      return refreshPicture(queryClient, accountId);
    },
  });
}

/** Add a note to the account (`accounts:addNote`). */
export function useAddNote(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: string) =>
      unwrap(
        api.POST("/api/v1/accounts/{account_id}/notes", {
          params: { path: { account_id: accountId } },
          body: { body },
        }),
      ),
    onSuccess: () => refreshPicture(queryClient, accountId),
  });
}

/** Delete one of your own notes (`accounts:deleteNote`; the server refuses others' notes). */
export function useDeleteNote(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (noteId: string) =>
      unwrap(
        api.DELETE("/api/v1/accounts/{account_id}/notes/{note_id}", {
          params: { path: { account_id: accountId, note_id: noteId } },
        }),
      ),
    onSuccess: () => refreshPicture(queryClient, accountId),
  });
}
