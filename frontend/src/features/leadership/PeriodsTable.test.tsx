import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { PeriodsTable } from "./PeriodsTable";
import type { Period } from "./queries";

function period(start: string, end: string, overrides: Partial<Period> = {}): Period {
  return {
    period_start: start,
    period_end: end,
    starting_arr: 1_000_000,
    ending_arr: 1_050_000,
    new: 60_000,
    expansion: { seat: 10_000, plan: 0, cross_sell: 0 },
    reactivation: 0,
    contraction: 5_000,
    churn: { voluntary: 15_000, involuntary: 0 },
    fx: 0,
    net_new_arr_existing: -10_000,
    nrr: 0.99,
    grr: 0.98,
    logo_churn_rate: 0.01,
    logo_churn_rate_annualised: 0.11,
    revenue_churn_rate: { total: 0.02, voluntary: 0.015, involuntary: 0, downgrade: 0.005 },
    customers_start: 100,
    customers_end: 104,
    provisional: false,
    partial: false,
    new_logos: 0,
    reactivated_logos: 0,
    average_lifetime_months: null,
    ...overrides,
  };
}

describe("PeriodsTable", () => {
  it("shows new logos (reactivations apart) and the average lifetime of the period's churns", () => {
    render(
      <PeriodsTable
        interval="month"
        currency="USD"
        periods={[
          period("2025-07-01", "2025-08-01", { new_logos: 5, reactivated_logos: 1 }),
          period("2025-08-01", "2025-09-01", { new_logos: 0, average_lifetime_months: 7.0833 }),
        ]}
      />,
    );
    const table = screen.getByRole("table", { name: "ARR movements by period" });
    const headers = within(table)
      .getAllByRole("columnheader")
      .map((h) => h.textContent);
    expect(headers.slice(-2)).toEqual(["New logos", "Avg lifetime"]);
    expect(within(table).getByText("New logos")).toHaveAttribute(
      "title",
      expect.stringContaining("first ARR ever"),
    );

    // newest first: August, then July
    const [august, july] = screen.getAllByTestId("period-row");
    if (!august || !july) throw new Error("rows missing");
    expect(within(august).getByTestId("period-logos")).toHaveTextContent(/^0$/);
    expect(within(august).getByTestId("period-lifetime")).toHaveTextContent("7.1 mo");
    expect(within(july).getByTestId("period-logos")).toHaveTextContent("5+1 back");
    expect(within(july).getByTestId("period-logos")).toHaveAttribute(
      "title",
      "5 new · 1 reactivated",
    );
    expect(within(july).getByTestId("period-lifetime")).toHaveTextContent("—");
    expect(within(within(july).getByTestId("period-lifetime")).getByText("—")).toHaveAttribute(
      "title",
      "No confirmed churn in the period",
    );
  });
});
