import { describe, expect, it } from "vitest";
import { alertFacts, factsText } from "./facts";

const USD = { currency: "USD" };

function pairs(facts: Record<string, unknown>, context: { currency: string; rule?: string }) {
  return alertFacts(facts, context).map((f) => [f.label, f.value]);
}

describe("alert facts", () => {
  it("labels a renewal's facts, with its money in the reporting currency", () => {
    expect(
      pairs(
        { renewal_date: "2026-03-01", days: 45, arr_up_for_renewal: 114877.4 },
        { currency: "EUR", rule: "renewal_60" },
      ),
    ).toEqual([
      ["Renews on", "Mar 1, 2026"],
      ["Renews in", "45 days"],
      ["ARR up for renewal", "€114,877"],
    ]);
  });

  it("formats scores, points, percentages, ratios and counts", () => {
    expect(pairs({ health: 37.5, health_before: 58.49, drop: 20.99 }, USD)).toEqual([
      ["Health", "38"],
      ["Health before", "58"],
      ["Drop", "21 points"],
    ]);
    expect(pairs({ user_days: 130, prev_user_days: 200, change: -0.35 }, USD)).toEqual([
      ["Active user-days, last 4 weeks", "130"],
      ["Active user-days, 4 weeks before", "200"],
      ["Change", "\u221235%"],
    ]);
    expect(pairs({ change: 0.125 }, USD)).toEqual([["Change", "+13%"]]);
    expect(pairs({ ticket_volume: 3.74, open_tickets: 6 }, USD)).toEqual([
      ["Ticket volume", "3.7\u00d7 usual"],
      ["Open tickets", "6"],
    ]);
    expect(pairs({ health: 81, feature_adoption: 0.8 }, USD)).toEqual([
      ["Health", "81"],
      ["Core features adopted", "80%"],
    ]);
    expect(pairs({ api_calls: 96000, api_call_limit: 100000 }, USD)).toEqual([
      ["API calls, last 4 weeks", "96,000"],
      ["API call limit", "100,000"],
    ]);
  });

  it("reads days by rule, and one day in the singular", () => {
    expect(pairs({ days: 16 }, { currency: "USD", rule: "inactivity" })).toEqual([
      ["Inactive for", "16 days"],
    ]);
    expect(pairs({ days_overdue: 1, unpaid_invoices: 2 }, USD)).toEqual([
      ["Overdue by", "1 day"],
      ["Unpaid invoices", "2"],
    ]);
    expect(pairs({ days: 3 }, USD)).toEqual([["Days", "3 days"]]);
  });

  it("names quadrants, dates, tickets and priorities", () => {
    expect(pairs({ from: "champions", to: "churn_risk", moved_on: "2026-01-03" }, USD)).toEqual([
      ["From", "Champions"],
      ["To", "Churn Risk"],
      ["Moved on", "Jan 3, 2026"],
    ]);
    expect(
      pairs({ ticket_subject: "Exports fail", ticket_id: "ZD-4411", priority: 1 }, USD),
    ).toEqual([
      ["Ticket", "Exports fail"],
      ["Ticket ID", "ZD-4411"],
      ["Priority", "P1"],
    ]);
  });

  it("humanizes unknown keys and leaves out facts without a value", () => {
    expect(
      pairs(
        { new_metric: 2.345, urgent_open: 1, oldest_open_days: null, since: "2025-12-24", x: {} },
        USD,
      ),
    ).toEqual([
      ["Urgent tickets open", "1"],
      ["New metric", "2.3"],
      ["Since", "Dec 24, 2025"],
    ]);
    expect(factsText({ urgent_open: 1, oldest_open_days: 5 }, USD)).toBe(
      "Urgent tickets open: 1 · Oldest open for: 5 days",
    );
    expect(factsText({}, USD)).toBe("");
    expect(factsText(null, USD)).toBe("");
  });
});
