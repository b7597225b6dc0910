import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { TOKEN_KEY } from "../../api/token";
import { demoMeta, demoUser, json, renderApp, stubApi } from "../../test/utils";
import { adoption, complaints, features, history, quadrantChurn, transitions } from "./fixtures";

// ECharts needs a real canvas: render a stand-in that exposes the chart's label.
vi.mock("../../ui/Chart", () => ({
  Chart: ({ label }: { label: string }) => <div role="img" aria-label={label} />,
}));

function stubProduct(overrides: Record<string, () => Response> = {}) {
  const transitionRequests: URLSearchParams[] = [];
  stubApi({
    "GET /api/v1/auth/me": () => json(demoUser),
    "GET /api/v1/meta": () => json(demoMeta),
    "GET /api/v1/quadrants/history": () => json(history),
    "GET /api/v1/quadrants/transitions": (request) => {
      transitionRequests.push(new URL(request.url).searchParams);
      return json(transitions);
    },
    "GET /api/v1/analytics/quadrant-churn": () => json(quadrantChurn),
    "GET /api/v1/analytics/features-by-quadrant": () => json(features),
    "GET /api/v1/analytics/adoption-before-renewal": () => json(adoption),
    "GET /api/v1/analytics/complaint-to-fix": () => json(complaints),
    ...overrides,
  });
  return { transitionRequests };
}

const cells = (row: HTMLElement) =>
  within(row)
    .getAllByRole("cell")
    .map((c) => c.textContent);

describe("Product", () => {
  beforeEach(() => {
    window.localStorage.setItem(TOKEN_KEY, "test-token");
  });

  it("lists complaint-to-fix by product area", async () => {
    stubProduct();
    renderApp("/product");
    const table = await screen.findByRole("table", { name: "Complaint to fix by product area" });
    const rows = within(table).getAllByTestId("complaint-row");
    expect(rows.map((r) => within(r).getByRole("rowheader").textContent)).toEqual([
      "Performance",
      "Billing",
    ]);
    expect(cells(rows[0] as HTMLElement)).toEqual(["10", "8", "5", "12 d", "4 d", "40 d"]);
    expect(cells(rows[1] as HTMLElement)).toEqual(["4", "0", "0", "—", "—", "20 d"]);
  });

  it("compares this quarter's start with the previous one's", async () => {
    const { transitionRequests } = stubProduct();
    const { router } = renderApp("/product");
    const matrix = await screen.findByRole("table", { name: "Quadrant transitions" });
    // demoMeta.today is 2026-01-15.
    expect(transitionRequests[0]?.get("from")).toBe("2025-10-01");
    expect(transitionRequests[0]?.get("to")).toBe("2026-01-01");
    expect(cells(within(matrix).getByRole("row", { name: /^Champions/ }))).toEqual([
      "40",
      "0",
      "0",
      "5",
      "0",
      "45",
    ]);
    expect(cells(within(matrix).getByRole("row", { name: /^New/ }))).toEqual([
      "7",
      "0",
      "0",
      "0",
      "0",
      "7",
    ]);
    expect(
      screen.getByText(/40 of 47 accounts placed on both dates kept their quadrant \(85%\)/),
    ).toBeInTheDocument();

    await userEvent.selectOptions(
      screen.getByRole("combobox", { name: "Quarter over quarter" }),
      "Q3 2025 → Q4 2025",
    );
    expect(router.state.location.search).toEqual({ quarter: "2025-10-01" });
    await vi.waitFor(() => expect(transitionRequests.at(-1)?.get("from")).toBe("2025-07-01"));
    expect(transitionRequests.at(-1)?.get("to")).toBe("2025-10-01");
  });

  it("shows churn by quadrant per quarter with the ratio to Champions", async () => {
    stubProduct();
    renderApp("/product");
    const table = await screen.findByRole("table", { name: "Churn rate by quadrant per quarter" });
    // Quarters without outcomes (before scoring) are left out.
    expect(within(table).getAllByRole("row")).toHaveLength(2);
    expect(cells(within(table).getByRole("row", { name: /^Q4 2025/ }))).toEqual([
      // each rate with its sample: 50% of 8 outcomes is not 50% of 800
      "10% (2 of 20)",
      "30% (3 of 10) 3×",
      "—",
      "50% (4 of 8) 5×",
    ]);
    expect(
      screen.getByRole("img", {
        name: "Churn rate by quadrant per quarter; Q4 2025: Champions 10%, Frustrated Power Users 30%, Relationship-Dependent —, Churn Risk 50%",
      }),
    ).toBeInTheDocument();
  });

  it("sorts the features chart by the gap and switches the days before renewal", async () => {
    stubProduct();
    const { router } = renderApp("/product");
    expect(
      await screen.findByRole("img", {
        name: /largest gap first: Reports 75% vs 25%, Alerts 75% vs 50%, API 25% vs 50%$/,
      }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole("img", {
        name: "Share of renewed vs churned accounts using each feature 90 days before renewal: Reports 80% vs 40%, API 30% vs 10%",
      }),
    ).toBeInTheDocument();
    expect(screen.getByText(/50 renewals, 10 churns since Jul 1, 2024/)).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "30 days" }));
    expect(
      await screen.findByRole("img", {
        name: "Share of renewed vs churned accounts using each feature 30 days before renewal: Reports 90% vs 30%, API 25% vs 10%",
      }),
    ).toBeInTheDocument();
    expect(router.state.location.searchStr).toBe("?days=30");
  });

  it("shows the quadrant distribution by month from the quadrant history", async () => {
    stubProduct();
    const { router } = renderApp("/product?measure=arr");
    expect(
      await screen.findByRole("img", {
        name: "Stacked area chart of ARR per quadrant by month",
      }),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Accounts" }));
    expect(
      await screen.findByRole("img", {
        name: "Stacked area chart of accounts per quadrant by month",
      }),
    ).toBeInTheDocument();
    expect(router.state.location.search).toEqual({});
  });

  it("gives each card its own empty and error state", async () => {
    stubProduct({
      "GET /api/v1/analytics/complaint-to-fix": () => json([]),
      "GET /api/v1/analytics/features-by-quadrant": () =>
        json({ title: "Service Unavailable", status: 503, detail: "try later" }, 503),
      "GET /api/v1/quadrants/transitions": () => json({ ...transitions, cells: [] }),
    });
    renderApp("/product");
    expect(await screen.findByText("No product issues raised in 12 months")).toBeInTheDocument();
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Couldn't load feature use by quadrant");
    expect(alert).toHaveTextContent("try later");
    expect(await screen.findByText("No scores on these dates")).toBeInTheDocument();
    expect(
      await screen.findByRole("table", { name: "Churn rate by quadrant per quarter" }),
    ).toBeInTheDocument();
  });
});
