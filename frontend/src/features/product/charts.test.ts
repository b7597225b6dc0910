import { describe, expect, it } from "vitest";
import {
  adoptionOption,
  adoptionRows,
  featuresLabel,
  featuresOption,
  quadrantChurnOption,
  sortByGap,
} from "./charts";
import { adoption, features, quadrantChurn } from "./fixtures";
import { activeQuarters } from "./periods";

type Series = { name?: string; data?: unknown[] };
const series = (option: { series?: unknown }) => option.series as Series[];
const axis = (value: unknown) => value as { data?: unknown[] };

describe("product charts", () => {
  it("sorts features by the Champions − Frustrated gap, largest first, none last", () => {
    expect(sortByGap(features).map((f) => f.key)).toEqual(["reports", "alerts", "api", "audit"]);
    const option = featuresOption(features);
    expect(axis(option.yAxis).data).toEqual(["Reports ★", "Alerts", "API", "Audit log"]);
    expect(series(option).map((s) => [s.name, s.data])).toEqual([
      ["from", [0.25, 0.5, 0.25, "-"]],
      ["gap", [0.5, 0.25, 0.25, "-"]],
      ["Champions", [0.75, 0.75, 0.25, "-"]],
      ["Frustrated Power Users", [0.25, 0.5, 0.5, 0.1]],
    ]);
    expect(featuresLabel(features)).toBe(
      "Share of Champions vs Frustrated Power Users using each feature, largest gap first: Reports 75% vs 25%, Alerts 75% vs 50%, API 25% vs 50%",
    );
  });

  it("groups churn rates by quarter, one series per quadrant", () => {
    const quarters = activeQuarters(quadrantChurn.quarters);
    expect(quarters.map((q) => q.quarter)).toEqual(["2025-10-01"]);
    const option = quadrantChurnOption(quarters);
    expect(axis(option.xAxis).data).toEqual(["Q4 2025"]);
    expect(series(option).map((s) => [s.name, s.data])).toEqual([
      ["Champions", [0.1]],
      ["Frustrated Power Users", [0.3]],
      ["Relationship-Dependent", ["-"]],
      ["Churn Risk", [0.5]],
    ]);
  });

  it("compares renewed and churned adoption at the chosen days before renewal", () => {
    expect(adoptionRows(adoption.features, 60).map((r) => r.feature.key)).toEqual([
      "reports",
      "api",
    ]);
    const option = adoptionOption(adoption.features, 30);
    expect(axis(option.yAxis).data).toEqual(["Reports ★", "API"]);
    expect(series(option).map((s) => [s.name, s.data])).toEqual([
      ["Renewed", [0.9, 0.25]],
      ["Churned", [0.3, 0.1]],
    ]);
  });
});
