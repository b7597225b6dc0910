import { describe, expect, it } from "vitest";
import { history, transitions } from "./fixtures";
import { monthlyHistory, quarterLabel, quarterStart, quarterSteps, shiftQuarter } from "./periods";
import { transitionGrid } from "./transitions";

describe("product periods", () => {
  it("does quarter arithmetic", () => {
    expect(quarterStart("2026-01-15")).toBe("2026-01-01");
    expect(quarterStart("2025-12-31")).toBe("2025-10-01");
    expect(shiftQuarter("2026-01-01", -1)).toBe("2025-10-01");
    expect(shiftQuarter("2025-10-01", 2)).toBe("2026-04-01");
    expect(quarterLabel("2025-07-01")).toBe("Q3 2025");
    expect(quarterSteps("2026-01-15", 2)).toEqual([
      { from: "2025-10-01", to: "2026-01-01", label: "Q4 2025 → Q1 2026" },
      { from: "2025-07-01", to: "2025-10-01", label: "Q3 2025 → Q4 2025" },
    ]);
  });

  it("keeps the last weekly point of each month", () => {
    const monthly = monthlyHistory(history);
    expect(monthly.interval).toBe("month");
    expect(monthly.series.map((p) => p.as_of)).toEqual(["2025-11-24", "2025-12-29"]);
  });

  it("lays the transitions out with new and gone accounts", () => {
    const grid = transitionGrid(transitions.cells);
    expect(grid.rows).toEqual([
      "champions",
      "frustrated_power_users",
      "relationship_dependent",
      "churn_risk",
      null,
    ]);
    expect(grid.columns.at(-1)).toBeNull();
    expect(grid.cell("champions", "churn_risk")?.accounts).toBe(5);
    expect(grid.rowTotal("churn_risk")).toBe(5);
    expect([grid.stayed, grid.placed]).toEqual([40, 47]);
  });
});
