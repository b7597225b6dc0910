import { type QueryClient, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { type AccountDetail, api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { accountKeys } from "../book/queries";
import { queueKeys } from "../today/queries";
import { accountQuery } from "./queries";

export type Touchpoint = Schemas["TouchpointPublic"];
export type TouchKind = Schemas["TouchpointKind"];
export type TouchCreate = Schemas["TouchCreate"];

/** The kinds of work a CSM logs, in the order the dialog offers them. */
export const TOUCH_KINDS: { value: TouchKind; label: string }[] = [
  { value: "call", label: "Call" },
  { value: "meeting", label: "Meeting" },
  { value: "email", label: "Email" },
  { value: "qbr", label: "QBR" },
];

const KIND_LABELS: Record<string, string> = {
  call: "Call",
  meeting: "Meeting",
  email: "Email",
  qbr: "QBR",
  note: "Note",
};

export function touchKindLabel(kind: string): string {
  return Object.hasOwn(KIND_LABELS, kind) ? (KIND_LABELS[kind] as string) : kind;
}

/** Under the account's detail key: refreshing the account refreshes its touches too. */
export const touchKeys = {
  list: (accountId: string) => [...accountKeys.detail(accountId), "touches"] as const,
};

/** How many touches the timeline reads back (its 6 months rarely hold more). */
const TOUCHES_READ = 100;

/** The account's touches with the contacts who took part, newest first (`accounts:listTouches`). */
export function useTouches(accountId: string) {
  return useQuery({
    queryKey: touchKeys.list(accountId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/accounts/{account_id}/touchpoints", {
          params: { path: { account_id: accountId }, query: { limit: TOUCHES_READ } },
        }),
      ),
  });
}

/** Accounts whose rescore ``followRescore`` is following now (``useCatchUpWithTouches`` waits). */
const following = new Set<string>();

/** How the page follows the rescore a logged touch asks for (the worker runs it at once). */
export const RESCORE_POLL = { tries: 10, intervalMs: 1000 };

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The day the account's last touch (or last QBR) moved to, once the rescore counted it. */
function touchCounted(picture: AccountDetail, touch: Touchpoint, before: string | null): boolean {
  const last = touch.kind === "qbr" ? picture.last_qbr_on : picture.last_touch_on;
  if (!last) return false;
  return last !== before || last >= touch.occurred_at.slice(0, 10);
}

/**
 * After a touch is logged: reload the account picture (the touch is in its timeline at once)
 * and keep reloading it for a few seconds until the rescore has counted the touch (last touch,
 * last QBR and health move); then refresh everything else the account shows, and the queue.
 */
async function followRescore(queryClient: QueryClient, touch: Touchpoint, before: string | null) {
  const accountId = touch.account_id;
  following.add(accountId);
  try {
    for (let i = 0; i < RESCORE_POLL.tries; i++) {
      if (i > 0) await sleep(RESCORE_POLL.intervalMs);
      const picture = await queryClient
        .fetchQuery({ ...accountQuery(accountId), staleTime: 0 })
        .catch(() => null);
      if (picture && touchCounted(picture, touch, before)) break;
    }
  } finally {
    following.delete(accountId);
  }
  await Promise.all([
    queryClient.invalidateQueries({
      queryKey: accountKeys.detail(accountId),
      predicate: (q) => q.queryKey.length > accountKeys.detail(accountId).length,
    }),
    queryClient.invalidateQueries({ queryKey: accountKeys.lists() }),
    queryClient.invalidateQueries({ queryKey: queueKeys.all }),
  ]);
}

/** Touch kinds that count as the account's last touch (notes do not). */
const COUNTED = new Set(["call", "meeting", "email", "qbr"]);

/** Whether the account's last touch (undefined: not loaded) is older than its newest touch. */
function behindOn(newest: string | null, last: string | null | undefined): boolean {
  return newest !== null && last !== undefined && (!last || newest > last);
}

/**
 * A touch logged moments ago (here, on Today, or by a CRM) that the account's scores have not
 * counted yet: its newest counted touch is later than its last touch. Then the account is
 * reloaded every second, a few times, until the rescore shows (last touch, health); whoever
 * opened the page right after logging sees it catch up instead of a stale header.
 */
export function useCatchUpWithTouches(accountId: string, lastTouchOn: string | null | undefined) {
  const queryClient = useQueryClient();
  const touches = useTouches(accountId);
  const newest = touches.data?.find((t) => COUNTED.has(t.kind))?.occurred_at.slice(0, 10) ?? null;
  const behind = behindOn(newest, lastTouchOn);
  useEffect(() => {
    if (!behind) return;
    let tries = 0;
    const timer = window.setInterval(() => {
      if (following.has(accountId)) return; // the page that logged it is reloading it already
      // the cache, not the last render: a reload may have caught up since
      const cached = queryClient.getQueryData<AccountDetail>(accountKeys.detail(accountId));
      tries += 1;
      if (
        !behindOn(newest, cached ? cached.last_touch_on : undefined) ||
        tries > RESCORE_POLL.tries
      ) {
        window.clearInterval(timer);
        return;
      }
      void queryClient.invalidateQueries({ queryKey: accountKeys.detail(accountId) });
    }, RESCORE_POLL.intervalMs);
    return () => window.clearInterval(timer);
  }, [behind, newest, accountId, queryClient]);
}

/**
 * Log a call, meeting, email or QBR on the account (`accounts:logTouch`). It goes through
 * ingest and the account is rescored: the touch is added to the account's touches at once,
 * the queue refreshed, and the picture followed until the rescore shows (`followRescore`).
 */
export function useLogTouch(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: TouchCreate) =>
      unwrap(
        api.POST("/api/v1/accounts/{account_id}/touchpoints", {
          params: { path: { account_id: accountId } },
          body,
        }),
      ),
    onSuccess: (touch) => {
      queryClient.setQueryData<Touchpoint[]>(touchKeys.list(accountId), (old) =>
        old
          ? [touch, ...old.filter((t) => t.id !== touch.id)].sort(
              (a, b) => Date.parse(b.occurred_at) - Date.parse(a.occurred_at),
            )
          : old,
      );
      void queryClient.invalidateQueries({ queryKey: queueKeys.all });
      const picture = queryClient.getQueryData<AccountDetail>(accountKeys.detail(accountId));
      const before = (touch.kind === "qbr" ? picture?.last_qbr_on : picture?.last_touch_on) ?? null;
      void followRescore(queryClient, touch, before);
    },
  });
}
