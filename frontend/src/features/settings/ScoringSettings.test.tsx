import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { UserPublic } from "../../api/client";
import { TOKEN_KEY } from "../../api/token";
import { demoMeta, demoUser, json, renderApp, stubApi } from "../../test/utils";
import type {
  ConfigBody,
  ConfigDetail,
  ConfigPreview,
  ConfigVersion,
  ScoringRun,
  ValidationReport,
} from "./queries";

vi.mock("../../ui/Chart", () => ({
  Chart: ({ label }: { label: string }) => <div role="img" aria-label={label} />,
}));

const admin: UserPublic = { ...demoUser, role: "admin" };

const body: ConfigBody = {
  components: {
    usage: {
      weight: 0.35,
      metrics: {
        login_frequency: {
          weight: 0.3,
          curve: [
            [0, 0],
            [5, 40],
            [20, 100],
          ],
          missing: null,
        },
      },
    },
    support: {
      weight: 0.2,
      metrics: {
        escalations: {
          weight: 1,
          curve: [
            [0, 100],
            [3, 0],
          ],
          missing: null,
        },
      },
    },
  },
  health_axis: ["support"],
  quadrant: { usage_cutoff: 60, health_cutoff: 60, hysteresis: 5 },
  bands: { healthy: 80, watch: 60 },
  churn_probability: [
    [0, 0.6],
    [100, 0.03],
  ],
};

const active: ConfigDetail = {
  version: 1,
  name: "Default",
  is_active: true,
  created_at: "2026-01-01T08:00:00Z",
  activated_at: "2026-01-01T08:00:00Z",
  created_by_id: null,
  body,
  definitions: [
    {
      name: "usage",
      label: "Usage",
      metrics: [
        {
          name: "login_frequency",
          label: "Logins per seat",
          unit: "per_seat",
          description: "Active user-days in the last 30 days per purchased seat",
        },
        {
          name: "feature_adoption",
          label: "Core feature adoption",
          unit: "fraction",
          description: "Share of the core features used",
        },
      ],
    },
    {
      name: "support",
      label: "Support",
      metrics: [
        {
          name: "escalations",
          label: "Escalations (90 d)",
          unit: "count",
          description: "Escalated tickets opened in the last 90 days",
        },
      ],
    },
  ],
};

const versions: ConfigVersion[] = [
  {
    version: 2,
    name: "Heavier usage",
    is_active: false,
    created_at: "2026-01-10T08:00:00Z",
    activated_at: null,
    created_by_id: admin.id,
  },
  {
    version: 1,
    name: "Default",
    is_active: true,
    created_at: "2026-01-01T08:00:00Z",
    activated_at: "2026-01-01T08:00:00Z",
    created_by_id: null,
  },
];

const preview: ConfigPreview = {
  as_of: "2026-01-14",
  current_version: 1,
  accounts: 1998,
  quadrant_changes: 12,
  band_changes: 251,
  mean_health_before: 67.4,
  mean_health_after: 65.2,
  quadrant_matrix: [
    { from_value: "champions", to_value: "champions", accounts: 845, arr: 4e7 },
    { from_value: "champions", to_value: "churn_risk", accounts: 12, arr: 3e5 },
  ],
  band_matrix: [{ from_value: "watch", to_value: "at_risk", accounts: 251, arr: 5e6 }],
  largest_changes: [
    {
      account_id: "a0000000-0000-4000-8000-000000000001",
      name: "Acme Corp",
      arr: 120000,
      health_before: 64,
      health_after: 53,
      band_before: "watch",
      band_after: "at_risk",
      quadrant_before: "champions",
      quadrant_after: "churn_risk",
    },
  ],
  summary: "12 of 1,998 accounts change quadrant, 251 change band",
};

const report: ValidationReport = {
  probability_source: "default",
  horizon_days: 90,
  outcomes: 978,
  churned: 262,
  renewed: 716,
  auc: {
    health_score: 0.691,
    usage: 0.696,
    support: 0.507,
    sentiment: 0.591,
    relationship: 0.621,
    commercial: null,
  },
  by_decile: [
    { label: "D1 (26-52)", outcomes: 98, churned: 54, churn_rate: 0.551 },
    { label: "D10 (83-94)", outcomes: 97, churned: 7, churn_rate: 0.072 },
  ],
  by_band: [
    { label: "healthy", outcomes: 195, churned: 19, churn_rate: 0.097 },
    { label: "at_risk", outcomes: 233, churned: 108, churn_rate: 0.464 },
  ],
  by_quadrant: [
    { label: "champions", outcomes: 452, churned: 69, churn_rate: 0.153, ratio_to_champions: 1 },
    {
      label: "churn_risk",
      outcomes: 83,
      churned: 41,
      churn_rate: 0.494,
      ratio_to_champions: 3.236,
    },
  ],
  calibration: [
    { label: "5%-10%", outcomes: 343, churned: 49, churn_rate: 0.143, mean_predicted: 0.073 },
  ],
  brier_score: 0.1976,
  note: "Few outcomes before 2025: treat as indicative.",
};

