import { describe, expect, it } from "vitest";
import {
  cohortGroups,
  heatColor,
  maxAge,
  monthLabel,
  pickGroup,
  pooledCurve,
  retentionCurves,
} from "./cohortMath";
import { NOV, OCT, segmentReport } from "./fixtures";

describe("cohort math", () => {
  it("labels cohort months", () => {
    expect(monthLabel("2025-10-01")).toBe("Oct 2025");
  });

  it("pools logo retention by accounts and revenue retention by initial ARR", () => {
    expect(pooledCurve([OCT, NOV], "logo")).toEqual([
      { age: 0, value: 1, cohorts: 2, accounts: 9 },
      { age: 1, value: 7 / 9, cohorts: 2, accounts: 9 },
      { age: 2, value: 0.5, cohorts: 1, accounts: 4 },
    ]);
    expect(pooledCurve([OCT, NOV], "revenue").map((p) => p.value)).toEqual([1, 0.96, 1.1]);
    expect(maxAge([OCT, NOV])).toBe(2);
    expect(pooledCurve([], "logo")).toEqual([]);
  });

  it("orders groups by accounts and falls back to the largest", () => {
    expect(cohortGroups(segmentReport.cohorts)).toEqual([
      { group: "SMB", accounts: 10 },
      { group: "Enterprise", accounts: 2 },
    ]);
    expect(pickGroup(segmentReport.cohorts, "Enterprise")).toBe("Enterprise");
    expect(pickGroup(segmentReport.cohorts, "Nope")).toBe("SMB");
    expect(pickGroup([], "SMB")).toBe("");
  });

  it("draws one curve per group with a split, one pooled curve without", () => {
    const split = retentionCurves(segmentReport.cohorts, "logo", true);
    expect(split.map((c) => [c.name, c.points.map((p) => p.value)])).toEqual([
      ["SMB", [1, 0.7]],
      ["Enterprise", [1, 1]],
    ]);
    expect(retentionCurves([OCT, NOV], "logo", false).map((c) => c.name)).toEqual(["All cohorts"]);
  });

  it("colours logo retention by level and revenue around 100%, white text only where it contrasts", () => {
    expect(heatColor(null, "logo")).toEqual({ background: "transparent", color: "" });
    expect(heatColor(1, "logo")).toEqual({ background: "rgb(79 70 229 / 0.9)", color: "#ffffff" });
    expect(heatColor(0.4, "logo")).toEqual({ background: "rgb(79 70 229 / 0.06)", color: "" });
    expect(heatColor(1.5, "revenue")).toEqual({
      background: "rgb(34 163 90 / 0.9)",
      color: "#ffffff",
    });
    expect(heatColor(0.75, "revenue")).toEqual({ background: "rgb(220 59 59 / 0.48)", color: "" });
    // alpha 0.73: dark text (white on it is 3.1:1)
    expect(heatColor(0.9, "logo")).toEqual({ background: "rgb(79 70 229 / 0.73)", color: "" });
  });
});
