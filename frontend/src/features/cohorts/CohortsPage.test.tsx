import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { TOKEN_KEY } from "../../api/token";
import { demoMeta, demoUser, json, renderApp, stubApi } from "../../test/utils";
import { drivers, engagement, report, segmentReport, timeToValue } from "./fixtures";

// ECharts needs a real canvas: render a stand-in that exposes the chart's label.
vi.mock("../../ui/Chart", () => ({
  Chart: ({ label }: { label: string }) => <div role="img" aria-label={label} />,
}));

function stubCohorts(overrides: Record<string, () => Response> = {}) {
  const cohortRequests: URLSearchParams[] = [];
  const driverRequests: URLSearchParams[] = [];
  stubApi({
    "GET /api/v1/auth/me": () => json(demoUser),
    "GET /api/v1/meta": () => json(demoMeta),
    "GET /api/v1/analytics/cohorts": (request) => {
      const params = new URL(request.url).searchParams;
      cohortRequests.push(params);
      return json(params.get("split") === "segment" ? segmentReport : report);
    },
    "GET /api/v1/analytics/churn-drivers": (request) => {
      driverRequests.push(new URL(request.url).searchParams);
      return json(drivers);
    },
    "GET /api/v1/analytics/time-to-value": () => json(timeToValue),
    "GET /api/v1/analytics/engagement-churn": () => json(engagement),
    ...overrides,
  });
  return { cohortRequests, driverRequests };
}

/** The retention cells (after size and initial ARR) of the cohort row labelled `month`. */
function heatCells(month: string) {
  const row = screen.getByRole("row", { name: new RegExp(`^${month}`) });
  return within(row)
    .getAllByRole("cell")
    .slice(2)
    .map((c) => c.textContent);
}

