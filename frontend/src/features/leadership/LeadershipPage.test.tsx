import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { TOKEN_KEY } from "../../api/token";
import { formatClockTime } from "../../lib/format";
import { demoMeta, demoUser, json, renderApp, stubApi } from "../../test/utils";
import type { Mover } from "../quadrants/queries";
import type { Renewal } from "../renewals/queries";
import type { Period, SeriesPoint, Summary } from "./queries";

// ECharts needs a real canvas: render a stand-in that exposes the label.
vi.mock("../../ui/Chart", () => ({
  Chart: ({ label }: { label: string }) => <div role="img" aria-label={label} />,
}));

const ACME = "a0000000-0000-4000-8000-000000000001";
const GLOBEX = "a0000000-0000-4000-8000-000000000002";

/** 18 months from Aug 2024 to Jan 2026; the last two provisional. */
const series: SeriesPoint[] = Array.from({ length: 18 }, (_, i) => {
  const month = new Date(Date.UTC(2024, 7 + i, 1)).toISOString().slice(0, 10);
  return {
    month,
    arr: 30_000_000 + i * 600_000,
    mrr: (30_000_000 + i * 600_000) / 12,
    customers: 700 + i * 8,
    arpa: 3_600,
    nrr: 1.004,
    grr: 0.99,
    logo_churn_rate: 0.02,
    revenue_churn_rate: 0.01,
    net_new_arr_existing: 150_000,
    expansion: month === "2025-12-01" ? 810_000 : 300_000,
    provisional: i >= 16,
  };
});

const summary: Summary = {
  freshness: { computed_at: "2026-01-14T06:00:00Z", rebuild_pending: false },
  as_of: "2026-01-14",
  currency: "USD",
  gross_margin: 0.8,
  arr: 40_383_699,
  mrr: 3_365_308,
  customers: 835,
  arpa: 4_030.31,
  nrr_ttm: 1.064,
  grr_ttm: 0.913,
  logo_churn_monthly: 0.018,
  logo_churn_annualised: 0.196,
  revenue_churn_monthly: 0.0093,
  ltv: 345_120.94,
  revenue_at_risk: 1_234_567.8,
  net_new_arr_existing: {
    last_7_days: -146_161.5,
    previous_7_days: 94_558.86,
    wow: -2.5457,
    last_30_days: 172_437.6,
    previous_30_days: 571_441.56,
    mom: -0.6982,
  },
  series,
};

function period(start: string, end: string, overrides: Partial<Period> = {}): Period {
  return {
    period_start: start,
    period_end: end,
    starting_arr: 37_000_000,
    ending_arr: 40_150_000,
    new: 2_470_000,
    expansion: { seat: 500_000, plan: 200_000, cross_sell: 110_000 },
    reactivation: 9_640,
    contraction: 101_000,
    churn: { voluntary: 100_000, involuntary: 12_000 },
    // start + new + expansion + reactivation − contraction − churn + fx = end
    fx: 73_360,
    net_new_arr_existing: 606_640,
    nrr: 1.016,
    grr: 0.994,
    logo_churn_rate: 0.014,
    logo_churn_rate_annualised: 0.155,
    revenue_churn_rate: { total: 0.006, voluntary: 0.003, involuntary: 0.0003, downgrade: 0.0027 },
    customers_start: 800,
    customers_end: 830,
    provisional: false,
    partial: false,
    new_logos: 12,
    reactivated_logos: 1,
    average_lifetime_months: 14.5,
    ...overrides,
  };
}

const monthly = [
  period("2025-11-01", "2025-12-01"),
  period("2025-12-01", "2026-01-01", { provisional: true }),
  period("2026-01-01", "2026-02-01", { provisional: true, partial: true, new: 0 }),
];
const quarterly = [
  period("2025-10-01", "2026-01-01", { provisional: true, nrr: 1.032 }),
  period("2026-01-01", "2026-04-01", { provisional: true, partial: true }),
];

const due: Renewal = {
  id: "r1",
  account_id: ACME,
  account_name: "Acme Corp",
  external_id: "ACME-001",
  segment: "Enterprise",
  owner_email: "csm01@tempo.test",
  renewal_date: "2026-02-03",
  days_to_renewal: 19,
  term: "annual",
  source: "crm",
  arr_up_for_renewal: 195_000,
  forecast: "commit",
  suggested_forecast: "risk",
  churn_probability: 0.3,
  health_score: 61,
  band: "watch",
  quadrant: "relationship_dependent",
  outcome: null,
  closed_at: null,
  owner_notes: null,
};

