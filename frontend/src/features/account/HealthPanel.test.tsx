import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { AccountDetail } from "../../api/client";
import { TOKEN_KEY } from "../../api/token";
import {
  account,
  demoMeta,
  demoUser,
  json,
  pictureSections,
  renderApp,
  stubApi,
} from "../../test/utils";
import type { AccountHealth, Explanation, HealthHistory } from "./queries";

vi.mock("../../ui/Chart", () => ({
  Chart: ({ label }: { label: string }) => <div role="img" aria-label={label} />,
}));

const detail: AccountDetail = {
  ...pictureSections(),
  ...account(),
  domains: [],
  industry: null,
  acquisition_channel: null,
  signup_date: null,
  onboarding_completed_at: null,
  seats_purchased: null,
  seat_limit: null,
  api_call_limit: null,
  contract_start: null,
  tags: [],
  contacts: [],
};
const BASE = `/api/v1/accounts/${detail.id}`;

const health: AccountHealth = {
  account_id: detail.id,
  as_of: "2026-01-14",
  config_version: 2,
  stored: true,
  health_score: 72.4,
  band: "watch",
  usage_axis: 81,
  health_axis: 66,
  quadrant: "champions",
  coverage: 0.9,
  churn_probability: 0.123,
  arr: 120000,
  computed_at: "2026-01-14T03:00:00Z",
  components: [
    {
      name: "usage",
      label: "Usage",
      score: 81,
      weight: 0.35,
      effective_weight: 0.4,
      coverage: 0.75,
      context: { seats: 120, active_users: 96 },
      sub_metrics: [
        {
          name: "login_frequency",
          label: "Logins per seat",
          unit: "per_seat",
          description: "Active user-days in the last 30 days per purchased seat",
          raw: 11.82,
          score: 75,
          weight: 0.3,
          effective_weight: 0.4,
        },
        {
          name: "feature_adoption",
          label: "Core feature adoption",
          unit: "fraction",
          description: "Share of the core features on the plan used in the last 30 days",
          raw: 0.5,
          score: 50,
          weight: 0.4,
          effective_weight: 0.533,
        },
        {
          name: "time_in_platform",
          label: "Time in product",
          unit: "minutes",
          description: "Minutes per active user per week",
          raw: null,
          score: null,
          weight: 0.2,
          effective_weight: 0,
        },
      ],
    },
    {
      name: "relationship",
      label: "Relationship",
      score: 60,
      weight: 0.15,
      effective_weight: 0.15,
      coverage: 1,
      context: {},
      sub_metrics: [
        {
          name: "touch_sentiment",
          label: "Last touch sentiment",
          unit: "level",
          description: "Sentiment of the last logged touch",
          raw: -1,
          score: 0,
          weight: 1,
          effective_weight: 0.25,
        },
        {
          name: "days_since_touch",
          label: "Days since last touch",
          unit: "days",
          description: "Days since the last logged touch",
          raw: 12,
          score: 90,
          weight: 1,
          effective_weight: 0.25,
        },
      ],
    },
  ],
};

function point(
  as_of: string,
  score: number,
  quadrant: HealthHistory["points"][number]["quadrant"],
) {
  return {
    as_of,
    health_score: score,
    band: "watch" as const,
    usage_axis: 80,
    health_axis: 65,
    quadrant,
    coverage: 1,
    config_version: as_of < "2026-01-01" ? 1 : 2,
    usage: 80,
    support: 70,
    sentiment: 60,
    relationship: 60,
    commercial: 100,
  };
}

