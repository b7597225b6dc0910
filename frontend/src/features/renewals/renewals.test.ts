import { describe, expect, it } from "vitest";
import { monthGrid, monthLabel, shiftMonth } from "./calendar";
import { canEditRenewals, disagrees } from "./forecast";
import type { Renewal } from "./queries";
import {
  hasFilters,
  parseRenewalsSearch,
  rollupDays,
  serializeRenewalsSearch,
  toRenewalsQuery,
  validateRenewalsSearch,
} from "./searchState";
import { isTermFilter, sourceLabel, TERM_FILTERS, termFilterWords, termLabel } from "./terms";

describe("renewals search state", () => {
  it("defaults to open term renewals of the next 90 days, in a list", () => {
    expect(parseRenewalsSearch({})).toEqual({
      days: 90,
      status: "open",
      term: "term",
      forecast: "",
      segment: "",
      view: "list",
      month: "",
      scope: "",
    });
    expect(validateRenewalsSearch({})).toEqual({});
  });

  it("keeps valid values and drops garbage", () => {
    expect(
      validateRenewalsSearch({
        days: "45",
        status: "closed",
        term: "all",
        forecast: "risk",
        segment: " SMB ",
        view: "calendar",
        month: "2026-03",
        scope: "team",
      }),
    ).toEqual({
      days: 45,
      status: "closed",
      term: "all",
      forecast: "risk",
      segment: "SMB",
      view: "calendar",
      month: "2026-03",
      scope: "team",
    });
    expect(
      validateRenewalsSearch({
        days: "-3",
        status: "x",
        term: "weekly",
        forecast: "maybe",
        month: "2026-13",
        scope: "mine,team",
      }),
    ).toEqual({});
    // The default term filter stays out of the URL.
    expect(validateRenewalsSearch({ term: "term" })).toEqual({});
    expect(validateRenewalsSearch({ term: "multi_year" })).toEqual({ term: "multi_year" });
    expect(validateRenewalsSearch({ days: "99999" })).toEqual({});
  });

  it("maps `any` to no window, and the state to the API's query", () => {
    const state = parseRenewalsSearch({ days: "any", forecast: "commit", segment: "SMB" });
    expect(state.days).toBeNull();
    expect(serializeRenewalsSearch(state)).toEqual({
      days: "any",
      forecast: "commit",
      segment: "SMB",
    });
    expect(toRenewalsQuery(state)).toEqual({
      status: "open",
      term: "term",
      forecast: "commit",
      segment: "SMB",
    });
    expect(toRenewalsQuery(parseRenewalsSearch({ scope: "all" }))).toEqual({
      status: "open",
      term: "term",
      within_days: 90,
      scope: "all",
    });
    expect(toRenewalsQuery(parseRenewalsSearch({ days: "30", term: "monthly" }))).toEqual({
      status: "open",
      term: "monthly",
      within_days: 30,
    });
    expect(rollupDays(null)).toBe(3660);
    expect(rollupDays(0)).toBe(1);
    expect(rollupDays(60)).toBe(60);
  });

  it("counts a term filter other than term renewals as a filter", () => {
    expect(hasFilters(parseRenewalsSearch({}))).toBe(false);
    expect(hasFilters(parseRenewalsSearch({ term: "all" }))).toBe(true);
  });
});

describe("renewal terms", () => {
  it("labels terms, sources and the term filter in plain words", () => {
    expect(["monthly", "annual", "multi_year", "contract"].map(termLabel)).toEqual([
      "Monthly",
      "Annual",
      "Multi-year",
      "Contract",
    ]);
    expect(termLabel(null)).toBe("");
    expect(sourceLabel("crm")).toBe("From the CRM contract date");
    expect(sourceLabel("billing")).toBe("Next billing cycle");
    expect(TERM_FILTERS.map((t) => t.label)).toEqual([
      "Term renewals",
      "All, incl. monthly",
      "Monthly",
      "Annual",
      "Multi-year",
      "Contract",
    ]);
    expect(termFilterWords("term")).toBe("term renewals");
    expect(termFilterWords("multi_year")).toBe("multi-year renewals");
    expect(isTermFilter("all")).toBe(true);
    expect(isTermFilter("weekly")).toBe(false);
  });
});

describe("forecasts", () => {
  it("marks a team forecast that differs from the suggested one", () => {
    expect(disagrees("commit", "risk")).toBe(true);
    expect(disagrees("risk", "risk")).toBe(false);
    expect(disagrees(null, "risk")).toBe(false);
    expect(disagrees("commit", null)).toBe(false);
  });

  it("lets admins, leaders and CSMs edit", () => {
    expect(["admin", "leader", "csm", "product", "viewer"].map(canEditRenewals)).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
    expect(canEditRenewals(undefined)).toBe(false);
  });
});

describe("calendar", () => {
  const at = (renewal_date: string, arr: number) =>
    ({ id: renewal_date + arr, renewal_date, arr_up_for_renewal: arr }) as Renewal;

  it("lays out a month in Monday-first weeks with each day's renewals", () => {
    // January 2026 starts on a Thursday and has 31 days: 5 weeks.
    const weeks = monthGrid("2026-01", [
      at("2026-01-20", 100),
      at("2026-01-20", 50),
      at("2026-02-01", 7),
    ]);
    expect(weeks).toHaveLength(5);
    expect(weeks[0]?.map((d) => d.date)).toEqual([
      "2025-12-29",
      "2025-12-30",
      "2025-12-31",
      "2026-01-01",
      "2026-01-02",
      "2026-01-03",
      "2026-01-04",
    ]);
    expect(weeks[0]?.[0]?.inMonth).toBe(false);
    const day = weeks.flat().find((d) => d.date === "2026-01-20");
    expect(day?.renewals).toHaveLength(2);
    expect(day?.arr).toBe(150);
    expect(weeks[4]?.[6]).toMatchObject({ date: "2026-02-01", inMonth: false, arr: 7 });
  });

  it("moves between months", () => {
    expect(shiftMonth("2026-12", 1)).toBe("2027-01");
    expect(shiftMonth("2026-01", -1)).toBe("2025-12");
    expect(monthLabel("2026-02")).toBe("February 2026");
  });
});
