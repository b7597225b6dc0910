import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { TOKEN_KEY } from "../../api/token";
import { demoMeta, demoUser, json, renderApp, stubApi } from "../../test/utils";
import type { Overview } from "./queries";

vi.mock("../../ui/Chart", () => ({
  Chart: ({ label }: { label: string }) => <div role="img" aria-label={label} />,
}));

const leader = { ...demoUser, role: "leader" as const, name: "Lee Lead" };
const FRESH = { computed_at: "2026-01-14T06:00:00Z", rebuild_pending: false };

function account(n: number): Overview["attention"]["items"][number] {
  return {
    rank: n,
    account_id: `a0000000-0000-4000-8000-0000000000${String(n).padStart(2, "0")}`,
    account_name: `Account ${n}`,
    owner_id: n === 3 ? null : "c0000000-0000-4000-8000-000000000001",
    owner_name: n === 3 ? null : "Ann Avery",
    owner_email: n === 3 ? null : "ann@tempo.test",
    reason: `$100K ARR · health 40 · $${20 - n}K at stake · Health dropped`,
    value: (20 - n) * 1_000,
    severity: n === 1 ? "high" : "medium",
  };
}

function renewalWindow(label: string, start: string, end: string) {
  return {
    label,
    start,
    end,
    renewals: 4,
    arr: 351_000,
    no_forecast: 1,
    by_forecast: [
      { forecast: "commit", renewals: 1, arr: 100_000 },
      { forecast: "upside", renewals: 0, arr: 0 },
      { forecast: "risk", renewals: 1, arr: 50_000 },
      { forecast: "churn", renewals: 1, arr: 1_000 },
      { forecast: "unset", renewals: 1, arr: 200_000 },
    ],
  };
}

const overview: Overview = {
  scope: "team",
  as_of: "2026-01-15",
  currency: "USD",
  revenue_at_risk: {
    definition: "Σ over the active accounts of ARR x churn probability x saveable fraction.",
    value: 55_910,
    arr: 435_000,
    accounts: 13,
    by_band: [
      {
        band: "at_risk",
        accounts: 10,
        arr: 145_000,
        at_risk: 28_350,
        book_filter: "status=active band=at_risk",
      },
      {
        band: "unscored",
        accounts: 1,
        arr: 50_000,
        at_risk: 10_600,
        book_filter: "status=active band=none",
      },
    ],
    probability_source: "default",
    book_filter: "status=active",
  },
  attention: {
    definition: "The top 10 risks of the Today queue.",
    items: Array.from({ length: 10 }, (_, i) => account(i + 1)),
    total_items: 12,
    total_at_stake: 44_710,
  },
  renewals_next_quarter: {
    definition: "Open term renewals dated in the next calendar quarter.",
    next_quarter: renewalWindow("Q2 2026", "2026-04-01", "2026-06-30"),
    within_90_days: {
      ...renewalWindow("Next 90 days", "2026-01-15", "2026-04-15"),
      renewals: 2,
      arr: 240_000,
    },
  },
  expansion_pipeline: {
    definition: "Σ expected expansion ARR of the queue's opportunities.",
    value: 43_760,
    accounts: 2,
    by_rule: [
      { rule: "expansion_ready", accounts: 1, value: 37_200 },
      { rule: "seat_limit", accounts: 1, value: 6_560 },
      { rule: "api_limit", accounts: 0, value: 0 },
    ],
  },
  nps: {
    definition:
      "% promoters - % detractors among each contact's latest answer of the last 90 days.",
    value: 25,
    respondents: 4,
    promoters: 2,
    detractors: 1,
    previous: 0,
    previous_respondents: 2,
    change: 25,
  },
  csat: {
    definition: "Mean CSAT (1-5) of the last 90 days.",
    value: 3.33,
    responses: 3,
    previous: 4,
    previous_responses: 1,
    change: -0.67,
  },
};

function stub(answer: (url: URL) => Response = () => json(overview)) {
  const asked: URL[] = [];
  stubApi({
    "GET /api/v1/auth/me": () => json(leader),
    "GET /api/v1/meta": () => json(demoMeta),
    "GET /api/v1/accounts/fields": () => json({ fields: [], owners: [] }),
    "GET /api/v1/metrics/summary": () =>
      json({ detail: "not needed here", title: "Not found", status: 404 }, 404),
    "GET /api/v1/metrics/retention": () =>
      json({ interval: "month", currency: "USD", periods: [], freshness: FRESH }),
    "GET /api/v1/renewals": () => json({ items: [], total: 0, freshness: FRESH }),
    "GET /api/v1/quadrants/moves": () =>
      json({ since: "2026-01-08", until: "2026-01-15", items: [], total: 0 }),
    "GET /api/v1/metrics/overview": (request) => {
      const url = new URL(request.url);
      asked.push(url);
      return answer(url);
    },
  });
  return asked;
}

