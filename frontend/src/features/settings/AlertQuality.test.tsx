import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { UserPublic } from "../../api/client";
import { TOKEN_KEY } from "../../api/token";
import { demoMeta, demoUser, json, renderApp, stubApi } from "../../test/utils";
import { medianPrecision, orderRules, precisionText, snoozeRules } from "./alertQuality";
import type {
  AlertPrecision,
  AlertThresholds,
  ConfigBody,
  ConfigDetail,
  RulePrecision,
  ScoringRun,
} from "./queries";

const admin: UserPublic = { ...demoUser, role: "admin" };
const leader: UserPublic = { ...demoUser, role: "leader" };

const alerts: AlertThresholds = {
  health_drop_points: 15,
  health_drop_days: 30,
  renewal_days: [90, 60, 30],
  quadrant_move_days: 30,
  usage_decline: 0.4,
  inactivity_days: 14,
  detractor_max_score: 6,
  ticket_surge_ratio: 3,
  ticket_surge_open: 5,
  payment_overdue_days: 30,
  seat_limit_share: 0.9,
  api_limit_share: 0.85,
  expansion_health: 80,
  expansion_adoption: 0.7,
  queue_min_severity: "low",
  snooze_default_days: 7,
  snooze_days: { renewal_90: 14, critical_ticket: 1, seat_limit: 30 },
};

const body: ConfigBody = {
  components: {
    usage: {
      weight: 1,
      metrics: {
        login_frequency: { weight: 1, curve: [[0, 0] as [number, number]], missing: null },
      },
    },
  },
  health_axis: [],
  quadrant: { usage_cutoff: 60, health_cutoff: 60, hysteresis: 5 },
  bands: { healthy: 80, watch: 60 },
  churn_probability: [[0, 0.6] as [number, number]],
  alerts,
};

const active: ConfigDetail = {
  version: 1,
  name: "Default",
  is_active: true,
  created_at: "2026-01-01T08:00:00Z",
  activated_at: "2026-01-01T08:00:00Z",
  created_by_id: null,
  body,
  definitions: [],
};

const BASE_RISK = 0.2;
const BASE_OPPORTUNITY = 0.25;

function rule(
  name: string,
  firings: number,
  followed: number,
  split: [number, number, number] | null = null,
): RulePrecision {
  const precision = firings ? Math.round((followed / firings) * 10_000) / 10_000 : null;
  const base = split ? BASE_RISK : BASE_OPPORTUNITY;
  return {
    rule: name,
    kind: split ? "risk" : "opportunity",
    firings,
    followed,
    precision,
    churned: split ? split[0] : null,
    contracted: split ? split[1] : null,
    health_dropped: split ? split[2] : null,
    lift: precision === null ? null : Math.round((precision / base) * 100) / 100,
  };
}

// In the server's order (rule_names), not the table's.
const rules: RulePrecision[] = [
  rule("health_drop", 40, 10, [4, 3, 5]),
  rule("critical_ticket", 50, 21, [10, 6, 9]),
  rule("usage_decline", 3, 2, [1, 0, 1]),
  rule("detractor", 9, 0, [0, 0, 0]),
  rule("seat_limit", 20, 3),
  rule("api_limit", 0, 0),
  rule("expansion_ready", 12, 6),
  rule("renewal_90", 30, 18, [9, 5, 6]),
];

const report: AlertPrecision = {
  as_of: "2026-12-05",
  window_start: "2025-09-06",
  window_end: "2026-09-06",
  follow_days: 90,
  config_version: 1,
  health_drop_points: 15,
  accounts: 852,
  snapshots: 43_862,
  computed_at: "2026-12-05T15:54:36Z",
  base_rate_risk: BASE_RISK,
  base_rate_opportunity: BASE_OPPORTUNITY,
  rules,
};

const RUN_ID = "c0000000-0000-4000-8000-000000000009";

function run(): ScoringRun {
  return {
    id: RUN_ID,
    kind: "daily",
    status: "succeeded",
    cadence: "daily",
    date_from: "2026-12-05",
    date_to: "2026-12-05",
    config_version: 3,
    total_shards: 2,
    done_shards: 2,
    accounts_total: 852,
    snapshots_written: 852,
    progress: 1,
    error: null,
    requested_by: admin.email,
    created_at: "2026-12-05T16:00:00Z",
    started_at: "2026-12-05T16:00:01Z",
    finished_at: "2026-12-05T16:00:09Z",
  };
}

