import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { TOKEN_KEY } from "../../api/token";
import { demoMeta, demoUser, json, renderApp, stubApi } from "../../test/utils";
import type { Mover, QuadrantChurnRates, QuadrantHistory, QuadrantView } from "./queries";

// ECharts needs a real canvas: render a stand-in that exposes the label and the click handler.
vi.mock("../../ui/Chart", () => ({
  Chart: ({ label, onClick }: { label: string; onClick?: (event: { value: unknown }) => void }) => (
    <button
      type="button"
      data-testid="chart"
      aria-label={label}
      onClick={() => onClick?.({ value: [70, 80, 10, 0] })}
    />
  ),
}));

const ACME = "a0000000-0000-4000-8000-000000000001";
const GLOBEX = "a0000000-0000-4000-8000-000000000002";

const view: QuadrantView = {
  as_of: "2026-01-14",
  cutoffs: { usage: 60, health: 60, hysteresis: 5 },
  summary: [
    { quadrant: "champions", accounts: 795, arr: 43_000_000 },
    { quadrant: "frustrated_power_users", accounts: 136, arr: 8_250_000 },
    { quadrant: "relationship_dependent", accounts: 581, arr: 28_750_000 },
    { quadrant: "churn_risk", accounts: 139, arr: 10_000_000 },
  ],
  unplaced: 2,
  scope: "mine",
  points: [
    {
      account_id: ACME,
      name: "Acme Corp",
      usage_axis: 70,
      health_axis: 80,
      health_score: 77,
      band: "watch",
      quadrant: "champions",
      arr: 120_000,
    },
    {
      account_id: GLOBEX,
      name: "Globex",
      usage_axis: 30,
      health_axis: 40,
      health_score: 38,
      band: "at_risk",
      quadrant: "churn_risk",
      arr: 50_000,
    },
  ],
};

const history: QuadrantHistory = {
  date_from: "2024-07-14",
  date_to: "2026-01-14",
  interval: "week",
  series: [
    {
      as_of: "2026-01-05",
      counts: {
        champions: 780,
        frustrated_power_users: 150,
        relationship_dependent: 575,
        churn_risk: 146,
      },
      arr: {
        champions: 3.9e7,
        frustrated_power_users: 9e6,
        relationship_dependent: 2.7e7,
        churn_risk: 1.1e7,
      },
    },
    {
      as_of: "2026-01-12",
      counts: {
        champions: 790,
        frustrated_power_users: 140,
        relationship_dependent: 580,
        churn_risk: 141,
      },
      arr: {
        champions: 4e7,
        frustrated_power_users: 8e6,
        relationship_dependent: 2.8e7,
        churn_risk: 1e7,
      },
    },
  ],
};

const worse: Mover = {
  account_id: ACME,
  name: "Acme Corp",
  arr: 120_000,
  moved_on: "2026-01-13",
  from_quadrant: "champions",
  to_quadrant: "relationship_dependent",
  direction: "worse",
  health_score: 71,
  owner_id: "6f1c1c5e-0000-4000-8000-000000000001",
  owner_name: "Demo User",
  owner_email: "demo@tempo.test",
};
const better: Mover = {
  account_id: GLOBEX,
  name: "Globex",
  arr: 50_000,
  moved_on: "2026-01-12",
  from_quadrant: "churn_risk",
  to_quadrant: "champions",
  direction: "better",
  health_score: 82,
  owner_id: "6f1c1c5e-0000-4000-8000-000000000002",
  owner_name: "Sam Peer",
  owner_email: "sam@tempo.test",
};

const churn: QuadrantChurnRates = {
  since: "2025-01-15",
  until: "2026-01-15",
  horizon_days: 90,
  scope: "mine",
  quadrants: [
    { quadrant: "champions", outcomes: 25, churned: 3, churn_rate: 0.12 },
    { quadrant: "frustrated_power_users", outcomes: 0, churned: 0, churn_rate: null },
    { quadrant: "relationship_dependent", outcomes: 10, churned: 2, churn_rate: 0.2 },
    { quadrant: "churn_risk", outcomes: 7, churned: 4, churn_rate: 4 / 7 },
  ],
};

