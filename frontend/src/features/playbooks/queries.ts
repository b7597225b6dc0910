import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type AccountSummary, api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { accountsQuery } from "../book/queries";
import { runKeys, taskKeys } from "../today/queries";

export type Playbook = Schemas["PlaybookPublic"];
export type PlaybookDefinition = Schemas["PlaybookDefinition"];
export type PlaybookCreate = Schemas["PlaybookCreate"];
export type PlaybookUpdate = Schemas["PlaybookUpdate"];
export type PlayPreview = Schemas["PlayPreview"];
export type DraftTask = Schemas["DraftTask"];
export type Effectiveness = Schemas["PlaybookEffectiveness"];
export type WindowEffect = Schemas["WindowEffect"];
export type PlaybookRun = Schemas["PlaybookRunPublic"];
export type RunStatus = Schemas["PlaybookRunStatus"];
export type TriggerType = Schemas["TriggerType"];
export type Band = Schemas["Band"];

/** Roles that may define plays (the server's LEAD permission). */
const LEAD_ROLES = new Set(["admin", "leader"]);

export function canEditPlaybooks(role: string | undefined): boolean {
  return role !== undefined && LEAD_ROLES.has(role);
}

export const playbookKeys = {
  all: ["playbooks"] as const,
  list: () => [...playbookKeys.all, "list"] as const,
  effectiveness: () => [...playbookKeys.all, "effectiveness"] as const,
  preview: (accountId: string, definition: string) =>
    [...playbookKeys.all, "preview", accountId, definition] as const,
};

/** Runs of one play live under the shared runs key, so task updates elsewhere reach them. */
const playbookRunsKey = (playbookId: string, status: RunStatus | null) =>
  [...runKeys.all, "playbook", playbookId, status ?? "all"] as const;

/** The library (`playbooks:list`): built-in plays first, then by name. */
export function usePlaybooks() {
  return useQuery({
    queryKey: playbookKeys.list(),
    queryFn: () => unwrap(api.GET("/api/v1/playbooks")),
  });
}

/** Runs and the 30/60-day improvement rate per play (`playbooks:effectiveness`). */
export function useEffectiveness() {
  return useQuery({
    queryKey: playbookKeys.effectiveness(),
    queryFn: () => unwrap(api.GET("/api/v1/playbooks/effectiveness")),
  });
}

export const RUNS_LIMIT = 20;

/** The latest runs of one play, newest first (`playbooks:runs`). */
export function usePlaybookRuns(playbookId: string, status: RunStatus | null) {
  return useQuery({
    queryKey: playbookRunsKey(playbookId, status),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/playbooks/runs", {
          params: {
            query: {
              playbook_id: playbookId,
              ...(status ? { status } : {}),
              limit: RUNS_LIMIT,
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/**
 * An unsaved definition rendered on a real account (`playbooks:previewDraft`). Keyed by the
 * definition's JSON; nothing is saved, so it is a query: the previous preview stays on screen
 * while the next one loads.
 */
export function usePlayPreview(accountId: string, definitionJson: string | null) {
  return useQuery({
    queryKey: playbookKeys.preview(accountId, definitionJson ?? ""),
    queryFn: ({ signal }) =>
      unwrap(
        api.POST("/api/v1/playbooks/preview", {
          body: {
            account_id: accountId,
            definition: JSON.parse(definitionJson ?? "{}") as PlaybookDefinition,
          },
          signal,
        }),
      ),
    enabled: accountId !== "" && definitionJson !== null,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

/** Save a new play (admin, leader); the library is refreshed. */
export function useCreatePlaybook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PlaybookCreate) => unwrap(api.POST("/api/v1/playbooks", { body })),
    onSuccess: (created) => {
      queryClient.setQueryData<Playbook[]>(playbookKeys.list(), (old) =>
        old ? [...old.filter((p) => p.id !== created.id), created] : old,
      );
      void queryClient.invalidateQueries({ queryKey: playbookKeys.list() });
      void queryClient.invalidateQueries({ queryKey: playbookKeys.effectiveness() });
    },
  });
}

/** Change a play (admin, leader): only the fields that changed are sent. */
export function useUpdatePlaybook(playbookId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PlaybookUpdate) =>
      unwrap(
        api.PATCH("/api/v1/playbooks/{playbook_id}", {
          params: { path: { playbook_id: playbookId } },
          body,
        }),
      ),
    onSuccess: (saved) => {
      queryClient.setQueryData<Playbook[]>(playbookKeys.list(), (old) =>
        old?.map((p) => (p.id === saved.id ? saved : p)),
      );
      // The effectiveness list carries the play's name.
      void queryClient.invalidateQueries({ queryKey: playbookKeys.effectiveness() });
    },
  });
}

/** Finish a run with an outcome (`playbooks:complete`); its open tasks are cancelled. */
export function useCompleteRun() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { runId: string; outcome: string | null }) =>
      unwrap(
        api.POST("/api/v1/playbooks/runs/{run_id}/complete", {
          params: { path: { run_id: input.runId } },
          body: { outcome: input.outcome },
        }),
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: runKeys.all });
      void queryClient.invalidateQueries({ queryKey: taskKeys.all });
      void queryClient.invalidateQueries({ queryKey: playbookKeys.effectiveness() });
    },
  });
}

export const SUGGESTIONS = 10;

/**
 * Accounts for the preview picker (`accounts:list`): the book's first page (largest ARR
 * first, as the Book sorts) when `q` is empty, else the accounts whose name matches.
 */
export function useAccountSuggestions(q: string, enabled = true) {
  const params = q
    ? { q, page: 1, page_size: SUGGESTIONS, sort: "-arr" as const }
    : { page: 1, page_size: SUGGESTIONS, sort: "-arr" as const };
  return useQuery({ ...accountsQuery(params), enabled });
}

export type { AccountSummary };