function hrefOf(link: HTMLElement): URL {
  return new URL(link.getAttribute("href") ?? "", "http://tempo.test");
}

describe("Leadership first screen", () => {
  beforeEach(() => {
    window.localStorage.setItem(TOKEN_KEY, "test-token");
  });

  it("answers the three questions first, each figure linking to what is behind it", async () => {
    stub();
    renderApp("/leadership");

    const risk = await screen.findByTestId("overview-risk");
    await waitFor(() =>
      expect(within(risk).getByTestId("overview-risk-value")).toHaveTextContent("$55.9K"),
    );
    expect(within(risk).getByTestId("overview-risk-value")).toHaveAttribute("title", "$55,910");
    expect(within(risk).getByTestId("overview-risk-of")).toHaveTextContent(
      "of $435K ARR · 13 accounts",
    );
    const bands = within(risk).getAllByTestId("overview-band");
    expect(bands.map((b) => b.textContent)).toEqual(["At risk10$28.4K", "Unscored1$10.6K"]);
    const atRisk = hrefOf(within(bands[0] as HTMLElement).getByRole("link", { name: "At risk" }));
    expect(atRisk.pathname).toBe("/book");
    expect(atRisk.searchParams.get("filter")).toBe("status=active band=at_risk");
    expect(atRisk.searchParams.get("scope")).toBe("team");
    const all = hrefOf(
      within(risk).getByRole("link", { name: /Open the 13 accounts in the Book/ }),
    );
    expect(all.searchParams.get("filter")).toBe("status=active");

    const attention = screen.getByTestId("overview-attention");
    const rows = within(attention).getAllByTestId("attention-row");
    expect(rows).toHaveLength(10);
    expect(rows[0]).toHaveTextContent("1Account 1Ann Avery (ann@tempo.test)High$19K");
    expect(rows[2]).toHaveTextContent("Unassigned");
    expect(within(rows[0] as HTMLElement).getByRole("link", { name: "Account 1" })).toHaveAttribute(
      "href",
      "/accounts/a0000000-0000-4000-8000-000000000001",
    );
    expect(within(attention).getByTestId("attention-total")).toHaveTextContent(
      "12 risks in the queue · $44.7K at stake",
    );
    const queue = hrefOf(within(attention).getByRole("link", { name: /Open the team queue/ }));
    expect(queue.pathname).toBe("/today");
    expect(Object.fromEntries(queue.searchParams)).toEqual({ scope: "team", kind: "risk" });

    const renewals = screen.getByTestId("overview-renewals");
    expect(renewals).toHaveTextContent("Renewals in Q2 2026");
    expect(within(renewals).getByTestId("overview-renewals-arr")).toHaveTextContent("$351K");
    expect(renewals).toHaveTextContent("4 renewals · 1 without a forecast");
    expect(
      within(renewals)
        .getAllByTestId("forecast-row")
        .map((r) => r.textContent),
    ).toEqual(["Commit1$100K", "Upside0$0", "Risk1$50K", "Churn1$1K", "Not set1$200K"]);
    expect(
      within(renewals).getByRole("img", { name: /Renewal ARR in Q2 2026 by forecast/ }),
    ).toBeInTheDocument();
    expect(within(renewals).getByTestId("overview-renewals-90")).toHaveTextContent("2 · $240K");
    const toRenewals = hrefOf(within(renewals).getByRole("link", { name: /Open Renewals/ }));
    // from as of (Jan 15) to the quarter's last day (Jun 30)
    expect(Object.fromEntries(toRenewals.searchParams)).toEqual({ days: "166", scope: "team" });

    const expansion = screen.getByTestId("overview-expansion");
    expect(within(expansion).getByTestId("overview-expansion-value")).toHaveTextContent("$43.8K");
    expect(expansion).toHaveTextContent("expected · 2 accounts");
    expect(
      within(expansion)
        .getAllByTestId("expansion-rule")
        .map((r) => r.textContent),
    ).toEqual(["Expansion ready1$37.2K", "Seat limit1$6.56K", "API limit0$0"]);
    const opportunities = hrefOf(
      within(expansion).getByRole("link", { name: /Open the opportunities/ }),
    );
    expect(Object.fromEntries(opportunities.searchParams)).toEqual({
      scope: "team",
      kind: "opportunity",
    });

    // NPS and CSAT with their change on the 90 days before
    const nps = screen.getByTestId("sentiment-nps");
    expect(within(nps).getByTestId("sentiment-value")).toHaveTextContent("25");
    expect(nps).toHaveTextContent("4 respondents · last 90 days");
    expect(within(nps).getByTestId("sentiment-change")).toHaveTextContent(
      "▲ +25 pts vs the 90 days before",
    );
    expect(within(nps).getByTestId("sentiment-change")).toHaveClass("positive");
    const csat = screen.getByTestId("sentiment-csat");
    expect(within(csat).getByTestId("sentiment-value")).toHaveTextContent("3.33");
    expect(within(csat).getByTestId("sentiment-change")).toHaveTextContent(
      "▼ −0.67 vs the 90 days before",
    );
    expect(within(csat).getByTestId("sentiment-change")).toHaveClass("negative");
  });

  it("gives every figure its definition on hover and on keyboard focus", async () => {
    const user = userEvent.setup();
    stub();
    renderApp("/leadership");
    const risk = await screen.findByTestId("overview-risk");
    await within(risk).findByTestId("overview-risk-value");
    const label = within(risk).getByText("Revenue at risk");
    const tip = label.closest("[data-testid=tip]") as HTMLElement;
    const trigger = within(tip).getByRole("button", { name: "Revenue at risk" });
    expect(trigger).toHaveAccessibleDescription(overview.revenue_at_risk.definition);
    expect(within(tip).getByRole("tooltip", { hidden: true })).not.toBeVisible();

    await user.hover(trigger);
    expect(within(tip).getByRole("tooltip")).toHaveTextContent(overview.revenue_at_risk.definition);
    await user.unhover(trigger);
    expect(within(tip).queryByRole("tooltip")).not.toBeInTheDocument();

    // every definition is a tab stop; Escape hides the one shown
    const tips = screen.getAllByTestId("tip");
    const triggers = tips.map((t) => within(t).getByRole("button"));
    expect(triggers.length).toBeGreaterThanOrEqual(6);
    act(() => trigger.focus());
    expect(within(tip).getByRole("tooltip")).toBeVisible();
    await user.keyboard("{Escape}");
    expect(within(tip).queryByRole("tooltip")).not.toBeInTheDocument();
    // a click (or a tap) shows it again
    await user.click(trigger);
    expect(within(tip).getByRole("tooltip")).toBeVisible();
    const described = triggers.map((t) => t.getAttribute("aria-describedby"));
    expect(new Set(described).size).toBe(tips.length);
    for (const text of [
      overview.attention.definition,
      overview.renewals_next_quarter.definition,
      overview.expansion_pipeline.definition,
      overview.nps.definition,
      overview.csat.definition,
    ]) {
      expect(tips.some((t) => t.textContent?.includes(text))).toBe(true);
    }
  });

  it("keeps the scope in the URL and asks the overview for it", async () => {
    const user = userEvent.setup();
    const asked = stub((url) =>
      json({ ...overview, scope: url.searchParams.get("scope") ?? "team" }),
    );
    const { router } = renderApp("/leadership");
    await screen.findByTestId("overview-risk-value");
    // the server's default for a leader: their team
    expect(asked[0]?.searchParams.get("scope")).toBeNull();
    expect(screen.getByRole("button", { name: "Team" })).toHaveAttribute("aria-pressed", "true");

    await user.click(screen.getByRole("button", { name: "Everyone" }));
    await waitFor(() => expect(asked.at(-1)?.searchParams.get("scope")).toBe("all"));
    expect(router.state.location.search).toEqual({ scope: "all" });
    expect(screen.getByRole("button", { name: "Everyone" })).toHaveAttribute(
      "aria-pressed",
      "true",
    );
    await waitFor(() =>
      expect(
        hrefOf(screen.getByRole("link", { name: /Open the whole queue/ })).searchParams.get(
          "scope",
        ),
      ).toBe("all"),
    );
  });

  it("says when a card has nothing, and shows the overview's error with a retry", async () => {
    const empty: Overview = {
      ...overview,
      attention: { ...overview.attention, items: [], total_items: 0, total_at_stake: 0 },
      nps: { ...overview.nps, value: null, respondents: 0, previous: null, change: null },
    };
    stub(() => json(empty));
    renderApp("/leadership");
    expect(await screen.findByText(/Nothing at risk in the queue/)).toBeInTheDocument();
    const nps = screen.getByTestId("sentiment-nps");
    expect(within(nps).getByTestId("sentiment-value")).toHaveTextContent("—");
    expect(nps).toHaveTextContent("no earlier responses to compare");
  });

  it("shows the overview's error in place of the cards", async () => {
    stub(() =>
      json({ type: "about:blank", title: "Server error", status: 500, detail: "Boom" }, 500),
    );
    renderApp("/leadership");
    expect(await screen.findByText("Couldn't load the overview")).toBeInTheDocument();
    expect(screen.getByText("Boom")).toBeInTheDocument();
  });
});