function stubQuadrants(overrides: { view?: QuadrantView } = {}) {
  const moveRequests: URL[] = [];
  const scoped: URL[] = [];
  const scopeOf = (request: Request) => {
    const url = new URL(request.url);
    scoped.push(url);
    return url.searchParams.get("scope") ?? "mine";
  };
  stubApi({
    "GET /api/v1/auth/me": () => json(demoUser),
    "GET /api/v1/meta": () => json(demoMeta),
    "GET /api/v1/quadrants": (request) =>
      json({ ...(overrides.view ?? view), scope: scopeOf(request) }),
    "GET /api/v1/quadrants/history": (request) => json({ ...history, scope: scopeOf(request) }),
    "GET /api/v1/quadrants/churn": (request) => json({ ...churn, scope: scopeOf(request) }),
    "GET /api/v1/accounts": (request) =>
      json({ items: [], total: 0, page: 1, page_size: 50, scope: scopeOf(request) }),
    "GET /api/v1/quadrants/moves": (request) => {
      const url = new URL(request.url);
      moveRequests.push(url);
      const direction = url.searchParams.get("direction");
      const items = [worse, better].filter((m) => !direction || m.direction === direction);
      return json({
        since: url.searchParams.get("since") ?? "2026-01-08",
        until: url.searchParams.get("until") ?? "2026-01-15",
        items,
        total: items.length,
        scope: url.searchParams.get("scope") ?? "mine",
      });
    },
    [`GET /api/v1/accounts/${ACME}`]: () => json({ detail: "stop here" }, 404),
  });
  return { moveRequests, scoped };
}

