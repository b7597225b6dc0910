import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import type { UserPublic } from "../../api/client";
import { TOKEN_KEY } from "../../api/token";
import { formatClockTime } from "../../lib/format";
import { demoMeta, demoUser, json, renderApp, stubApi } from "../../test/utils";
import type { Renewal, Rollup } from "./queries";

const ACME = "a0000000-0000-4000-8000-000000000001";
const GLOBEX = "a0000000-0000-4000-8000-000000000002";
const INITECH = "a0000000-0000-4000-8000-000000000003";
const UMBRELLA = "a0000000-0000-4000-8000-000000000004";

function renewal(overrides: Partial<Renewal>): Renewal {
  return {
    id: "r0000000-0000-4000-8000-000000000001",
    account_id: ACME,
    account_name: "Acme Corp",
    external_id: "ACME-001",
    segment: "Enterprise",
    owner_email: "csm01@tempo.test",
    owner_name: "Casey Miller",
    renewal_date: "2026-01-20",
    days_to_renewal: 5,
    term: "annual",
    source: "crm",
    arr_up_for_renewal: 120_000,
    forecast: null,
    suggested_forecast: "commit",
    churn_probability: 0.06,
    health_score: 82,
    band: "healthy",
    quadrant: "champions",
    outcome: null,
    closed_at: null,
    owner_notes: null,
    ...overrides,
  };
}

const acme = renewal({});
const globex = renewal({
  id: "r0000000-0000-4000-8000-000000000002",
  account_id: GLOBEX,
  account_name: "Globex",
  segment: "SMB",
  renewal_date: "2026-01-20",
  days_to_renewal: 5,
  term: "multi_year",
  arr_up_for_renewal: 30_000,
  forecast: "commit",
  suggested_forecast: "risk",
  churn_probability: 0.31,
  health_score: 48,
  band: "at_risk",
  quadrant: "churn_risk",
  owner_notes: "Budget freeze until Q2",
});
const initech = renewal({
  id: "r0000000-0000-4000-8000-000000000003",
  account_id: INITECH,
  account_name: "Initech",
  segment: "SMB",
  renewal_date: "2026-02-10",
  days_to_renewal: 26,
  arr_up_for_renewal: 45_500,
  suggested_forecast: "upside",
  churn_probability: 0.12,
  health_score: 70,
  band: "watch",
  quadrant: "relationship_dependent",
});
/** A monthly billing cycle: listed only when monthly renewals are asked for. */
const umbrella = renewal({
  id: "r0000000-0000-4000-8000-000000000004",
  account_id: UMBRELLA,
  account_name: "Umbrella",
  segment: "SMB",
  renewal_date: "2026-01-31",
  days_to_renewal: 16,
  term: "monthly",
  source: "billing",
  arr_up_for_renewal: 6_000,
  suggested_forecast: "commit",
});

const rollup: Rollup = {
  freshness: { computed_at: "2026-01-14T06:00:00Z", rebuild_pending: false },
  within_days: 90,
  term: "term",
  by_forecast: [
    { forecast: "commit", renewals: 3, arr: 1_200_000 },
    { forecast: "upside", renewals: 1, arr: 250_000 },
    { forecast: "risk", renewals: 0, arr: 0 },
    { forecast: "churn", renewals: 1, arr: 40_000 },
    { forecast: "unset", renewals: 5, arr: 610_000 },
  ],
  by_suggested: [
    { forecast: "commit", renewals: 2, arr: 800_000 },
    { forecast: "upside", renewals: 4, arr: 700_000 },
    { forecast: "risk", renewals: 3, arr: 520_000 },
    { forecast: "churn", renewals: 1, arr: 80_000 },
    { forecast: "unset", renewals: 0, arr: 0 },
  ],
  total_arr: 2_100_000,
  scope: "mine",
};

const fields = {
  fields: [
    { name: "segment", label: "Segment", kind: "text", ops: ["="], choices: ["Enterprise", "SMB"] },
  ],
  owners: [],
};

const FRESH: Rollup["freshness"] = { computed_at: "2026-01-14T06:00:00Z", rebuild_pending: false };

