import type { DataSource } from "../../api/client";

export type Freshness = "fresh" | "stale" | "never";

const DAY_MS = 86_400_000;

/**
 * A source's freshness at `now` (ms since epoch). Mirrors the backend's rule: stale when the
 * last item is *more* than `stale_after_days` old (exactly the threshold is still fresh).
 * "never" when nothing has arrived yet (the API also reports those as `stale: true`).
 * The server's `stale` flag wins if it says stale, so a browser clock running behind the
 * server's cannot make a stale source look fresh.
 */
export function freshness(
  source: Pick<DataSource, "last_received_at" | "stale_after_days" | "stale">,
  now: number,
): Freshness {
  if (!source.last_received_at) return "never";
  const received = Date.parse(source.last_received_at);
  if (Number.isNaN(received)) return source.stale ? "stale" : "fresh";
  if (source.stale) return "stale";
  return now - received > source.stale_after_days * DAY_MS ? "stale" : "fresh";
}

const ORDER: Record<Freshness, number> = { stale: 0, never: 1, fresh: 2 };

/** Stale first (oldest first), then never-received, then fresh (oldest first); ties by name. */
export function sortByFreshness<T extends DataSource>(sources: readonly T[], now: number): T[] {
  const received = (s: T) => (s.last_received_at ? Date.parse(s.last_received_at) : 0);
  return [...sources].sort(
    (a, b) =>
      ORDER[freshness(a, now)] - ORDER[freshness(b, now)] ||
      received(a) - received(b) ||
      a.name.localeCompare(b.name),
  );
}