describe("Quadrants", () => {
  beforeEach(() => {
    window.localStorage.setItem(TOKEN_KEY, "test-token");
  });

  it("shows accounts, ARR and share of ARR per quadrant", async () => {
    stubQuadrants();
    renderApp("/quadrants");

    const champions = await screen.findByRole("region", { name: "Champions" });
    await waitFor(() =>
      expect(within(champions).getByTestId("tile-accounts")).toHaveTextContent("795accounts"),
    );
    expect(within(champions).getByTestId("tile-arr")).toHaveTextContent("$43M ARR");
    // 43M of 90M placed ARR.
    expect(within(champions).getByTestId("tile-share")).toHaveTextContent("48% of ARR");

    const churn = screen.getByRole("region", { name: "Churn Risk" });
    expect(within(churn).getByTestId("tile-accounts")).toHaveTextContent("139accounts");
    expect(within(churn).getByTestId("tile-arr")).toHaveTextContent("$10M ARR");
    expect(within(churn).getByTestId("tile-share")).toHaveTextContent("11% of ARR");
    expect(screen.getAllByTestId("quadrant-tile")).toHaveLength(4);
    // every churn rate with the sample behind it
    expect(await within(churn).findByTestId("tile-churn")).toHaveTextContent(
      "Churned 57% (4 of 7)",
    );
    expect(within(champions).getByTestId("tile-churn")).toHaveTextContent("Churned 12% (3 of 25)");
    expect(
      within(screen.getByRole("region", { name: "Frustrated Power Users" })).getByTestId(
        "tile-churn",
      ),
    ).toHaveTextContent("No renewals in the last 12 months");

    expect(screen.getByText(/2 accounts · bubble size ∝ √ARR · 2 unplaced/)).toBeInTheDocument();
    expect(
      await screen.findByRole("button", { name: "Scatter of 2 accounts by usage and health" }),
    ).toBeInTheDocument();
  });

  it("opens the Book on a quadrant from its tile, over the same accounts", async () => {
    const user = userEvent.setup();
    stubQuadrants();
    const { router } = renderApp("/quadrants?scope=team");
    const champions = await screen.findByRole("region", { name: "Champions" });
    const link = within(champions).getByRole("link", { name: "Champions" });
    expect(link).toHaveAttribute("href", "/book?filter=quadrant%3Dchampions&scope=team");
    await user.click(link);
    await waitFor(() => expect(router.state.location.pathname).toBe("/book"));
    expect(router.state.location.search).toEqual({ filter: "quadrant=champions", scope: "team" });
  });

  it("switches the whole page between Mine, Team and Everyone, owners beside the movers", async () => {
    const user = userEvent.setup();
    const { scoped, moveRequests } = stubQuadrants();
    const { router } = renderApp("/quadrants");
    const movers = await screen.findByRole("region", { name: "Movers" });
    await within(movers).findAllByTestId("mover-row");
    const toggle = screen.getByRole("group", { name: "Whose accounts" });
    await waitFor(() =>
      expect(within(toggle).getByRole("button", { name: "Mine" })).toHaveAttribute(
        "aria-pressed",
        "true",
      ),
    );
    expect(screen.getByTestId("quadrants-scope")).toHaveTextContent(
      "Your accounts placed by product usage against relationship health",
    );
    // the user's own accounts: no owner column
    expect(within(movers).queryByRole("columnheader", { name: "Owner" })).not.toBeInTheDocument();
    // the champions tile opens the Book over the same (default) accounts
    expect(
      within(screen.getByRole("region", { name: "Champions" })).getByRole("link"),
    ).toHaveAttribute("href", "/book?filter=quadrant%3Dchampions&scope=mine");

    await user.click(within(toggle).getByRole("button", { name: "Team" }));
    expect(router.state.location.search).toEqual({ scope: "team" });
    await waitFor(() =>
      expect(within(movers).getByRole("columnheader", { name: "Owner" })).toBeInTheDocument(),
    );
    const rows = within(movers).getAllByTestId("mover-row");
    expect(within(rows[1] as HTMLElement).getByText("Sam Peer")).toHaveAttribute(
      "title",
      "sam@tempo.test",
    );
    expect(moveRequests.at(-1)?.searchParams.get("scope")).toBe("team");
    await waitFor(() =>
      expect(
        new Set(
          scoped.filter((u) => u.searchParams.get("scope") === "team").map((u) => u.pathname),
        ),
      ).toEqual(
        new Set(["/api/v1/quadrants", "/api/v1/quadrants/history", "/api/v1/quadrants/churn"]),
      ),
    );
    expect(screen.getByTestId("quadrants-scope")).toHaveTextContent(
      "Your team's accounts placed by product usage",
    );
  });

  it("charts the distribution over time by accounts or ARR", async () => {
    const user = userEvent.setup();
    stubQuadrants();
    const { router } = renderApp("/quadrants");
    const card = await screen.findByRole("region", { name: "Distribution over time" });
    expect(
      await within(card).findByRole("button", {
        name: "Stacked area chart of accounts per quadrant by week",
      }),
    ).toBeInTheDocument();
    await user.click(within(card).getByRole("button", { name: "ARR" }));
    expect(
      await within(card).findByRole("button", {
        name: "Stacked area chart of ARR per quadrant by week",
      }),
    ).toBeInTheDocument();
    expect(router.state.location.search).toEqual({ measure: "arr" });
  });

  it("lists movers of the last 7 days and filters them by direction", async () => {
    const user = userEvent.setup();
    const { moveRequests } = stubQuadrants();
    const { router } = renderApp("/quadrants");

    const movers = await screen.findByRole("region", { name: "Movers" });
    const rows = await within(movers).findAllByTestId("mover-row");
    expect(rows).toHaveLength(2);
    expect(within(rows[0] as HTMLElement).getByRole("link", { name: "Acme Corp" })).toHaveAttribute(
      "href",
      `/accounts/${ACME}`,
    );
    expect(rows[0]).toHaveTextContent("Champions→toRelationship-Dependent");
    expect(rows[0]).toHaveTextContent("↓ Worse");
    expect(rows[0]).toHaveTextContent("$120K");
    expect(rows[0]).toHaveTextContent("Jan 13, 2026");
    // The server's default window (7 days up to today): no dates sent.
    expect(moveRequests[0]?.searchParams.get("since")).toBeNull();
    expect(moveRequests[0]?.searchParams.get("direction")).toBeNull();

    await user.click(within(movers).getByRole("button", { name: "Worse" }));
    await waitFor(() => expect(within(movers).getAllByTestId("mover-row")).toHaveLength(1));
    expect(within(movers).getByRole("link", { name: "Acme Corp" })).toBeInTheDocument();
    expect(moveRequests.at(-1)?.searchParams.get("direction")).toBe("worse");
    expect(router.state.location.search).toEqual({ direction: "worse" });

    await user.click(within(movers).getByRole("button", { name: "Better" }));
    await waitFor(() =>
      expect(within(movers).getByRole("link", { name: "Globex" })).toBeInTheDocument(),
    );
    expect(within(movers).getAllByTestId("mover-row")).toHaveLength(1);

    await user.selectOptions(within(movers).getByLabelText("Period"), "30");
    await waitFor(() => expect(moveRequests.at(-1)?.searchParams.get("since")).toBe("2025-12-16"));

    await user.click(within(movers).getByRole("button", { name: "All" }));
    await waitFor(() => expect(within(movers).getAllByTestId("mover-row")).toHaveLength(2));
  });

  it("opens the account of a clicked bubble", async () => {
    const user = userEvent.setup();
    stubQuadrants();
    const { router } = renderApp("/quadrants");
    await user.click(
      await screen.findByRole("button", { name: "Scatter of 2 accounts by usage and health" }),
    );
    await waitFor(() => expect(router.state.location.pathname).toBe(`/accounts/${ACME}`));
  });

  it("explains that nothing is scored yet", async () => {
    stubQuadrants({
      view: { ...view, as_of: null, summary: [], unplaced: 0, points: [] },
    });
    renderApp("/quadrants");
    expect(await screen.findByText("No health scores yet")).toBeInTheDocument();
    expect(screen.queryByTestId("quadrant-tile")).not.toBeInTheDocument();
  });
});
