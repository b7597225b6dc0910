import { describe, expect, it } from "vitest";
import { periodLabel, periodSpan, splitProvisional } from "./charts";
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
      toRetentionQuery({ interval: "month", segment: "", plan: "Growth", icpTier: "" }),
    ).toEqual({ interval: "month", plan: "Growth" });
  });
});