const better: Mover = {
  account_id: GLOBEX,
  name: "Globex",
  arr: 300_000,
  moved_on: "2026-01-13",
  from_quadrant: "churn_risk",
  to_quadrant: "champions",
  direction: "better",
  health_score: 82,
};
const worse: Mover = {
  account_id: ACME,
  name: "Acme Corp",
  arr: 50_000,
  moved_on: "2026-01-12",
  from_quadrant: "champions",
  to_quadrant: "churn_risk",
  direction: "worse",
  health_score: 41,
};

const fields = {
  fields: [
    { name: "segment", label: "Segment", kind: "text", ops: ["="], choices: ["Enterprise", "SMB"] },
    { name: "plan", label: "Plan", kind: "text", ops: ["="], choices: ["Growth", "Scale"] },
    { name: "icp_tier", label: "ICP tier", kind: "text", ops: ["="], choices: ["A", "B"] },
  ],
  owners: [],
};

const FRESH = { computed_at: "2026-01-14T06:00:00Z", rebuild_pending: false };

function stubLeadership({
  summaryFreshness = FRESH,
  retentionFreshness = FRESH,
}: {
  summaryFreshness?: Summary["freshness"];
  retentionFreshness?: Summary["freshness"];
} = {}) {
  const retention: URL[] = [];
  const renewals: URL[] = [];
  const moves: URL[] = [];
  stubApi({
    "GET /api/v1/auth/me": () => json(demoUser),
    "GET /api/v1/meta": () => json(demoMeta),
    "GET /api/v1/accounts/fields": () => json(fields),
    "GET /api/v1/metrics/summary": () => json({ ...summary, freshness: summaryFreshness }),
    "GET /api/v1/metrics/retention": (request) => {
      const url = new URL(request.url);
      retention.push(url);
      const interval = url.searchParams.get("interval") ?? "month";
      return json({
        interval,
        currency: "USD",
        segment: url.searchParams.get("segment"),
        plan: null,
        icp_tier: null,
        periods: interval === "quarter" ? quarterly : monthly,
        freshness: retentionFreshness,
      });
    },
    "GET /api/v1/renewals": (request) => {
      renewals.push(new URL(request.url));
      return json({ items: [due], total: 1, freshness: FRESH });
    },
    "GET /api/v1/quadrants/moves": (request) => {
      moves.push(new URL(request.url));
      return json({ since: "2026-01-08", until: "2026-01-15", items: [better, worse], total: 2 });
    },
  });
  return { retention, renewals, moves };
}

function tile(key: string): HTMLElement {
  return screen.getByTestId(`kpi-${key}`);
}