function run(overrides: Partial<ScoringRun> = {}): ScoringRun {
  return {
    id: "c0000000-0000-4000-8000-000000000001",
    kind: "daily",
    status: "running",
    cadence: "daily",
    date_from: "2026-01-15",
    date_to: "2026-01-15",
    config_version: 2,
    total_shards: 4,
    done_shards: 1,
    accounts_total: 2000,
    snapshots_written: 500,
    progress: 0.25,
    error: null,
    requested_by: admin.email,
    created_at: "2026-01-15T10:00:00Z",
    started_at: "2026-01-15T10:00:01Z",
    finished_at: null,
    ...overrides,
  };
}

function stubScoring({
  user = admin,
  create,
}: {
  user?: UserPublic;
  create?: (request: Request) => Response | Promise<Response>;
} = {}) {
  const calls = { previews: [] as unknown[], creates: [] as unknown[], activations: 0, polls: 0 };
  stubApi({
    "GET /api/v1/auth/me": () => json(user),
    "GET /api/v1/meta": () => json(demoMeta),
    "GET /api/v1/scoring/config": () => json(active),
    "GET /api/v1/scoring/config/versions": () => json(versions),
    "GET /api/v1/scoring/validation": () => json(report),
    "POST /api/v1/scoring/config/preview": async (request) => {
      calls.previews.push(await request.json());
      return json(preview);
    },
    "POST /api/v1/scoring/config/versions": async (request) => {
      calls.creates.push(await request.clone().json());
      if (create) return create(request);
      return json({ ...active, version: 3, is_active: false, activated_at: null }, 201);
    },
    "POST /api/v1/scoring/config/versions/2/activate": () => {
      calls.activations += 1;
      return json({ version: 2, run_id: run().id });
    },
    [`GET /api/v1/scoring/runs/${run().id}`]: () => {
      calls.polls += 1;
      return json(
        calls.polls === 1
          ? run()
          : run({ status: "succeeded", done_shards: 4, progress: 1, snapshots_written: 2000 }),
      );
    },
  });
  return calls;
}

