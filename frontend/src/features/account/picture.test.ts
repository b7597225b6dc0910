import { describe, expect, it } from "vitest";
import { dueLabel } from "../tasks/TaskRow";
import { daysAgo, formatChange } from "./picture";
import { surveyOption } from "./pictureCharts";
import type { SurveyView } from "./queries";

function survey(kind: string, score: number): SurveyView {
  return { kind, score, responded_at: "2026-01-10T10:00:00Z", contact_email: null, comment: null };
}

describe("picture helpers", () => {
  it("says how long ago a day was, from the reporting day", () => {
    expect(daysAgo("2026-01-15", "2026-01-15")).toBe("today");
    expect(daysAgo("2026-01-15", "2026-01-14T23:00:00Z")).toBe("yesterday");
    expect(daysAgo("2026-01-15", "2025-01-15")).toBe("365 days ago");
    expect(daysAgo("2026-01-15", null)).toBe("Never");
  });

  it("formats a usage change ratio as a signed percentage", () => {
    expect(formatChange(0.3527)).toBe("+35%");
    expect(formatChange(-0.2)).toBe("\u221220%");
    expect(formatChange(0)).toBe("0%");
    expect(formatChange(null)).toBe("—");
  });

  it("marks open tasks past their due date as overdue, not done ones", () => {
    expect(dueLabel("open", "2026-01-10", "2026-01-15")).toEqual({
      text: "Overdue · Jan 10, 2026",
      overdue: true,
    });
    expect(dueLabel("done", "2026-01-10", "2026-01-15")).toEqual({
      text: "Due Jan 10, 2026",
      overdue: false,
    });
    expect(dueLabel("open", "2026-01-16", "2026-01-15").text).toBe("Due tomorrow");
    expect(dueLabel("open", null, "2026-01-15").text).toBe("No due date");
  });

  it("gives NPS and CSAT their own scales, and one axis when only one kind answered", () => {
    const both = surveyOption([survey("nps", 9), survey("csat", 4)]);
    const axes = both.yAxis as { name: string; min: number; max: number }[];
    expect(axes.map((a) => [a.name, a.min, a.max])).toEqual([
      ["NPS", 0, 10],
      ["CSAT", 1, 5],
    ]);
    const series = both.series as { name: string; yAxisIndex?: number; data: unknown[] }[];
    expect(series.map((s) => [s.name, s.yAxisIndex ?? 0, s.data])).toEqual([
      ["NPS", 0, [["2026-01-10T10:00:00Z", 9]]],
      ["CSAT", 1, [["2026-01-10T10:00:00Z", 4]]],
    ]);

    const csatOnly = surveyOption([survey("csat", 2)]);
    expect((csatOnly.yAxis as { name: string }[]).map((a) => a.name)).toEqual(["CSAT"]);
    expect((csatOnly.series as { yAxisIndex: number }[])[0]?.yAxisIndex).toBe(0);
  });
});