const history: HealthHistory = {
  account_id: detail.id,
  date_from: "2025-10-16",
  date_to: "2026-01-14",
  points: [
    point("2025-12-30", 80, "champions"),
    point("2025-12-31", 70, "relationship_dependent"),
    point("2026-01-01", 71, "relationship_dependent"),
    point("2026-01-14", 72, "champions"),
  ],
  config_markers: [
    { version: 1, name: "Default", activated_at: null, first_scored_on: "2025-12-30" },
    {
      version: 2,
      name: "Tuned",
      activated_at: "2026-01-01T00:00:00Z",
      first_scored_on: "2026-01-01",
    },
  ],
  quadrant_moves: [
    {
      moved_on: "2025-12-31",
      from_quadrant: "champions",
      to_quadrant: "relationship_dependent",
      config_version: 1,
    },
    {
      moved_on: "2026-01-14",
      from_quadrant: "relationship_dependent",
      to_quadrant: "champions",
      config_version: 2,
    },
  ],
};

const explanation: Explanation = {
  account_id: detail.id,
  date_from: "2025-12-15",
  date_to: "2026-01-14",
  health_from: 85,
  health_to: 72.4,
  delta: -12.6,
  config_from: 2,
  config_to: 2,
  sentence: "85 → 72: support −9 (Escalations (90 d) 0 → 2), usage −4",
  components: [
    {
      name: "support",
      label: "Support",
      score_from: 100,
      score_to: 55,
      weight_from: 0.2,
      weight_to: 0.2,
      contribution: -9,
      sub_metrics: [
        {
          name: "escalations",
          label: "Escalations (90 d)",
          unit: "count",
          raw_from: 0,
          raw_to: 2,
          score_from: 100,
          score_to: 0,
          contribution: -8,
        },
      ],
    },
    {
      name: "usage",
      label: "Usage",
      score_from: 90,
      score_to: 81,
      weight_from: 0.35,
      weight_to: 0.35,
      contribution: -3.6,
      sub_metrics: [],
    },
  ],
};

function stubHealth({ fresh = false }: { fresh?: boolean } = {}) {
  const explainRequests: URL[] = [];
  stubApi({
    "GET /api/v1/auth/me": () => json(demoUser),
    "GET /api/v1/meta": () => json(demoMeta),
    [`GET ${BASE}`]: () => json(detail),
    [`GET ${BASE}/aliases`]: () => json([]),
    [`GET ${BASE}/health`]: () => json(health),
    [`GET ${BASE}/health/history`]: () =>
      json(fresh ? { ...history, points: history.points.slice(-1), quadrant_moves: [] } : history),
    [`GET ${BASE}/health/explain`]: (request) => {
      if (fresh) {
        return json(
          {
            type: "about:blank",
            title: "Not Found",
            status: 404,
            detail: "No health snapshot on or before 2025-12-15",
          },
          404,
        );
      }
      const url = new URL(request.url);
      explainRequests.push(url);
      return json({
        ...explanation,
        date_from: url.searchParams.get("from") ?? explanation.date_from,
      });
    },
  });
  return { explainRequests };
}

function metricRow(name: string): HTMLElement {
  const row = document.querySelector<HTMLElement>(
    `[data-testid="sub-metric"][data-metric="${name}"]`,
  );
  if (!row) throw new Error(`no row for ${name}`);
  return row;
}

function cells(row: HTMLElement): string[] {
  return within(row)
    .getAllByRole("cell")
    .map((c) => c.textContent ?? "");
}