function stubQuality(user: UserPublic) {
  const calls = {
    creates: [] as { name: string | null; body: ConfigBody }[],
    activations: 0,
    reports: 0,
  };
  let current = active;
  stubApi({
    "GET /api/v1/auth/me": () => json(user),
    "GET /api/v1/meta": () => json(demoMeta),
    "GET /api/v1/scoring/config": () => json(current),
    "GET /api/v1/scoring/config/versions": () => json([]),
    "GET /api/v1/scoring/validation": () => json({}),
    "GET /api/v1/alerts/precision": () => {
      calls.reports += 1;
      return json(report);
    },
    "POST /api/v1/scoring/config/versions": async (request) => {
      const sent = (await request.json()) as { name: string | null; body: ConfigBody };
      calls.creates.push(sent);
      return json(
        { ...active, version: 3, name: sent.name, is_active: false, body: sent.body },
        201,
      );
    },
    "POST /api/v1/scoring/config/versions/3/activate": () => {
      calls.activations += 1;
      const created = calls.creates[0];
      if (created) current = { ...active, version: 3, name: created.name, body: created.body };
      return json({ version: 3, run_id: RUN_ID });
    },
    [`GET /api/v1/scoring/runs/${RUN_ID}`]: () => json(run()),
  });
  return calls;
}

function cells(row: HTMLElement): string[] {
  return within(row)
    .getAllByRole("cell")
    .map((c) => c.textContent ?? "");
}

describe("alert quality helpers", () => {
  it("ranks judged rules by precision, then too few to judge, then never fired", () => {
    expect(orderRules(rules).map((r) => r.rule)).toEqual([
      "seat_limit",
      "health_drop",
      "critical_ticket",
      "expansion_ready",
      "renewal_90",
      "detractor",
      "usage_decline",
      "api_limit",
    ]);
    expect(rules.map(precisionText)).toEqual([
      "25% · 10 of 40",
      "42% · 21 of 50",
      "too few to judge · 2 of 3",
      "too few to judge · 0 of 9",
      "15% · 3 of 20",
      "never fired",
      "50% · 6 of 12",
      "60% · 18 of 30",
    ]);
    // 0.15, 0.25, 0.42, 0.5, 0.6: the too-few rules are left out
    expect(medianPrecision(rules)).toBe(0.42);
    expect(medianPrecision(rules.slice(0, 2))).toBeCloseTo(0.335, 12);
    expect(medianPrecision([rules[2] as RulePrecision])).toBeNull();
  });

  it("lists every rule for snooze days, with the configured renewal milestones", () => {
    expect(snoozeRules({ ...alerts, renewal_days: [120, 60], snooze_days: { custom: 2 } })).toEqual(
      [
        "health_drop",
        "critical_ticket",
        "renewal_60",
        "usage_decline",
        "inactivity",
        "detractor",
        "ticket_surge",
        "quadrant_down",
        "payment_overdue",
        "seat_limit",
        "api_limit",
        "expansion_ready",
        "data_stale",
        "custom",
        "renewal_120",
      ],
    );
  });
});

