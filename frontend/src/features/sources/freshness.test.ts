import { describe, expect, it } from "vitest";
import type { DataSource } from "../../api/client";
import { freshness, sortByFreshness } from "./freshness";

const NOW = Date.parse("2026-01-15T12:00:00.000Z");
const DAY = 86_400_000;

function source(overrides: Partial<DataSource> = {}): DataSource {
  return {
    key: "crm",
    name: "CRM",
    owner_id: null,
    stale_after_days: 10,
    last_received_at: "2026-01-15T09:00:00.000Z",
    items_received: 10,
    rejected: 0,
    age_hours: 3,
    stale: false,
    ...overrides,
  };
}

const at = (ms: number) => new Date(ms).toISOString();

describe("freshness", () => {
  it("is never when nothing has been received, whatever the server's stale flag", () => {
    expect(freshness(source({ last_received_at: null, stale: true }), NOW)).toBe("never");
    expect(freshness(source({ last_received_at: null, stale: false }), NOW)).toBe("never");
  });

  it("is fresh up to and including exactly the threshold", () => {
    expect(freshness(source({ last_received_at: at(NOW) }), NOW)).toBe("fresh");
    expect(freshness(source({ last_received_at: at(NOW - 10 * DAY + 1) }), NOW)).toBe("fresh");
    expect(freshness(source({ last_received_at: at(NOW - 10 * DAY) }), NOW)).toBe("fresh");
  });

  it("is stale one millisecond past the threshold", () => {
    expect(freshness(source({ last_received_at: at(NOW - 10 * DAY - 1) }), NOW)).toBe("stale");
  });

  it("uses each source's own threshold", () => {
    const twoDaysOld = at(NOW - 2 * DAY - 1);
    expect(freshness(source({ stale_after_days: 2, last_received_at: twoDaysOld }), NOW)).toBe(
      "stale",
    );
    expect(freshness(source({ stale_after_days: 3, last_received_at: twoDaysOld }), NOW)).toBe(
      "fresh",
    );
  });

  it("trusts the server when it already says stale", () => {
    expect(freshness(source({ last_received_at: at(NOW - DAY), stale: true }), NOW)).toBe("stale");
  });
});

describe("sortByFreshness", () => {
  it("puts stale first (oldest first), then never, then fresh", () => {
    const rows = [
      source({ key: "fresh", name: "Fresh", last_received_at: at(NOW - DAY) }),
      source({ key: "never", name: "Never", last_received_at: null, stale: true }),
      source({ key: "stale-new", name: "B stale", last_received_at: at(NOW - 11 * DAY) }),
      source({ key: "stale-old", name: "A stale", last_received_at: at(NOW - 30 * DAY) }),
      source({ key: "fresh-old", name: "Older fresh", last_received_at: at(NOW - 5 * DAY) }),
    ];
    expect(sortByFreshness(rows, NOW).map((s) => s.key)).toEqual([
      "stale-old",
      "stale-new",
      "never",
      "fresh-old",
      "fresh",
    ]);
  });
});
