import { describe, expect, it } from "vitest";
import { parseSearch, safeRedirect, stringifySearch } from "../../lib/searchParams";
import {
  DEFAULT_BOOK_STATE,
  fromSorting,
  parseBookSearch,
  serializeBookSearch,
  toAccountsQuery,
  toSorting,
  validateBookSearch,
} from "./searchState";

describe("parseBookSearch", () => {
  it("returns the defaults for an empty URL", () => {
    expect(parseBookSearch({})).toEqual({
      page: 1,
      pageSize: 50,
      sort: "-arr",
      q: "",
      filter: "",
      scope: "",
    });
  });

  it("reads every parameter from URL strings", () => {
    expect(
      parseBookSearch(
        parseSearch(
          "?page=2&page_size=25&sort=name&q=acme&segment=Enterprise&status=churned&scope=team",
        ),
      ),
    ).toEqual({
      page: 2,
      pageSize: 25,
      sort: "name",
      q: "acme",
      filter: "segment=Enterprise status=churned",
      scope: "team",
    });
  });

  it("accepts numbers as well as strings", () => {
    expect(parseBookSearch({ page: 3, page_size: 100, q: 42 })).toMatchObject({
      page: 3,
      pageSize: 100,
      q: "42",
    });
  });

  it.each([
    ["page", { page: "0" }, { page: 1 }],
    ["page", { page: "-2" }, { page: 1 }],
    ["page", { page: "2.5" }, { page: 1 }],
    ["page", { page: "abc" }, { page: 1 }],
    ["page_size", { page_size: "30" }, { pageSize: 50 }],
    ["page_size", { page_size: "1000" }, { pageSize: 50 }],
    ["sort", { sort: "password" }, { sort: "-arr" }],
    ["sort", { sort: "--arr" }, { sort: "-arr" }],
    ["status", { status: "deleted" }, { filter: "" }],
    ["q", { q: ["a", "b"] }, { q: "" }],
  ])("invalid %s falls back to the default (%j)", (_name, raw, expected) => {
    expect(parseBookSearch(raw)).toMatchObject(expected);
  });

  it("trims text and turns links from before the filter language into terms", () => {
    expect(
      parseBookSearch({ q: "  acme  ", status: "Active", segment: "Mid Market" }),
    ).toMatchObject({
      q: "acme",
      filter: 'segment="Mid Market" status=active',
    });
    expect(
      parseBookSearch({ filter: "band=at_risk   qbr>90", segment: "SMB", status: "nope" }).filter,
    ).toBe("band=at_risk qbr>90 segment=SMB");
  });

  it("caps text at the API's length limits", () => {
    const state = parseBookSearch({ q: "x".repeat(500), filter: "y".repeat(5000) });
    expect(state.q).toHaveLength(200);
    expect(state.filter).toHaveLength(2000);
  });

  it("accepts every documented sort key in both directions", () => {
    for (const key of [
      "name",
      "arr",
      "renewal_date",
      "health_score",
      "segment",
      "plan",
      "created_at",
      "feature_adoption",
      "usage_change",
      "open_tickets",
      "last_touch_on",
      "last_qbr_on",
    ]) {
      expect(parseBookSearch({ sort: key }).sort).toBe(key);
      expect(parseBookSearch({ sort: `-${key}` }).sort).toBe(`-${key}`);
    }
  });
});

describe("serializeBookSearch", () => {
  it("omits defaults so the default view has a clean URL", () => {
    expect(serializeBookSearch(DEFAULT_BOOK_STATE)).toEqual({});
    expect(stringifySearch(serializeBookSearch(DEFAULT_BOOK_STATE))).toBe("");
  });

  it("writes non-default values with the API's parameter names", () => {
    const state = { ...DEFAULT_BOOK_STATE, page: 2, q: "acme", filter: "health<60" };
    expect(serializeBookSearch(state)).toEqual({ page: 2, q: "acme", filter: "health<60" });
    expect(stringifySearch(serializeBookSearch(state))).toBe("?page=2&q=acme&filter=health%3C60");
  });

  it("round-trips through the URL", () => {
    const state = {
      page: 4,
      pageSize: 100 as const,
      sort: "renewal_date" as const,
      q: "A&B co",
      filter: 'renewal_in<=60 band=at_risk segment="Mid Market"',
      scope: "team" as const,
    };
    const url = stringifySearch(serializeBookSearch(state));
    expect(parseBookSearch(parseSearch(url))).toEqual(state);
  });

  it("validateBookSearch normalises a messy URL", () => {
    expect(
      validateBookSearch({ page: "1", sort: "-arr", q: "", status: "nope", extra: "x" }),
    ).toEqual({});
    // a scope is mine, team or all; anything else is the server's default
    expect(validateBookSearch({ scope: "everyone" })).toEqual({});
    expect(validateBookSearch({ scope: " mine " })).toEqual({ scope: "mine" });
  });
});

describe("API and table mapping", () => {
  it("builds the accounts:list query, leaving out empty filters", () => {
    expect(toAccountsQuery(DEFAULT_BOOK_STATE)).toEqual({ page: 1, page_size: 50, sort: "-arr" });
    expect(toAccountsQuery({ ...DEFAULT_BOOK_STATE, q: "acme", filter: "status=active" })).toEqual({
      page: 1,
      page_size: 50,
      sort: "-arr",
      q: "acme",
      filter: "status=active",
    });
    expect(toAccountsQuery({ ...DEFAULT_BOOK_STATE, scope: "all" })).toEqual({
      page: 1,
      page_size: 50,
      sort: "-arr",
      scope: "all",
    });
  });

  it("maps sort values to TanStack sorting state and back", () => {
    expect(toSorting("-arr")).toEqual([{ id: "arr", desc: true }]);
    expect(toSorting("name")).toEqual([{ id: "name", desc: false }]);
    expect(fromSorting([{ id: "arr", desc: false }])).toBe("arr");
    expect(fromSorting([{ id: "health_score", desc: true }])).toBe("-health_score");
    expect(fromSorting([])).toBe("-arr");
    expect(fromSorting([{ id: "owner", desc: false }])).toBe("-arr");
  });
});

describe("router search helpers", () => {
  it("parses plain query strings", () => {
    expect(parseSearch("?page=2&q=acme%20corp")).toEqual({ page: "2", q: "acme corp" });
    expect(parseSearch("")).toEqual({});
  });

  it("only redirects to same-site paths after login", () => {
    expect(safeRedirect("/accounts/1?x=1")).toBe("/accounts/1?x=1");
    expect(safeRedirect("https://evil.example")).toBe("/book");
    expect(safeRedirect("//evil.example")).toBe("/book");
    expect(safeRedirect("/\\evil.example")).toBe("/book");
    expect(safeRedirect("/login")).toBe("/book");
    expect(safeRedirect(undefined)).toBe("/book");
  });
});