describe("Settings → Scoring", () => {
  beforeEach(() => {
    window.localStorage.setItem(TOKEN_KEY, "test-token");
  });

  it("shows the active version and the list of versions", async () => {
    stubScoring();
    renderApp("/settings");
    expect(await screen.findByTestId("active-version")).toHaveTextContent(
      "Active: v1 · Default · since Jan 1, 2026",
    );
    const rows = await screen.findAllByTestId("config-version");
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent("v2");
    expect(within(rows[0] as HTMLElement).getByRole("button", { name: "Activate" })).toBeVisible();
    expect(within(rows[1] as HTMLElement).getByText("Active")).toBeInTheDocument();
    expect(
      within(rows[1] as HTMLElement).getByRole("button", { name: "Download YAML" }),
    ).toBeInTheDocument();
  });

  it("previews the edited body and shows what would change", async () => {
    const user = userEvent.setup();
    const calls = stubScoring();
    renderApp("/settings");

    const weight = await screen.findByRole("textbox", { name: "Usage weight" });
    await user.clear(weight);
    await user.type(weight, "0.6");
    await user.click(screen.getByRole("button", { name: "Edit Logins per seat curve" }));
    await user.click(
      screen.getByRole("button", { name: "Add a point to the Logins per seat curve" }),
    );
    const score = screen.getByRole("textbox", { name: "Logins per seat point 4 score" });
    await user.clear(score);
    await user.type(score, "90");
    await user.click(screen.getByRole("button", { name: "Preview impact" }));

    const result = await screen.findByTestId("preview-result");
    expect(within(result).getByTestId("preview-summary")).toHaveTextContent(
      "12 accounts change quadrant, 251 change band (of 1,998 scored accounts)",
    );
    const sent = calls.previews[0] as { body: ConfigBody };
    expect(sent.body.components.usage?.weight).toBe(0.6);
    expect(sent.body.components.usage?.metrics.login_frequency?.curve).toEqual([
      [0, 0],
      [5, 40],
      [20, 100],
      [35, 90],
    ]);
    // Everything else is sent as it was.
    expect(sent.body.components.support).toEqual(body.components.support);
    expect(sent.body.bands).toEqual(body.bands);

    const quadrants = within(result).getByRole("table", { name: "Quadrants" });
    const championsRow = within(quadrants).getByRole("rowheader", { name: "Champions" })
      .parentElement as HTMLElement;
    expect(
      within(championsRow)
        .getAllByRole("cell")
        .map((c) => c.textContent),
    ).toEqual(["845", "0", "0", "12"]);
    expect(within(result).getByRole("link", { name: "Acme Corp" })).toHaveAttribute(
      "href",
      "/accounts/a0000000-0000-4000-8000-000000000001",
    );
  });

  it("shows a 422's field errors next to the fields they are about", async () => {
    const user = userEvent.setup();
    const calls = stubScoring({
      create: () =>
        json(
          {
            type: "about:blank",
            title: "Validation error",
            status: 422,
            detail: "body.body.components.usage.weight: Input should be greater than or equal to 0",
            errors: [
              {
                loc: ["body", "body", "components", "usage", "weight"],
                msg: "Input should be greater than or equal to 0",
              },
              { loc: ["body", "body", "bands"], msg: "watch must not be above healthy" },
            ],
          },
          422,
        ),
    });
    renderApp("/settings");

    // A value the form accepts, which this server refuses anyway.
    const weight = await screen.findByRole("textbox", { name: "Usage weight" });
    await user.clear(weight);
    await user.type(weight, "0.5");
    await user.type(screen.getByRole("textbox", { name: "Version name" }), "Try");
    await user.click(screen.getByRole("button", { name: "Save as new version" }));

    await waitFor(() => expect(weight).toHaveAttribute("aria-invalid", "true"));
    expect(weight).toHaveAccessibleDescription("Input should be greater than or equal to 0");
    expect(
      within(screen.getByTestId("config-bands")).getByText("watch must not be above healthy"),
    ).toBeInTheDocument();
    // Other fields are not marked.
    expect(screen.getByRole("textbox", { name: "Support weight" })).toHaveAttribute(
      "aria-invalid",
      "false",
    );
    expect(calls.creates[0]).toMatchObject({ name: "Try", body: { bands: body.bands } });
    expect(screen.getByText(/Couldn't save/)).toBeInTheDocument();

    // Editing again clears the server's errors (they were about the previous draft).
    await user.type(weight, "0");
    expect(weight).toHaveAttribute("aria-invalid", "false");
  });

  it("keeps Save disabled, with the reason beside it, while a field is invalid", async () => {
    const user = userEvent.setup();
    const calls = stubScoring();
    renderApp("/settings");
    const save = () => screen.getByRole("button", { name: "Save as new version" });
    const reason = () => document.getElementById("save-blocked");

    // An empty number
    const usage = await screen.findByRole("textbox", { name: "Usage weight" });
    await user.clear(usage);
    expect(save()).toBeDisabled();
    expect(screen.getByRole("button", { name: "Preview impact" })).toBeDisabled();
    expect(reason()).toHaveTextContent("Can't save yet: Usage weight: enter a number.");
    expect(save()).toHaveAccessibleDescription("Can't save yet: Usage weight: enter a number.");
    expect(usage).toHaveAttribute("aria-invalid", "true");

    // Weights that leave nothing to weigh: every component at 0
    await user.type(usage, "0");
    const support = screen.getByRole("textbox", { name: "Support weight" });
    await user.clear(support);
    await user.type(support, "0");
    expect(save()).toBeDisabled();
    expect(reason()).toHaveTextContent(
      "Can't save yet: Components: at least one component needs a weight above 0.",
    );
    await user.clear(support);
    await user.type(support, "0.2");

    // A weight out of range
    await user.clear(usage);
    await user.type(usage, "150");
    expect(reason()).toHaveTextContent("Can't save yet: Usage weight: must be between 0 and 100.");
    expect(usage).toHaveAccessibleDescription("Must be between 0 and 100.");
    await user.clear(usage);
    await user.type(usage, "0.4");
    expect(reason()).toBeNull();
    expect(save()).toBeEnabled();

    // Curve breakpoints that do not increase (with the count of the other problems)
    await user.click(screen.getByRole("button", { name: "Edit Logins per seat curve" }));
    const raw = screen.getByRole("textbox", { name: "Logins per seat point 2 raw" });
    await user.clear(raw);
    await user.type(raw, "30");
    const healthy = screen.getByRole("textbox", { name: "Healthy from" });
    await user.clear(healthy);
    await user.type(healthy, "101");
    expect(save()).toBeDisabled();
    expect(reason()).toHaveTextContent(
      "Can't save yet: Logins per seat curve: raw values must increase from one point to the next. (and 1 more)",
    );
    await user.clear(raw);
    await user.type(raw, "5");
    expect(reason()).toHaveTextContent(
      "Can't save yet: Health bands: healthy from: must be between 0 and 100.",
    );

    // Bands in the wrong order
    await user.clear(healthy);
    await user.type(healthy, "50");
    expect(reason()).toHaveTextContent(
      "Can't save yet: Health bands: “Watch from” must not be above “healthy from”.",
    );
    expect(
      within(screen.getByTestId("config-bands")).getByText(
        "“Watch from” must not be above “healthy from”.",
      ),
    ).toBeInTheDocument();
    await user.clear(healthy);
    await user.type(healthy, "80");

    // Fixed: Save is back, and nothing was sent while the draft was invalid
    expect(reason()).toBeNull();
    expect(save()).toBeEnabled();
    expect(calls.creates).toHaveLength(0);
    await user.click(save());
    await waitFor(() => expect(calls.creates).toHaveLength(1));
  });

  it("saves a new version, then activates it and follows the re-scoring run", async () => {
    const user = userEvent.setup();
    const calls = stubScoring();
    renderApp("/settings");
    const rows = await screen.findAllByTestId("config-version");
    await user.click(within(rows[0] as HTMLElement).getByRole("button", { name: "Activate" }));
    const dialog = screen.getByRole("dialog", { name: "Activate version 2?" });
    await user.click(within(dialog).getByRole("button", { name: "Activate and re-score" }));

    const progress = await screen.findByTestId("run-progress");
    expect(calls.activations).toBe(1);
    expect(await within(progress).findByRole("progressbar")).toBeInTheDocument();
    await waitFor(
      () => expect(progress).toHaveTextContent("Version 2 is active: 2,000 accounts re-scored."),
      { timeout: 4000 },
    );
    expect(within(progress).getByRole("progressbar")).toHaveAttribute("aria-valuenow", "100");
  });

  it("reports AUC, churn by band and quadrant, and calibration", async () => {
    stubScoring();
    renderApp("/settings");
    const validation = await screen.findByTestId("validation-report");
    expect(await within(validation).findByTestId("auc-health_score")).toHaveTextContent("0.69");
    expect(within(validation).getByTestId("auc-usage")).toHaveTextContent("0.7");
    expect(within(validation).getByTestId("auc-support")).toHaveTextContent("0.51");
    expect(within(validation).getByTestId("auc-commercial")).toHaveTextContent("—");
    expect(validation).toHaveTextContent("Outcomes978");
    const byQuadrant = within(validation).getByRole("table", { name: "By quadrant" });
    expect(byQuadrant).toHaveTextContent("Churn Risk834149%3.24×");
    const calibration = within(validation).getByRole("table", { name: "Calibration" });
    expect(calibration).toHaveTextContent("5%-10%3437%14%");
    expect(
      within(validation).getByRole("img", {
        name: /Churn rate by health decile: D1 \(26-52\) 55%/,
      }),
    ).toBeInTheDocument();
    expect(validation).toHaveTextContent("Few outcomes before 2025: treat as indicative.");
  });

  it("is read-only for non-admins", async () => {
    stubScoring({ user: demoUser });
    renderApp("/settings");
    const weight = await screen.findByRole("textbox", { name: "Usage weight" });
    expect(weight).toBeDisabled();
    expect(weight).toHaveValue("0.35");
    expect(screen.getByText(/Only admins can change the scoring config/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Preview impact" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Save as new version" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Activate" })).not.toBeInTheDocument();
    expect(screen.queryByText("Import YAML")).not.toBeInTheDocument();
    expect(await screen.findByTestId("auc-health_score")).toHaveTextContent("0.69");
  });
});
