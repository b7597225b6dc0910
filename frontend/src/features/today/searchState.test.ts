import { describe, expect, it } from "vitest";
import {
  parseTodaySearch,
  serializeTodaySearch,
  toQueueQuery,
  validateTodaySearch,
} from "./searchState";

const ACCOUNT = "a0000000-0000-4000-8000-000000000001";

describe("Today search state", () => {
  it("defaults to the server's scope, every kind, nothing expanded, page 1", () => {
    expect(parseTodaySearch({})).toEqual({ scope: "", kind: "all", item: "", page: 1 });
    expect(validateTodaySearch({})).toEqual({});
  });

  it("keeps valid values and drops garbage", () => {
    expect(
      validateTodaySearch({ scope: "all", kind: "risk", item: `risk-${ACCOUNT}`, page: "3" }),
    ).toEqual({ scope: "all", kind: "risk", item: `risk-${ACCOUNT}`, page: 3 });
    expect(
      validateTodaySearch({ scope: "everyone", kind: "both", item: "<script>", page: "-2" }),
    ).toEqual({});
    expect(validateTodaySearch({ page: "1.5" })).toEqual({});
  });

  it("round-trips through the URL", () => {
    const state = { scope: "mine", kind: "opportunity", item: "", page: 2 } as const;
    expect(parseTodaySearch({ ...serializeTodaySearch(state) })).toEqual(state);
  });

  it("sends only what differs from the server's defaults", () => {
    expect(toQueueQuery(parseTodaySearch({}))).toEqual({ page: 1, page_size: 25 });
    expect(toQueueQuery(parseTodaySearch({ scope: "all", kind: "risk", page: "2" }))).toEqual({
      scope: "all",
      kind: "risk",
      page: 2,
      page_size: 25,
    });
  });
});
