import { describe, expect, it } from "vitest";
import {
  curvesLabel,
  curvesOption,
  driverLabel,
  driversOption,
  engagementOption,
  timeToValueOption,
} from "./charts";
import { retentionCurves } from "./cohortMath";
import { drivers, engagement, NOV, OCT, segmentReport, timeToValue } from "./fixtures";

type Series = { name?: string; data?: unknown[] };
const series = (option: { series?: unknown }) => option.series as Series[];
const axis = (value: unknown) => value as { data?: unknown[] };

describe("cohort charts", () => {
  it("plots the pooled retention by age", () => {
    const curves = retentionCurves([OCT, NOV], "revenue", false);
    const option = curvesOption(curves, "revenue");
    expect(axis(option.xAxis).data).toEqual(["0", "1", "2"]);
    expect(series(option).map((s) => [s.name, s.data])).toEqual([["All cohorts", [1, 0.96, 1.1]]]);
    expect(option.legend).toBeUndefined();
    expect(curvesLabel(curves, "revenue")).toBe(
      "Revenue retention by months since the first month: All cohorts 110% at month 2",
    );
  });

  it("draws one line per group, in order of size", () => {
    const option = curvesOption(retentionCurves(segmentReport.cohorts, "logo", true), "logo");
    expect(series(option).map((s) => [s.name, s.data])).toEqual([
      ["SMB", [1, 0.7]],
      ["Enterprise", [1, 1]],
    ]);
  });

  it("ranks churn drivers by lost ARR with readable names", () => {
    const option = driversOption(drivers.reason, "reason", "USD");
    expect(axis(option.yAxis).data).toEqual(["Not given", "Too expensive"]);
    expect(series(option)[0]?.data).toEqual([50_000, 30_000]);
    expect(axis(driversOption(drivers.quadrant, "quadrant", "USD").yAxis).data).toEqual([
      "Churn Risk",
      "Not scored",
    ]);
    expect(driverLabel("kind", "involuntary")).toBe("Involuntary");
    expect(driverLabel("plan", "Growth")).toBe("Growth");
  });

  it("draws time to value as a p25–p75 range with medians", () => {
    const option = timeToValueOption(timeToValue);
    expect(axis(option.yAxis).data).toEqual(["Enterprise", "SMB"]);
    expect(series(option).map((s) => s.data)).toEqual([
      [36, "-"],
      [20.5, "-"],
      [48.5, 24],
      [87, "-"],
    ]);
  });

  it("bars the churn rate per usage tier", () => {
    const option = engagementOption(engagement.tiers);
    expect(axis(option.xAxis).data).toEqual(["Low usage", "Medium usage", "High usage"]);
    const bars = (series(option)[0]?.data ?? []) as { value: unknown }[];
    expect(bars.map((d) => d.value)).toEqual([0.5, 0.2, 0.1]);
  });
});