function stubRenewals({
  user = demoUser,
  listFreshness = FRESH,
  rollupFreshness = FRESH,
}: {
  user?: UserPublic;
  listFreshness?: Rollup["freshness"];
  rollupFreshness?: Rollup["freshness"];
} = {}) {
  const lists: URL[] = [];
  const patches: { id: string; body: unknown }[] = [];
  let items = [acme, globex, initech, umbrella];
  const spy = stubApi({
    "GET /api/v1/auth/me": () => json(user),
    "GET /api/v1/meta": () => json(demoMeta),
    "GET /api/v1/accounts/fields": () => json(fields),
    "GET /api/v1/renewals/rollup": (request) => {
      const params = new URL(request.url).searchParams;
      const within = Number(params.get("within_days"));
      return json({
        ...rollup,
        within_days: within,
        term: params.get("term") ?? "term",
        freshness: rollupFreshness,
        scope: params.get("scope") ?? "mine",
      });
    },
    "GET /api/v1/renewals": (request) => {
      const url = new URL(request.url);
      lists.push(url);
      if (url.searchParams.get("format") === "csv") {
        return new Response("id,account_name\r\n", {
          headers: {
            "Content-Type": "text/csv",
            "Content-Disposition": 'attachment; filename="renewals.csv"',
          },
        });
      }
      const segment = url.searchParams.get("segment");
      const term = url.searchParams.get("term") ?? "term";
      const found = items.filter(
        (r) =>
          (!segment || r.segment === segment) &&
          (term === "all" || (term === "term" ? r.term !== "monthly" : r.term === term)),
      );
      return json({
        items: found,
        total: found.length,
        freshness: listFreshness,
        scope: url.searchParams.get("scope") ?? "mine",
      });
    },
    ...Object.fromEntries(
      [acme, globex, initech].map((r) => [
        `PATCH /api/v1/renewals/${r.id}`,
        async (request: Request) => {
          const body = await request.json();
          patches.push({ id: r.id, body });
          const current = items.find((x) => x.id === r.id) ?? r;
          const updated = { ...current, ...body };
          items = items.map((x) => (x.id === r.id ? updated : x));
          return json(updated);
        },
      ]),
    ),
  });
  return { spy, lists, patches };
}