describe("Cohorts", () => {
  beforeEach(() => {
    window.localStorage.setItem(TOKEN_KEY, "test-token");
  });

  it("shows logo retention per cohort and age, and revenue retention on demand", async () => {
    const { cohortRequests } = stubCohorts();
    const { router } = renderApp("/cohorts");

    const heatmap = await screen.findByRole("table", { name: "Logo retention, all accounts" });
    const oct = within(heatmap).getByRole("row", { name: /^Oct 2025/ });
    expect(within(oct).getByRole("rowheader")).toHaveTextContent("Oct 2025");
    expect(
      within(oct)
        .getAllByRole("cell")
        .map((c) => c.textContent),
    ).toEqual(["4", "$40K", "100%", "75%", "50%"]);
    expect(heatCells("Nov 2025")).toEqual(["100%", "80%", ""]);
    // The last age of each cohort is the month to date.
    expect(within(oct).getByText("50%")).toHaveAttribute(
      "title",
      "Oct 2025, month 2 (to date): 2 of 4 accounts, $44,000 ARR",
    );
    expect(cohortRequests[0]?.get("split")).toBe("none");
    expect(cohortRequests[0]?.get("months")).toBe("18");

    await userEvent.click(screen.getByRole("button", { name: "Revenue" }));
    await screen.findByRole("table", { name: "Revenue retention, all accounts" });
    expect(heatCells("Oct 2025")).toEqual(["100%", "90%", "110%"]);
    expect(router.state.location.search).toEqual({ metric: "revenue" });

    // Pooled curves: Σ retained / Σ size, Σ ARR / Σ initial ARR.
    expect(
      screen.getByRole("img", {
        name: "Logo retention by months since the first month: All cohorts 50% at month 2",
      }),
    ).toBeInTheDocument();
  });

  it("requests the split and shows one group's heatmap at a time", async () => {
    const { cohortRequests } = stubCohorts();
    const { router } = renderApp("/cohorts");
    await screen.findByRole("table", { name: "Logo retention, all accounts" });

    const split = screen.getByRole("group", { name: "Split cohorts by" });
    await userEvent.click(within(split).getByRole("button", { name: "Segment" }));
    await screen.findByRole("table", { name: "Logo retention, SMB" });
    expect(cohortRequests.at(-1)?.get("split")).toBe("segment");
    expect(router.state.location.search).toEqual({ split: "segment" });
    expect(heatCells("Oct 2025")).toEqual(["100%", "70%"]);

    await userEvent.selectOptions(screen.getByRole("combobox", { name: "Segment" }), "Enterprise");
    await screen.findByRole("table", { name: "Logo retention, Enterprise" });
    expect(heatCells("Oct 2025")).toEqual(["100%", "100%"]);
    expect(router.state.location.search).toEqual({ split: "segment", group: "Enterprise" });
    expect(
      screen.getByRole("img", {
        name: "Logo retention by months since the first month: SMB 70% at month 1; Enterprise 100% at month 1",
      }),
    ).toBeInTheDocument();
  });

  it("reads the split and period from the URL", async () => {
    const { cohortRequests, driverRequests } = stubCohorts();
    renderApp("/cohorts?split=segment&months=24&group=Enterprise");
    await screen.findByRole("table", { name: "Logo retention, Enterprise" });
    expect(cohortRequests[0]?.get("split")).toBe("segment");
    expect(cohortRequests[0]?.get("months")).toBe("24");
    expect(driverRequests[0]?.get("months")).toBe("24");
    expect(screen.getByRole("combobox", { name: "Period" })).toHaveValue("24");
  });

  it("switches the churn-driver dimension", async () => {
    stubCohorts();
    const { router } = renderApp("/cohorts");
    const drivers = await screen.findByRole("img", { name: /^Lost ARR by churn driver/ });
    expect(drivers).toHaveAccessibleName(
      "Lost ARR by churn driver, largest first: Not given $50K, Too expensive $30K",
    );
    expect(screen.getByText(/4 churns, \$80K lost ARR since Jan 1, 2025/)).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "Quadrant before" }));
    expect(
      await screen.findByRole("img", {
        name: "Lost ARR by churn driver, largest first: Churn Risk $70K, Not scored $10K",
      }),
    ).toBeInTheDocument();
    expect(router.state.location.search).toEqual({ driver: "quadrant" });

    await userEvent.click(screen.getByRole("button", { name: "Voluntary / involuntary" }));
    expect(
      await screen.findByRole("img", {
        name: "Lost ARR by churn driver, largest first: Voluntary $60K, Involuntary $20K",
      }),
    ).toBeInTheDocument();
  });

  it("shows time to value and churn by engagement tier", async () => {
    stubCohorts();
    renderApp("/cohorts");
    const table = await screen.findByRole("table", { name: "Time to value by segment" });
    const enterprise = within(table).getByRole("row", { name: /^Enterprise/ });
    expect(
      within(enterprise)
        .getAllByRole("cell")
        .map((c) => c.textContent),
    ).toEqual(["12", "49 d", "36–57 d", "87 d"]);
    const smb = within(table).getByRole("row", { name: /^SMB/ });
    expect(
      within(smb)
        .getAllByRole("cell")
        .map((c) => c.textContent),
    ).toEqual(["40", "24 d", "—", "—"]);
    expect(
      screen.getByRole("img", {
        name: "Churn rate by usage tier: Low usage 50%, Medium usage 20%, High usage 10%",
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByText("Low usage: 10 of 20 · Medium usage: 8 of 40 · High usage: 5 of 50"),
    ).toBeInTheDocument();
  });

  it("keeps the other cards when one fails, and says when there is nothing", async () => {
    stubCohorts({
      "GET /api/v1/analytics/time-to-value": () =>
        json({ title: "Internal Server Error", status: 500, detail: "boom" }, 500),
      "GET /api/v1/analytics/cohorts": () => json({ split: "none", cohorts: [] }),
      "GET /api/v1/analytics/engagement-churn": () =>
        json({
          horizon_days: 90,
          tiers: [{ label: "low", outcomes: 0, churned: 0, churn_rate: null }],
        }),
    });
    renderApp("/cohorts");
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Couldn't load time to value");
    expect(alert).toHaveTextContent("boom");
    expect(await screen.findByText("No cohorts in this period")).toBeInTheDocument();
    expect(screen.getByText("Not enough history for curves")).toBeInTheDocument();
    expect(screen.getByText("No outcomes yet")).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByRole("img", { name: /^Lost ARR by churn driver/ })).toBeInTheDocument(),
    );
  });
});
