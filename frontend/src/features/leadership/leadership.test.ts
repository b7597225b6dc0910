import { describe, expect, it } from "vitest";
import { movementsOption, periodLabel, periodSpan, splitProvisional } from "./charts";
import { formatChange, formatSignedMoney } from "./kpis";
import type { Period } from "./queries";
import { toRetentionQuery, validateLeadershipSearch } from "./searchState";

const span = (period_start: string, period_end: string) => ({ period_start, period_end }) as Period;

describe("leadership helpers", () => {
  it("labels months, quarters and trailing twelve months", () => {
    expect(periodLabel(span("2025-07-01", "2025-08-01"), "month")).toBe("Jul 2025");
    expect(periodLabel(span("2025-10-01", "2026-01-01"), "quarter")).toBe("Q4 2025");
    expect(periodLabel(span("2024-08-01", "2025-08-01"), "ttm")).toBe("TTM Jul 2025");
    expect(periodSpan(span("2024-08-01", "2025-08-01"), "ttm")).toBe("Aug 2024 – Jul 2025");
  });

  it("splits a series at its first provisional point, sharing the joining point", () => {
    expect(splitProvisional([1, 2, 3, 4], [false, false, true, true])).toEqual({
      settled: [1, 2, null, null],
      provisional: [null, 2, 3, 4],
    });
    expect(splitProvisional([1, 2], [false, false])).toEqual({
      settled: [1, 2],
      provisional: [null, null],
    });
  });

  it("draws FX as its own series, so a period's bars add up from starting to ending ARR", () => {
    const p = {
      ...span("2025-11-01", "2025-12-01"),
      starting_arr: 1_000,
      ending_arr: 1_090,
      new: 100,
      expansion: { seat: 20, plan: 10, cross_sell: 0 },
      reactivation: 5,
      contraction: 15,
      churn: { voluntary: 40, involuntary: 10 },
      fx: 20,
      provisional: false,
      partial: false,
    } as Period;
    const option = movementsOption([p], "month", "USD");
    const series = option.series as { name: string; type: string; data: unknown[] }[];
    const bars = series.filter((s) => s.type === "bar");
    expect(bars.map((s) => s.name)).toEqual([
      "New",
      "Expansion",
      "Reactivation",
      "Contraction",
      "Churn",
      "FX",
    ]);
    expect(bars.find((s) => s.name === "FX")?.data).toEqual([20]);
    const flows = bars.reduce((sum, s) => sum + Number(s.data[0]), 0);
    expect(p.starting_arr + flows).toBe(p.ending_arr);
    expect((option.legend as { data: string[] }).data).toContain("FX");
  });

  it("formats signed changes and flows", () => {
    expect(formatChange(-0.6982)).toBe("−69.8%");
    expect(formatChange(0.125)).toBe("+12.5%");
    expect(formatChange(null)).toBe("—");
    expect(formatSignedMoney(172_437.6, "USD")).toBe("+$172K");
    expect(formatSignedMoney(-146_161.5, "EUR")).toBe("−€146K");
    expect(formatSignedMoney(0, "USD")).toBe("$0");
  });

  it("keeps the interval and filters in the URL", () => {
    expect(validateLeadershipSearch({ interval: "ttm", segment: "SMB", icp_tier: "A" })).toEqual({
      interval: "ttm",
      segment: "SMB",
      icp_tier: "A",
    });
    expect(validateLeadershipSearch({ interval: "week", plan: "" })).toEqual({});
    expect(
      toRetentionQuery({
        interval: "month",
        segment: "",
        plan: "Growth",
        icpTier: "",
        scope: "team",
      }),
    ).toEqual({ interval: "month", plan: "Growth" });
    // the first screen's scope is kept in the URL; garbage is dropped
    expect(validateLeadershipSearch({ scope: "team", interval: "quarter" })).toEqual({
      scope: "team",
      interval: "quarter",
    });
    expect(validateLeadershipSearch({ scope: "others" })).toEqual({});
  });
});
