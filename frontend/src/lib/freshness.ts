import type { Schemas } from "../api/client";

/** How fresh a metrics or renewals answer is: when its rollups were built, and whether a rebuild is on its way. */
export type Freshness = Schemas["Freshness"];

/** How often an answer is asked again while its rollups are being rebuilt (seconds after a change). */
export const REBUILD_POLL_MS = 5_000;

/**
 * A query's `refetchInterval`: poll while the answer says a rebuild is pending, so an "updating"
 * note clears by itself once the rollups are rebuilt; no polling otherwise.
 */
export function refetchWhileRebuilding(query: {
  state: { data?: { freshness?: Freshness | null } | undefined };
}): number | false {
  return query.state.data?.freshness?.rebuild_pending ? REBUILD_POLL_MS : false;
}

/**
 * Of the answers a page shows, the freshness to report when any of them has a rebuild
 * pending: the oldest `computed_at` among those (null when one was never built); null when
 * nothing is pending.
 */
export function pendingFreshness(answers: (Freshness | null | undefined)[]): Freshness | null {
  let found: Freshness | null = null;
  for (const f of answers) {
    if (!f?.rebuild_pending) continue;
    if (!found) found = f;
    else if (found.computed_at !== null) {
      if (f.computed_at === null || Date.parse(f.computed_at) < Date.parse(found.computed_at)) {
        found = f;
      }
    }
  }
  return found;
}