describe("Renewals", () => {
  beforeEach(() => {
    window.localStorage.setItem(TOKEN_KEY, "test-token");
  });

  it("lists open renewals of the next 90 days with health, quadrant, ARR and both forecasts", async () => {
    const { lists } = stubRenewals();
    renderApp("/renewals");

    const rows = await screen.findAllByTestId("renewal-row");
    expect(rows).toHaveLength(3);
    const first = rows[0] as HTMLElement;
    expect(within(first).getByRole("link", { name: "Acme Corp" })).toHaveAttribute(
      "href",
      `/accounts/${ACME}`,
    );
    expect(first).toHaveTextContent("Jan 20, 2026in 5 d");
    // The term, with where its date comes from as the tooltip.
    expect(within(first).getByTestId("renewal-term")).toHaveTextContent("Annual");
    expect(within(first).getByTestId("renewal-term")).toHaveAttribute(
      "title",
      "From the CRM contract date",
    );
    expect(within(rows[1] as HTMLElement).getByTestId("renewal-term")).toHaveTextContent(
      "Multi-year",
    );
    expect(first).toHaveTextContent("$120K");
    expect(first).toHaveTextContent("82Healthy");
    expect(first).toHaveTextContent("Champions");
    expect(within(first).getByLabelText("Forecast for Acme Corp")).toHaveValue("");
    expect(lists[0]?.searchParams.get("within_days")).toBe("90");
    expect(lists[0]?.searchParams.get("status")).toBe("open");
    // Term renewals by default: the monthly billing cycle is not asked for.
    expect(lists[0]?.searchParams.get("term")).toBe("term");
    expect(screen.queryByRole("link", { name: "Umbrella" })).not.toBeInTheDocument();
    expect(screen.getByLabelText("Term")).toHaveValue("term");
    expect(screen.getByTestId("renewals-total")).toHaveTextContent(
      "3 renewals · $196K ARR · the next 90 days · term renewals",
    );

    // Globex: the team says commit, health suggests risk.
    const globexRow = rows[1] as HTMLElement;
    expect(within(globexRow).getByTestId("forecast-disagrees")).toHaveTextContent("Riskdiffers");
    expect(within(first).queryByTestId("forecast-disagrees")).not.toBeInTheDocument();
  });

  it("saves a forecast chosen inline with PATCH", async () => {
    const user = userEvent.setup();
    const { patches } = stubRenewals();
    renderApp("/renewals");

    const select = await screen.findByLabelText("Forecast for Acme Corp");
    await user.selectOptions(select, "risk");
    await waitFor(() => expect(patches).toHaveLength(1));
    expect(patches[0]).toEqual({ id: acme.id, body: { forecast: "risk" } });
    await waitFor(() =>
      expect(screen.getByLabelText("Forecast for Acme Corp")).toHaveValue("risk"),
    );
    // Now risk against a suggested commit: marked.
    const row = screen.getAllByTestId("renewal-row")[0] as HTMLElement;
    expect(within(row).getByTestId("forecast-disagrees")).toHaveTextContent("Commitdiffers");

    await user.selectOptions(screen.getByLabelText("Forecast for Acme Corp"), "");
    await waitFor(() => expect(patches).toHaveLength(2));
    expect(patches[1]).toEqual({ id: acme.id, body: { forecast: null } });
  });

  it("edits the owner's notes in place", async () => {
    const user = userEvent.setup();
    const { patches } = stubRenewals();
    renderApp("/renewals");

    await user.click(await screen.findByRole("button", { name: "Add notes for Acme Corp" }));
    const field = screen.getByLabelText("Notes for Acme Corp");
    await user.type(field, "Exec sponsor call on the 12th");
    await user.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() =>
      expect(patches).toEqual([
        { id: acme.id, body: { owner_notes: "Exec sponsor call on the 12th" } },
      ]),
    );
    expect(
      await screen.findByRole("button", { name: "Edit notes for Acme Corp" }),
    ).toHaveTextContent("Exec sponsor call on the 12th");
  });

  it("is read-only for a viewer", async () => {
    stubRenewals({ user: { ...demoUser, role: "viewer" } });
    renderApp("/renewals");

    expect(
      await screen.findByText("Your role can see renewals but not change forecasts or notes."),
    ).toBeInTheDocument();
    const rows = screen.getAllByTestId("renewal-row");
    expect(screen.queryByRole("combobox", { name: /Forecast for/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /notes for/ })).not.toBeInTheDocument();
    expect(rows[1]).toHaveTextContent("Commit");
    expect(rows[1]).toHaveTextContent("Budget freeze until Q2");
  });

  it("opens on the user's own renewals and switches to the team's, owners by name", async () => {
    const user = userEvent.setup();
    const { lists, spy } = stubRenewals();
    const { router } = renderApp("/renewals");
    const rows = await screen.findAllByTestId("renewal-row");
    const toggle = screen.getByRole("group", { name: "Whose accounts" });
    expect(within(toggle).getByRole("button", { name: "Mine" })).toHaveAttribute(
      "aria-pressed",
      "true",
    );
    expect(screen.getByTestId("renewals-scope")).toHaveTextContent(
      "What renews when among your accounts",
    );
    expect(lists[0]?.searchParams.has("scope")).toBe(false);
    // the owner by name, the email on hover
    expect(within(rows[0] as HTMLElement).getByText("Casey Miller")).toHaveAttribute(
      "title",
      "csm01@tempo.test",
    );

    await user.click(within(toggle).getByRole("button", { name: "Team" }));
    expect(router.state.location.search).toEqual({ scope: "team" });
    await waitFor(() => expect(lists.at(-1)?.searchParams.get("scope")).toBe("team"));
    await waitFor(() =>
      expect(
        spy.mock.calls.some((c) =>
          (c[0] as Request).url.endsWith(
            "/api/v1/renewals/rollup?within_days=90&term=term&scope=team",
          ),
        ),
      ).toBe(true),
    );
    expect(screen.getByTestId("renewals-scope")).toHaveTextContent(
      "What renews when among your team's accounts",
    );
    expect(
      await screen.findByText(/Open term renewals of your team's accounts/),
    ).toBeInTheDocument();
    // the filters keep whose renewals they are
    await user.click(screen.getByRole("button", { name: "All" }));
    expect(router.state.location.search).toEqual({ scope: "team", status: "all" });
  });

  it("shows the ARR per forecast, the team's against the suggested", async () => {
    stubRenewals();
    renderApp("/renewals");

    const commit = await screen.findByTestId("rollup-commit");
    expect(within(commit).getByTestId("rollup-team")).toHaveTextContent("Team: $1.2M · 3");
    expect(within(commit).getByTestId("rollup-suggested")).toHaveTextContent(
      "Suggested: $800K · 2",
    );
    const risk = screen.getByTestId("rollup-risk");
    expect(within(risk).getByTestId("rollup-team")).toHaveTextContent("$0 · 0");
    expect(within(risk).getByTestId("rollup-suggested")).toHaveTextContent("$520K · 3");
    const unset = screen.getByTestId("rollup-unset");
    expect(unset).toHaveTextContent("Not set");
    expect(within(unset).getByTestId("rollup-team")).toHaveTextContent("$610K · 5");
    expect(screen.getByTestId("rollup-total")).toHaveTextContent("the next 90 days · $2.1M ARR");
  });

  it("says the figures are being updated while the list or the rollup is rebuilt", async () => {
    const at = new Date(Date.now() - 60_000).toISOString();
    stubRenewals({ rollupFreshness: { computed_at: at, rebuild_pending: true } });
    renderApp("/renewals");

    const note = await screen.findByTestId("freshness-note");
    expect(note).toHaveTextContent(`Figures from ${formatClockTime(at)}, updating…`);
    expect(
      screen.getByRole("heading", { level: 1, name: "Renewals" }).parentElement,
    ).toContainElement(note);
  });

  it("says nothing about freshness when nothing is being rebuilt", async () => {
    stubRenewals();
    renderApp("/renewals");

    await screen.findAllByTestId("renewal-row");
    await screen.findByTestId("rollup-commit");
    expect(screen.queryByTestId("freshness-note")).not.toBeInTheDocument();
  });

  it("keeps the window and filters in the URL and asks for them", async () => {
    const user = userEvent.setup();
    const { lists, spy } = stubRenewals();
    const { router } = renderApp("/renewals");
    await screen.findAllByTestId("renewal-row");

    await user.selectOptions(screen.getByLabelText("Due"), "30");
    await waitFor(() => expect(lists.at(-1)?.searchParams.get("within_days")).toBe("30"));
    expect(router.state.location.search).toEqual({ days: "30" });
    await waitFor(() =>
      expect(
        spy.mock.calls.some((c) =>
          (c[0] as Request).url.endsWith("/api/v1/renewals/rollup?within_days=30&term=term"),
        ),
      ).toBe(true),
    );

    await user.selectOptions(screen.getByLabelText("Segment"), "SMB");
    await waitFor(() => expect(screen.getAllByTestId("renewal-row")).toHaveLength(2));
    expect(lists.at(-1)?.searchParams.get("segment")).toBe("SMB");

    await user.click(screen.getByRole("button", { name: "All" }));
    await waitFor(() => expect(lists.at(-1)?.searchParams.get("status")).toBe("all"));
    expect(router.state.location.search).toEqual({ days: "30", segment: "SMB", status: "all" });

    await user.selectOptions(screen.getByLabelText("Due"), "custom");
    const days = screen.getByLabelText("Days ahead");
    await user.clear(days);
    await user.type(days, "45{Enter}");
    await waitFor(() => expect(lists.at(-1)?.searchParams.get("within_days")).toBe("45"));

    await user.selectOptions(screen.getByLabelText("Due"), "any");
    await waitFor(() => expect(lists.at(-1)?.searchParams.has("within_days")).toBe(false));
    expect(router.state.location.search).toMatchObject({ days: "any" });
  });

  it("filters by term: term renewals by default, monthly billing cycles on request", async () => {
    const user = userEvent.setup();
    const { lists, spy } = stubRenewals();
    const { router } = renderApp("/renewals");
    await screen.findAllByTestId("renewal-row");
    expect(screen.getAllByTestId("renewal-row")).toHaveLength(3);

    await user.selectOptions(screen.getByLabelText("Term"), "All, incl. monthly");
    await waitFor(() => expect(lists.at(-1)?.searchParams.get("term")).toBe("all"));
    expect(router.state.location.search).toEqual({ term: "all" });
    await waitFor(() => expect(screen.getAllByTestId("renewal-row")).toHaveLength(4));
    const monthly = screen
      .getAllByTestId("renewal-row")
      .find((r) => within(r).queryByRole("link", { name: "Umbrella" })) as HTMLElement;
    expect(within(monthly).getByTestId("renewal-term")).toHaveTextContent("Monthly");
    expect(within(monthly).getByTestId("renewal-term")).toHaveAttribute(
      "title",
      "Next billing cycle",
    );
    // The rollup counts the same renewals.
    await waitFor(() =>
      expect(
        spy.mock.calls.some((c) => {
          const url = new URL((c[0] as Request).url);
          return (
            url.pathname === "/api/v1/renewals/rollup" && url.searchParams.get("term") === "all"
          );
        }),
      ).toBe(true),
    );
    expect(await screen.findByTestId("rollup-total")).toHaveTextContent("all renewals");

    await user.selectOptions(screen.getByLabelText("Term"), "Monthly");
    await waitFor(() => expect(lists.at(-1)?.searchParams.get("term")).toBe("monthly"));
    await waitFor(() => expect(screen.getAllByTestId("renewal-row")).toHaveLength(1));
    expect(router.state.location.search).toEqual({ term: "monthly" });

    // Back to the default: it leaves the URL (its list is the first one, still cached).
    await user.selectOptions(screen.getByLabelText("Term"), "Term renewals");
    await waitFor(() => expect(screen.getAllByTestId("renewal-row")).toHaveLength(3));
    expect(router.state.location.search).toEqual({});
  });

  it("exports the current filters as CSV", async () => {
    const user = userEvent.setup();
    const { lists } = stubRenewals();
    URL.createObjectURL = () => "blob:renewals";
    URL.revokeObjectURL = () => undefined;
    renderApp("/renewals?days=60&term=all&forecast=risk&segment=Enterprise");
    await screen.findAllByTestId("renewal-row");

    await user.click(screen.getByRole("button", { name: "Export CSV" }));
    await waitFor(() =>
      expect(lists.some((u) => u.searchParams.get("format") === "csv")).toBe(true),
    );
    const csv = lists.find((u) => u.searchParams.get("format") === "csv");
    expect(Object.fromEntries(csv?.searchParams ?? [])).toEqual({
      status: "open",
      term: "all",
      within_days: "60",
      forecast: "risk",
      segment: "Enterprise",
      format: "csv",
    });
  });

  it("places each renewal on its day in the calendar", async () => {
    const user = userEvent.setup();
    stubRenewals();
    const { router } = renderApp("/renewals");
    await screen.findAllByTestId("renewal-row");

    await user.click(screen.getByRole("button", { name: "Calendar" }));
    expect(await screen.findByRole("heading", { name: "January 2026" })).toBeInTheDocument();
    expect(router.state.location.search).toEqual({ view: "calendar" });

    const day = screen.getByTestId("calendar-day-2026-01-20");
    expect(day).toHaveAccessibleName("Jan 20, 2026: 2 renewals, $150,000");
    expect(within(day).getByRole("link", { name: "Acme Corp" })).toHaveAttribute(
      "href",
      `/accounts/${ACME}`,
    );
    expect(within(day).getByRole("link", { name: "Globex" })).toBeInTheDocument();
    expect(within(day).getByRole("link", { name: "Acme Corp" }).closest("li")).toHaveAttribute(
      "title",
      "Acme Corp: $120,000 · Annual, from the CRM contract date · forecast Not set",
    );
    expect(within(day).getByTestId("calendar-day-arr")).toHaveTextContent("$150K");
    expect(within(screen.getByTestId("calendar-day-2026-01-21")).queryByRole("link")).toBeNull();
    expect(screen.getByTestId("calendar-month-total")).toHaveTextContent("2 renewals · $150K ARR");

    await user.click(screen.getByRole("button", { name: "Next month" }));
    expect(await screen.findByRole("heading", { name: "February 2026" })).toBeInTheDocument();
    expect(router.state.location.search).toEqual({ view: "calendar", month: "2026-02" });
    const feb = screen.getByTestId("calendar-day-2026-02-10");
    expect(within(feb).getByRole("link", { name: "Initech" })).toBeInTheDocument();
    expect(feb).toHaveTextContent("$45.5K");
  });

  it("explains an empty window and a failed load", async () => {
    stubApi({
      "GET /api/v1/auth/me": () => json(demoUser),
      "GET /api/v1/meta": () => json(demoMeta),
      "GET /api/v1/accounts/fields": () => json(fields),
      "GET /api/v1/renewals/rollup": () => json({ detail: "boom" }, 500),
      "GET /api/v1/renewals": () => json({ items: [], total: 0 }),
    });
    renderApp("/renewals?days=30");
    expect(await screen.findByText("Nothing renews in the next 30 days")).toBeInTheDocument();
    expect(await screen.findByText("Couldn't load the rollup")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Export CSV" })).toBeDisabled();
  });
});