describe("Leadership", () => {
  beforeEach(() => {
    window.localStorage.setItem(TOKEN_KEY, "test-token");
  });

  it("shows the KPIs from the summary, each with its trend, and revenue at risk", async () => {
    stubLeadership();
    renderApp("/leadership");

    expect(await screen.findByTestId("kpi-nrr")).toHaveTextContent("NRR (TTM)106.4%");
    expect(within(tile("arr")).getByTestId("kpi-value")).toHaveTextContent("$40.4M");
    expect(tile("arr")).toHaveTextContent("MRR $3.37M");
    expect(within(tile("grr")).getByTestId("kpi-value")).toHaveTextContent("91.3%");
    expect(within(tile("logo_churn")).getByTestId("kpi-value")).toHaveTextContent("1.8%");
    expect(tile("logo_churn")).toHaveTextContent("annualised 19.6%");
    expect(tile("logo_churn")).toHaveTextContent("Dec 2025 · provisional");
    expect(within(tile("revenue_churn")).getByTestId("kpi-value")).toHaveTextContent("0.93%");
    expect(within(tile("expansion")).getByTestId("kpi-value")).toHaveTextContent("$810K");
    expect(within(tile("net_new")).getByTestId("kpi-value")).toHaveTextContent("+$172K");
    expect(tile("net_new")).toHaveTextContent("MoM −69.8%");
    expect(within(tile("net_new")).getByTestId("kpi-secondary")).toHaveTextContent(
      "Last 7 days −$146KWoW −254.6%",
    );
    expect(screen.getAllByTestId(/^kpi-(?!value|secondary)/)).toHaveLength(8);

    // Revenue at risk: the summary's one figure, saying what it is; today only, no trend.
    const risk = tile("revenue_at_risk");
    expect(within(risk).getByTestId("kpi-value")).toHaveTextContent("$1.23M");
    expect(within(risk).getByTestId("kpi-value")).toHaveAttribute("title", "$1,234,568");
    expect(risk).toHaveTextContent(
      "ARR × churn probability × saveable fraction, over active accounts",
    );
    expect(within(risk).getByText("Revenue at risk")).toHaveAttribute(
      "title",
      expect.stringContaining(
        "Σ ARR × churn probability × saveable fraction over the active accounts",
      ),
    );
    expect(within(risk).queryByRole("img")).not.toBeInTheDocument();
    // Nothing is being rebuilt: no freshness note.
    expect(screen.queryByTestId("freshness-note")).not.toBeInTheDocument();

    // Each tile has its 18-month sparkline.
    expect(
      within(tile("nrr")).getByRole("img", {
        name: "NRR by month, Aug 2024 to Jan 2026: from 100.4% to 100.4%",
      }),
    ).toBeInTheDocument();
    expect(
      within(tile("arr")).getByRole("img", {
        name: "ARR by month, Aug 2024 to Jan 2026: from $30M to $40.2M",
      }),
    ).toBeInTheDocument();

    expect(screen.getByTestId("provisional-note")).toHaveTextContent(
      "The last 30 days are provisional: a churn may yet be bridged.",
    );
    expect(screen.getByTestId("fact-customers")).toHaveTextContent("835");
    expect(screen.getByTestId("fact-arpa")).toHaveTextContent("$4.03K / month");
    expect(screen.getByTestId("fact-ltv")).toHaveTextContent("$345K");
  });

  it("switches the ARR movements to quarters and filters them, in the URL", async () => {
    const user = userEvent.setup();
    const { retention } = stubLeadership();
    const { router } = renderApp("/leadership");

    const card = await screen.findByRole("region", { name: "ARR movements" });
    const rows = await within(card).findAllByTestId("period-row");
    // Newest first; the running month is "to date", the last 30 days provisional.
    expect(rows.map((r) => r.querySelector("th")?.textContent)).toEqual([
      "Jan 2026 to date",
      "Dec 2025 provisional",
      "Nov 2025 ",
    ]);
    // FX has its own column, so the row adds up from starting to ending ARR.
    expect(rows[2]).toHaveTextContent(
      "$37M+$2.47M+$810K+$9.64K−$101K−$112K+$73.4K$40.2M101.6%99.4%1.4%",
    );
    expect(within(card).getByRole("columnheader", { name: "FX" })).toBeInTheDocument();
    expect(within(rows[2] as HTMLElement).getByTestId("period-fx")).toHaveTextContent("+$73.4K");
    expect(retention[0]?.searchParams.get("interval")).toBe("month");

    await user.click(within(card).getByRole("button", { name: "Quarter" }));
    await waitFor(() => expect(retention.at(-1)?.searchParams.get("interval")).toBe("quarter"));
    expect(router.state.location.search).toEqual({ interval: "quarter" });
    await waitFor(() =>
      expect(within(card).getAllByTestId("period-row")[1]).toHaveTextContent("Oct 2025 – Dec 2025"),
    );
    expect(within(card).getAllByTestId("period-row")[1]).toHaveTextContent("103.2%");
    expect(
      within(card).getByRole("img", { name: /^ARR movements by quarter from Q4 2025 to Q1 2026/ }),
    ).toBeInTheDocument();

    await user.selectOptions(within(card).getByLabelText("Segment"), "SMB");
    await waitFor(() => expect(retention.at(-1)?.searchParams.get("segment")).toBe("SMB"));
    expect(retention.at(-1)?.searchParams.get("interval")).toBe("quarter");
    await user.selectOptions(within(card).getByLabelText("ICP tier"), "A");
    await waitFor(() => expect(retention.at(-1)?.searchParams.get("icp_tier")).toBe("A"));
    expect(router.state.location.search).toEqual({
      interval: "quarter",
      segment: "SMB",
      icp_tier: "A",
    });
  });

  it("lists the renewals due in 90 days and this week's quadrant movers, worse first", async () => {
    const { renewals, moves } = stubLeadership();
    renderApp("/leadership");

    const dueCard = await screen.findByRole("region", { name: "Renewals due in 90 days" });
    const row = await within(dueCard).findByTestId("due-row");
    expect(within(row).getByRole("link", { name: "Acme Corp" })).toHaveAttribute(
      "href",
      `/accounts/${ACME}`,
    );
    expect(row).toHaveTextContent(
      "Feb 3, 2026Annualin 19 d$195K61WatchRelationship-DependentCommitRisk",
    );
    expect(within(row).getByTestId("renewal-term")).toHaveAttribute(
      "title",
      "From the CRM contract date",
    );
    expect(within(row).getByTestId("forecast-disagrees")).toBeInTheDocument();
    expect(renewals[0]?.searchParams.get("within_days")).toBe("90");
    expect(renewals[0]?.searchParams.get("status")).toBe("open");
    expect(renewals[0]?.searchParams.get("term")).toBe("term");
    expect(within(dueCard).getByTestId("due-total")).toHaveTextContent(
      "1 open · $195K ARR · term renewals",
    );

    const moversCard = screen.getByRole("region", { name: "Quadrant movers this week" });
    const movers = await within(moversCard).findAllByTestId("week-mover-row");
    expect(movers.map((m) => within(m).getByRole("link").textContent)).toEqual([
      "Acme Corp",
      "Globex",
    ]);
    expect(movers[0]).toHaveTextContent("Champions→toChurn Risk↓ Worse$50KJan 12");
    expect(within(moversCard).getByTestId("movers-week-counts")).toHaveTextContent(
      "1 worse · 1 better",
    );
    // The server's default window: the 7 days before today.
    expect(moves[0]?.searchParams.get("since")).toBeNull();
  });

  it("says the figures are being updated while the summary's rollups are rebuilt", async () => {
    const at = new Date(Date.now() - 5 * 60_000).toISOString();
    stubLeadership({ summaryFreshness: { computed_at: at, rebuild_pending: true } });
    renderApp("/leadership");

    const note = await screen.findByTestId("freshness-note");
    expect(note).toHaveTextContent(`Figures from ${formatClockTime(at)}, updating…`);
    expect(note).toHaveClass("freshness-note");
    // Near the page's title.
    expect(
      screen.getByRole("heading", { level: 1, name: "Leadership" }).parentElement,
    ).toContainElement(note);
  });

  it("says so too when only the movements are being rebuilt", async () => {
    stubLeadership({ retentionFreshness: { computed_at: null, rebuild_pending: true } });
    renderApp("/leadership");

    expect(await screen.findByTestId("freshness-note")).toHaveTextContent("Figures updating…");
  });

  it("shows an error in place of the KPIs when the summary fails", async () => {
    stubApi({
      "GET /api/v1/auth/me": () => json(demoUser),
      "GET /api/v1/meta": () => json(demoMeta),
      "GET /api/v1/accounts/fields": () => json(fields),
      "GET /api/v1/metrics/summary": () => json({ detail: "Metrics are rebuilding" }, 503),
      "GET /api/v1/metrics/retention": () =>
        json({
          interval: "month",
          currency: "USD",
          segment: null,
          plan: null,
          icp_tier: null,
          periods: [],
        }),
      "GET /api/v1/renewals": () => json({ items: [], total: 0 }),
      "GET /api/v1/quadrants/moves": () =>
        json({ since: "2026-01-08", until: "2026-01-15", items: [], total: 0 }),
    });
    renderApp("/leadership");

    expect(await screen.findByText("Couldn't load the metrics")).toBeInTheDocument();
    expect(screen.getByText("Metrics are rebuilding")).toBeInTheDocument();
    expect(await screen.findByText("No ARR movements yet")).toBeInTheDocument();
    expect(await screen.findByText("No renewals in the next 90 days")).toBeInTheDocument();
    expect(await screen.findByText("No quadrant moves this week")).toBeInTheDocument();
  });
});
