import { describe, expect, it } from "vitest";
import { parseSearch, stringifySearch } from "../../lib/searchParams";
import {
  DEFAULT_SOURCES_STATE,
  parseSourcesSearch,
  serializeSourcesSearch,
  toRejectionsQuery,
  toUnmatchedQuery,
  validateSourcesSearch,
  withRejected,
} from "./searchState";

describe("Sources URL state", () => {
  it("defaults to waiting records of every kind, first page of 50, no rejections open", () => {
    expect(parseSourcesSearch({})).toEqual(DEFAULT_SOURCES_STATE);
    expect(serializeSourcesSearch(DEFAULT_SOURCES_STATE)).toEqual({});
    expect(toUnmatchedQuery(DEFAULT_SOURCES_STATE)).toEqual({ page: 1, page_size: 50 });
  });

  it("round-trips through the URL", () => {
    const url =
      "?kind=usage-daily&status=rejected&page=3&page_size=25&rejected=stripe&rejected_page=2&rejected_page_size=100";
    const state = parseSourcesSearch(parseSearch(url));
    expect(state).toEqual({
      kind: "usage-daily",
      status: "rejected",
      page: 3,
      pageSize: 25,
      rejected: "stripe",
      rejectedPage: 2,
      rejectedPageSize: 100,
    });
    expect(stringifySearch(serializeSourcesSearch(state))).toBe(url);
    expect(toUnmatchedQuery(state)).toEqual({
      kind: "usage-daily",
      status: ["rejected"],
      page: 3,
      page_size: 25,
    });
    expect(toRejectionsQuery(state)).toEqual({ page: 2, page_size: 100 });
  });

  it("maps each status filter to the API's query", () => {
    const query = (status: string) => toUnmatchedQuery(parseSourcesSearch({ status }));
    expect(query("pending")).toEqual({ page: 1, page_size: 50 });
    expect(query("resolved")).toEqual({ page: 1, page_size: 50, status: ["resolved"] });
    expect(query("rejected")).toEqual({ page: 1, page_size: 50, status: ["rejected"] });
    expect(query("all")).toEqual({ page: 1, page_size: 50, include_resolved: true });
    expect(validateSourcesSearch({ status: "pending" })).toEqual({});
  });

  it("still reads the old include_resolved=true as every status", () => {
    expect(parseSourcesSearch({ include_resolved: "true" }).status).toBe("all");
    expect(validateSourcesSearch({ include_resolved: "true", kind: "tickets" })).toEqual({
      kind: "tickets",
      status: "all",
    });
    // An explicit status wins over the old flag.
    expect(validateSourcesSearch({ include_resolved: "true", status: "rejected" })).toEqual({
      status: "rejected",
    });
  });

  it("opens and closes a source's rejected items, back on their first page", () => {
    const state = parseSourcesSearch({ kind: "tickets", rejected: "segment", rejected_page: "4" });
    expect(withRejected(state, "stripe")).toEqual({ kind: "tickets", rejected: "stripe" });
    expect(withRejected(state, "")).toEqual({ kind: "tickets" });
  });

  it("drops invalid values", () => {
    expect(
      validateSourcesSearch({
        kind: "nope",
        status: "maybe",
        include_resolved: "maybe",
        page: "0",
        page_size: "7",
        rejected: "  ",
        rejected_page: "2",
      }),
    ).toEqual({});
    expect(validateSourcesSearch({ rejected: "x".repeat(101) })).toEqual({});
    expect(
      validateSourcesSearch({ rejected: " stripe ", rejected_page: "-1", rejected_page_size: "7" }),
    ).toEqual({ rejected: "stripe" });
  });
});