describe("Account health panel", () => {
  beforeEach(() => {
    window.localStorage.setItem(TOKEN_KEY, "test-token");
  });

  it("shows score, band, quadrant, coverage and churn probability", async () => {
    stubHealth();
    renderApp(`/accounts/${detail.id}`);
    const panel = await screen.findByTestId("health-panel");
    expect(within(panel).getByText("Scored for Jan 14, 2026 · config v2")).toBeInTheDocument();
    const facts = within(panel)
      .getAllByRole("definition")
      .map((d) => d.textContent);
    expect(facts).toEqual(["72Watch", "Champions", "81", "66", "90%", "12%"]);
  });

  it("formats each sub-metric's raw value by its unit, with weights and missing data", async () => {
    stubHealth();
    renderApp(`/accounts/${detail.id}`);
    await screen.findAllByTestId("health-component");

    // Metric | Raw | Score | Weight | Effective
    expect(cells(metricRow("login_frequency"))).toEqual(["11.8 / seat", "75", "0.3", "40%"]);
    expect(cells(metricRow("feature_adoption"))).toEqual(["50%", "50", "0.4", "53%"]);
    expect(cells(metricRow("touch_sentiment"))).toEqual(["negative", "0", "1", "25%"]);
    expect(cells(metricRow("days_since_touch"))).toEqual(["12 d", "90", "1", "25%"]);

    const missing = metricRow("time_in_platform");
    expect(cells(missing)).toEqual(["no data", "—", "0.2", "0%"]);
    expect(missing).toHaveClass("metric-missing");
    expect(within(missing).getByText("Time in product")).toHaveAttribute(
      "title",
      "Minutes per active user per week",
    );

    const usage = screen.getByRole("region", { name: "Usage (health component)" });
    expect(within(usage).getByTestId("component-score")).toHaveTextContent("81");
    expect(usage).toHaveTextContent("weight 0.35 · effective 40% · coverage 75%");
    expect(within(usage).getByText("Seats").nextSibling).toHaveTextContent("120");
    expect(within(usage).getByText("Active users").nextSibling).toHaveTextContent("96");
  });

  it("charts the history with config changes and lists the quadrant moves", async () => {
    stubHealth();
    renderApp(`/accounts/${detail.id}`);
    expect(
      await screen.findByRole("img", {
        name: "Health history from Dec 30, 2025 (80) to Jan 14, 2026 (72)",
      }),
    ).toBeInTheDocument();
    const timeline = screen.getByRole("region", { name: "Quadrant timeline" });
    expect(
      within(timeline).getByText("Champions: Dec 30, 2025 – Dec 30, 2025"),
    ).toBeInTheDocument();
    expect(
      within(timeline).getByText("Relationship-Dependent: Dec 31, 2025 – Jan 1, 2026"),
    ).toBeInTheDocument();
    const moves = within(timeline)
      .getAllByRole("listitem")
      .filter((li) => li.closest(".move-list"));
    expect(moves.map((m) => m.textContent)).toEqual([
      "Jan 14, 2026Relationship-Dependent→toChampions",
      "Dec 31, 2025Champions→toRelationship-Dependent",
    ]);
  });

  it("explains what changed, for the dates picked", async () => {
    const { explainRequests } = stubHealth();
    renderApp(`/accounts/${detail.id}`);

    const card = await screen.findByTestId("explain-card");
    expect(await within(card).findByTestId("explain-sentence")).toHaveTextContent(
      "85 → 72: support −9 (Escalations (90 d) 0 → 2), usage −4",
    );
    // The server's default range first: no dates sent.
    expect(explainRequests[0]?.search).toBe("");
    const rows = within(card).getAllByTestId("contribution");
    expect(rows[0]).toHaveTextContent("Support−9");
    expect(rows[0]).toHaveTextContent("Escalations (90 d) 0 → 2 (−8)");
    expect(rows[1]).toHaveTextContent("Usage−3.6");

    const from = within(card).getByLabelText("Explain from");
    expect(from).toHaveValue("2025-12-15");
    fireEvent.change(from, { target: { value: "2025-11-01" } });
    await waitFor(() =>
      expect(explainRequests.at(-1)?.searchParams.get("from")).toBe("2025-11-01"),
    );
  });

  it("says when there is not enough history yet (a fresh install)", async () => {
    stubHealth({ fresh: true });
    renderApp(`/accounts/${detail.id}`);
    expect(await screen.findByText("Not enough history in this period")).toBeInTheDocument();
    const card = screen.getByTestId("explain-card");
    expect(await within(card).findByText("Nothing to compare yet")).toBeInTheDocument();
    expect(card).toHaveTextContent("No health snapshot on or before 2025-12-15. Pick a later");
    expect(within(card).queryByRole("alert")).not.toBeInTheDocument();
  });
});
