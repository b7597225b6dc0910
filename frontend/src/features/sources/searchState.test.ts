import { describe, expect, it } from "vitest";
import { parseSearch, stringifySearch } from "../../lib/searchParams";
import {
  DEFAULT_UNMATCHED_STATE,
  parseSourcesSearch,
  serializeSourcesSearch,
  toUnmatchedQuery,
  validateSourcesSearch,
} from "./searchState";

describe("Sources URL state", () => {
  it("defaults to unresolved records of every kind, first page of 50", () => {
    expect(parseSourcesSearch({})).toEqual(DEFAULT_UNMATCHED_STATE);
    expect(toUnmatchedQuery(DEFAULT_UNMATCHED_STATE)).toEqual({ page: 1, page_size: 50 });
  });

  it("round-trips through the URL", () => {
    const url = "?kind=usage-daily&include_resolved=true&page=3&page_size=25";
    const state = parseSourcesSearch(parseSearch(url));
    expect(state).toEqual({ kind: "usage-daily", includeResolved: true, page: 3, pageSize: 25 });
    expect(stringifySearch(serializeSourcesSearch(state))).toBe(url);
    expect(toUnmatchedQuery(state)).toEqual({
      kind: "usage-daily",
      include_resolved: true,
      page: 3,
      page_size: 25,
    });
  });

  it("drops invalid values", () => {
    expect(
      validateSourcesSearch({ kind: "nope", include_resolved: "maybe", page: "0", page_size: "7" }),
    ).toEqual({});
  });
});