describe("Settings → Alert quality", () => {
  beforeEach(() => {
    window.localStorage.setItem(TOKEN_KEY, "test-token");
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("shows leaders each rule's precision, noisiest first, and the controls read-only", async () => {
    stubQuality(leader);
    renderApp("/settings#alert-quality");
    const tab = await screen.findByRole("link", { name: "Alert quality" }, { timeout: 5000 });
    expect(tab).toHaveAttribute("aria-current", "page");

    const card = await screen.findByTestId("alert-precision");
    const table = await within(card).findByRole("table", { name: "Precision by rule" });
    const rows = within(table).getAllByTestId("precision-row") as HTMLElement[];
    expect(rows.map((r) => within(r).getByRole("rowheader").textContent)).toEqual([
      "Seat limitOpportunity",
      "Health dropRisk",
      "Critical ticketRisk",
      "Expansion readyOpportunity",
      "Renewal in 90 daysRisk",
      "DetractorRisk",
      "Usage declineRisk",
      "API limitOpportunity",
    ]);
    expect(rows.map(cells)).toEqual([
      // lift: precision over the base rate of its kind (20% for risks, 25% for expansion)
      ["20", "3", "15% · 3 of 20", "0.6×", "—", "—", "—"],
      ["40", "10", "25% · 10 of 40", "1.3×", "4", "3", "5"],
      ["50", "21", "42% · 21 of 50", "2.1×", "10", "6", "9"],
      ["12", "6", "50% · 6 of 12", "2×", "—", "—", "—"],
      ["30", "18", "60% · 18 of 30", "3×", "9", "5", "6"],
      ["9", "0", "too few to judge · 0 of 9", "0×", "0", "0", "0"],
      ["3", "2", "too few to judge · 2 of 3", "3.3×", "1", "0", "1"],
      ["0", "0", "never fired", "—", "—", "—", "—"],
    ]);
    expect(within(card).getByTestId("median-precision")).toHaveTextContent("42%");
    expect(card).toHaveTextContent(
      "Accounts852Firings164Median precision42%Base rate, risks20%Base rate, expansion25%",
    );
    const note = within(card).getByTestId("precision-note");
    expect(note).toHaveTextContent("followed within 90 days");
    expect(note).toHaveTextContent("at least 15 points below its value when the rule fired");
    expect(note).toHaveTextContent(
      "config v1) on the health history from Sep 6, 2025 to Sep 6, 2026",
    );
    expect(note).toHaveTextContent("Rules with fewer than 10 firings are too few to judge.");
    expect(within(card).getByTestId("precision-computed")).toHaveAttribute(
      "title",
      "2026-12-05 15:54:36 UTC",
    );

    const controls = await screen.findByTestId("noise-controls");
    expect(
      within(controls).getByRole("combobox", { name: "Queue minimum severity" }),
    ).toBeDisabled();
    expect(within(controls).getByRole("textbox", { name: "Default snooze days" })).toHaveValue("7");
    expect(
      within(controls).getByRole("textbox", { name: "Critical ticket snooze days" }),
    ).toHaveValue("1");
    expect(
      within(controls).getByRole("textbox", { name: "Usage decline snooze days" }),
    ).toHaveAttribute("placeholder", "7 (default)");
    expect(controls).toHaveTextContent("Only admins can change these");
    expect(
      within(controls).queryByRole("button", { name: "Save as new version" }),
    ).not.toBeInTheDocument();
  });

  it("is not offered to CSMs", async () => {
    stubQuality(demoUser);
    renderApp("/settings#alert-quality");
    const scoring = await screen.findByRole("link", { name: "Scoring" }, { timeout: 5000 });
    // Once the user is known, the section named falls back to the first one.
    await waitFor(() => expect(scoring).toHaveAttribute("aria-current", "page"));
    expect(screen.queryByRole("link", { name: "Alert quality" })).not.toBeInTheDocument();
    expect(screen.queryByTestId("alert-precision")).not.toBeInTheDocument();
  });

  it("saves the noise controls as a new version and activates it", async () => {
    const user = userEvent.setup();
    const calls = stubQuality(admin);
    renderApp("/settings#alert-quality");
    const controls = await screen.findByTestId("noise-controls", {}, { timeout: 5000 });
    const save = within(controls).getByRole("button", { name: "Save as new version" });
    expect(save).toBeDisabled();

    await user.selectOptions(
      within(controls).getByRole("combobox", { name: "Queue minimum severity" }),
      "medium",
    );
    const ticket = within(controls).getByRole("textbox", { name: "Critical ticket snooze days" });
    await user.clear(ticket);
    await user.type(ticket, "2");
    await user.clear(
      within(controls).getByRole("textbox", { name: "Renewal in 90 days snooze days" }),
    );
    await user.type(within(controls).getByRole("textbox", { name: "Detractor snooze days" }), "3");
    expect(save).toBeEnabled();

    // Invalid values keep Save disabled and say why.
    const fallback = within(controls).getByRole("textbox", { name: "Default snooze days" });
    await user.clear(fallback);
    expect(save).toBeDisabled();
    expect(fallback).toHaveAccessibleDescription("Enter a number of days.");
    await user.type(fallback, "0");
    expect(fallback).toHaveAccessibleDescription("From 1 to 365 days.");
    await user.type(
      within(controls).getByRole("textbox", { name: "Inactivity snooze days" }),
      "1.5",
    );
    await user.clear(fallback);
    await user.type(fallback, "10");
    expect(save).toBeDisabled();
    expect(
      within(controls).getByRole("textbox", { name: "Inactivity snooze days" }),
    ).toHaveAccessibleDescription("Whole days only.");
    await user.clear(within(controls).getByRole("textbox", { name: "Inactivity snooze days" }));
    expect(
      within(controls).getByRole("textbox", { name: "Usage decline snooze days" }),
    ).toHaveAttribute("placeholder", "10 (default)");
    expect(save).toBeEnabled();

    await user.click(save);
    await within(controls).findByText(/Saved as version 3\./);
    expect(calls.creates).toEqual([
      {
        name: "Alert noise controls",
        body: {
          ...body,
          alerts: {
            ...alerts,
            queue_min_severity: "medium",
            snooze_default_days: 10,
            snooze_days: { critical_ticket: 2, seat_limit: 30, detractor: 3 },
          },
        },
      },
    ]);

    await user.click(within(controls).getByRole("button", { name: "Activate v3" }));
    const dialog = screen.getByRole("dialog", { name: "Activate version 3?" });
    const reports = calls.reports;
    await user.click(within(dialog).getByRole("button", { name: "Activate and re-score" }));
    expect(
      await screen.findByText("Version 3 is active: 852 accounts re-scored."),
    ).toBeInTheDocument();
    expect(calls.activations).toBe(1);
    await waitFor(() => expect(calls.reports).toBe(reports + 1));
    // The form now starts from the new active version.
    const fresh = await screen.findByTestId("noise-controls");
    await waitFor(() => expect(fresh).toHaveTextContent("From v3 · Alert noise controls (active)"));
    expect(within(fresh).getByRole("textbox", { name: "Default snooze days" })).toHaveValue("10");
    expect(
      within(fresh).getByRole("textbox", { name: "Renewal in 90 days snooze days" }),
    ).toHaveValue("");
    expect(within(fresh).getByRole("button", { name: "Save as new version" })).toBeDisabled();
  });
});
