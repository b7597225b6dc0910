import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { UserPublic } from "../../api/client";
import { TOKEN_KEY } from "../../api/token";
import { account, demoMeta, demoUser, json, renderApp, stubApi } from "../../test/utils";
import type {
  Effectiveness,
  Playbook,
  PlaybookDefinition,
  PlaybookRun,
  PlayPreview,
} from "./queries";

vi.mock("../../ui/Chart", () => ({
  Chart: ({ label }: { label: string }) => <div role="img" aria-label={label} />,
}));

const admin: UserPublic = { ...demoUser, role: "admin" };
const viewer: UserPublic = { ...demoUser, role: "viewer" };

const CHURN = "b0000000-0000-4000-8000-000000000001";
const RENEWAL = "b0000000-0000-4000-8000-000000000002";
const TICKET = "b0000000-0000-4000-8000-000000000003";
const ADVOCACY = "b0000000-0000-4000-8000-000000000004";
const EXPANSION = "b0000000-0000-4000-8000-000000000005";
const CREATED = "b0000000-0000-4000-8000-000000000099";
const RUN = "c0000000-0000-4000-8000-000000000001";

const acme = account();
const globex = account({
  id: "a0000000-0000-4000-8000-000000000002",
  name: "Globex",
  arr: 80000,
  quadrant: "churn_risk",
});

const churnPlay: Playbook = {
  id: CHURN,
  key: "churn-risk-call",
  name: "Churn-risk call",
  description: "Executive call and a 30-day plan.",
  trigger_type: "quadrant_move",
  trigger_value: "*->churn_risk",
  trigger_bands: [],
  steps: [
    {
      title: "Brief the VP of CS on {{ account.name }}",
      due_offset_days: 0,
      assignee_role: "leader",
    },
    { title: "Call the executive sponsor", due_offset_days: 2, assignee_role: "owner" },
  ],
  email_subject_template: "{{ account.name }}: our next 30 days",
  email_body_template: "Hi {{ contact.first_name }},\n\nLet's talk.",
  is_active: true,
  is_builtin: true,
};

function play(overrides: Partial<Playbook>): Playbook {
  return { ...churnPlay, is_builtin: true, ...overrides };
}

const playbooks: Playbook[] = [
  churnPlay,
  play({
    id: RENEWAL,
    key: "renewal-value-review",
    name: "Renewal value review",
    trigger_type: "renewal_milestone",
    trigger_value: "90",
  }),
  play({
    id: TICKET,
    key: "critical-ticket-escalation",
    name: "Critical ticket escalation",
    trigger_type: "alert_rule",
    trigger_value: "critical_ticket",
  }),
  play({
    id: ADVOCACY,
    key: "champion-advocacy",
    name: "Champion advocacy",
    trigger_type: "manual",
    trigger_value: null,
    is_active: false,
  }),
  play({
    id: EXPANSION,
    key: "expansion-at-risk",
    name: "Expansion at risk",
    trigger_type: "alert_rule",
    trigger_value: "expansion_ready,seat_limit,api_limit",
    trigger_bands: ["at_risk"],
    steps: [
      { title: "Check the open tickets", due_offset_days: 1, assignee_role: "support_lead" },
      {
        title: "Talk seats with {{ contact.first_name }}",
        due_offset_days: 3,
        assignee_role: "csm",
      },
    ],
  }),
];

function effect(id: string, overrides: Partial<Effectiveness> = {}): Effectiveness {
  return {
    playbook_id: id,
    key: playbooks.find((p) => p.id === id)?.key ?? id,
    name: playbooks.find((p) => p.id === id)?.name ?? id,
    runs: 0,
    active: 0,
    completed: 0,
    windows: [
      { days: 30, measured: 0, improved: 0, rate: null, mean_health_change: null },
      { days: 60, measured: 0, improved: 0, rate: null, mean_health_change: null },
    ],
    ...overrides,
  };
}

const effectiveness: Effectiveness[] = [
  effect(CHURN, {
    runs: 3,
    active: 1,
    completed: 2,
    windows: [
      { days: 30, measured: 2, improved: 1, rate: 0.5, mean_health_change: 3.2 },
      { days: 60, measured: 1, improved: 0, rate: 0, mean_health_change: -1 },
    ],
  }),
  effect(RENEWAL, { runs: 1, active: 1 }),
  effect(TICKET),
  effect(ADVOCACY),
  effect(EXPANSION),
];

const run: PlaybookRun = {
  id: RUN,
  playbook_id: CHURN,
  account_id: acme.id,
  alert_id: null,
  status: "active",
  outcome: null,
  started_at: "2026-01-10T09:00:00Z",
  completed_at: null,
  health_at_start: 41.6,
  quadrant_at_start: "churn_risk",
  email_draft: null,
  playbook_name: "Churn-risk call",
  account_name: "Acme Corp",
  tasks: [
    {
      id: "d0000000-0000-4000-8000-000000000001",
      account_id: acme.id,
      playbook_run_id: RUN,
      title: "Brief the VP of CS on Acme Corp",
      assignee_id: null,
      due_date: "2026-01-10",
      status: "done",
      completed_at: "2026-01-11T09:00:00Z",
    },
    {
      id: "d0000000-0000-4000-8000-000000000002",
      account_id: acme.id,
      playbook_run_id: RUN,
      title: "Call the executive sponsor",
      assignee_id: null,
      due_date: "2026-01-12",
      status: "open",
      completed_at: null,
    },
  ],
};

/** A stand-in for the server's Jinja rendering: enough names for these tests. */
function render(template: string | null | undefined, accountName: string): string {
  return (template ?? "")
    .replaceAll("{{ contact.first_name }}", "Dana")
    .replaceAll("{{ account.name }}", accountName);
}

/** Who each role is on the stand-in accounts: nobody is the support lead. */
const PEOPLE: Record<string, { id: string; name: string } | undefined> = {
  owner: { id: "e0000000-0000-4000-8000-000000000001", name: "Priya Shah" },
  csm: { id: "e0000000-0000-4000-8000-000000000001", name: "Priya Shah" },
  leader: { id: "e0000000-0000-4000-8000-000000000002", name: "Marco Rossi" },
};

function renderPreview(accountId: string, definition: PlaybookDefinition): PlayPreview {
  const name = accountId === globex.id ? globex.name : acme.name;
  return {
    tasks: (definition.steps ?? []).map((s) => ({
      title: render(s.title, name),
      due_date: `2026-01-${String(15 + s.due_offset_days).padStart(2, "0")}`,
      assignee_role: s.assignee_role,
      assignee_id: PEOPLE[s.assignee_role]?.id ?? null,
      assignee_name: PEOPLE[s.assignee_role]?.name ?? null,
    })),
    email: definition.email_body_template
      ? {
          subject: render(definition.email_subject_template, name),
          body: render(definition.email_body_template, name),
          // Globex has no contact with an email.
          to: accountId === globex.id ? null : "dana@acme.example",
          to_name: accountId === globex.id ? null : "Dana Whitfield",
        }
      : null,
  };
}

interface PreviewBody {
  account_id: string;
  definition: PlaybookDefinition;
}

function stubPlaybooks({
  user = admin,
  preview,
  patch,
}: {
  user?: UserPublic;
  preview?: (body: PreviewBody) => Response | undefined;
  patch?: (body: unknown) => Response | undefined;
} = {}) {
  const calls = {
    previews: [] as PreviewBody[],
    patches: [] as unknown[],
    creates: [] as unknown[],
    completes: [] as unknown[],
    accountQueries: [] as URLSearchParams[],
    runQueries: [] as URLSearchParams[],
  };
  let list = [...playbooks];
  const spy = stubApi({
    "GET /api/v1/auth/me": () => json(user),
    "GET /api/v1/meta": () => json(demoMeta),
    "GET /api/v1/playbooks": () => json(list),
    "GET /api/v1/playbooks/effectiveness": () => json(effectiveness),
    "GET /api/v1/playbooks/runs": (request) => {
      const query = new URL(request.url).searchParams;
      calls.runQueries.push(query);
      const status = query.get("status");
      const runs = query.get("playbook_id") === CHURN ? [run] : [];
      return json(runs.filter((r) => !status || r.status === status));
    },
    "GET /api/v1/accounts": (request) => {
      const query = new URL(request.url).searchParams;
      calls.accountQueries.push(query);
      const q = (query.get("q") ?? "").toLowerCase();
      const items = [acme, globex].filter((a) => a.name.toLowerCase().includes(q));
      return json({ items, total: items.length, page: 1, page_size: 10 });
    },
    "POST /api/v1/playbooks/preview": async (request) => {
      const body = (await request.json()) as PreviewBody;
      calls.previews.push(body);
      return preview?.(body) ?? json(renderPreview(body.account_id, body.definition));
    },
    ...Object.fromEntries(
      [CHURN, EXPANSION].map((id) => [
        `PATCH /api/v1/playbooks/${id}`,
        async (request: Request) => {
          const body = (await request.json()) as Partial<Playbook>;
          calls.patches.push(body);
          const answer = patch?.(body);
          if (answer) return answer;
          const saved = { ...(list.find((p) => p.id === id) as Playbook), ...body };
          list = list.map((p) => (p.id === id ? saved : p));
          return json(saved);
        },
      ]),
    ),
    "POST /api/v1/playbooks": async (request) => {
      const body = (await request.json()) as Playbook;
      calls.creates.push(body);
      const created = { ...body, id: CREATED, is_builtin: false };
      list = [...list, created];
      return json(created, 201);
    },
    [`POST /api/v1/playbooks/runs/${RUN}/complete`]: async (request) => {
      calls.completes.push(await request.json());
      return json({ ...run, status: "completed", outcome: "Renewed" });
    },
  });
  return { calls, spy };
}

const bodyField = () => screen.getByRole("textbox", { name: "Body template" });

describe("Playbooks", () => {
  beforeEach(() => {
    window.localStorage.setItem(TOKEN_KEY, "test-token");
  });

  it("lists the library with each trigger in words, active state, runs and improvement rates", async () => {
    stubPlaybooks();
    renderApp("/playbooks");

    const items = await screen.findAllByTestId("library-item");
    expect(items.map((i) => within(i).getByTestId("library-trigger").textContent)).toEqual([
      "When an account moves into Churn Risk",
      "90 days before renewal",
      "When Critical ticket fires",
      "Manual",
      "When Expansion ready, Seat limit or API limit fires on an account at risk",
    ]);
    await waitFor(() =>
      expect(within(items[0] as HTMLElement).getByTestId("library-stats")).toHaveTextContent(
        "3 runs · 30 d 50% · 60 d 0%",
      ),
    );
    expect(within(items[1] as HTMLElement).getByTestId("library-stats")).toHaveTextContent(
      "1 run · 30 d — · 60 d —",
    );
    expect(within(items[3] as HTMLElement).getByText("Inactive")).toBeInTheDocument();
    expect(within(items[0] as HTMLElement).queryByText("Inactive")).not.toBeInTheDocument();
    // The first play is selected when the URL names none.
    expect(items[0]).toHaveAttribute("aria-current", "true");
    expect(
      within(screen.getByTestId("playbook-editor")).getByRole("heading", {
        name: "Churn-risk call",
      }),
    ).toBeInTheDocument();
    // Built: no "soon" badge in the navigation.
    expect(
      within(screen.getByRole("navigation", { name: "Main" })).getByRole("link", {
        name: "Playbooks",
      }),
    ).toHaveTextContent(/^Playbooks$/);
  });

  it("shows the selected play's trigger, steps and templates in the editor", async () => {
    stubPlaybooks();
    renderApp(`/playbooks?playbook=${TICKET}`);
    const editor = await screen.findByTestId("playbook-editor");
    expect(
      within(editor).getByRole("heading", { name: "Critical ticket escalation" }),
    ).toBeVisible();
    expect(within(editor).getByRole("combobox", { name: "Starts on" })).toHaveValue("alert_rule");
    const rules = within(editor).getByRole("group", { name: "Alert rules" });
    expect(
      within(rules)
        .getAllByRole<HTMLInputElement>("checkbox", { checked: true })
        .map((c) => c.value),
    ).toEqual(["critical_ticket"]);
    expect(within(editor).getByTestId("trigger-words")).toHaveTextContent(
      "When Critical ticket fires: starts automatically when the alert opens.",
    );
    expect(within(editor).getByRole("textbox", { name: "Step 1 title" })).toHaveValue(
      "Brief the VP of CS on {{ account.name }}",
    );
    expect(within(editor).getByRole("textbox", { name: "Step 2 due after (days)" })).toHaveValue(
      "2",
    );
    expect(within(editor).getByRole("combobox", { name: "Step 1 assignee" })).toHaveValue("leader");
    expect(bodyField()).toHaveValue("Hi {{ contact.first_name }},\n\nLet's talk.");

    // A quadrant move is edited as from → to; the words follow.
    await userEvent.selectOptions(
      within(editor).getByRole("combobox", { name: "Starts on" }),
      "quadrant_move",
    );
    await userEvent.selectOptions(
      within(editor).getByRole("combobox", { name: "From" }),
      "champions",
    );
    await userEvent.selectOptions(
      within(editor).getByRole("combobox", { name: "To" }),
      "frustrated_power_users",
    );
    expect(within(editor).getByTestId("trigger-words")).toHaveTextContent(
      "When an account moves from Champions to Frustrated Power Users",
    );
  });

  it("edits several alert rules and the health bands, and saves them", async () => {
    const user = userEvent.setup();
    const { calls } = stubPlaybooks();
    renderApp(`/playbooks?playbook=${EXPANSION}`);
    await screen.findByTestId("preview-body");
    const rules = screen.getByRole("group", { name: "Alert rules" });
    const bands = screen.getByRole("group", { name: "Health bands" });
    const ticked = (group: HTMLElement) =>
      within(group)
        .getAllByRole<HTMLInputElement>("checkbox", { checked: true })
        .map((c) => c.value);
    expect(ticked(rules)).toEqual(["seat_limit", "api_limit", "expansion_ready"]);
    expect(ticked(bands)).toEqual(["at_risk"]);
    expect(
      within(bands)
        .getAllByRole("checkbox")
        .map((c) => c.getAttribute("value")),
    ).toEqual(["healthy", "watch", "at_risk"]);
    expect(bands).toHaveAccessibleDescription(
      "None ticked: accounts in any band. When an alert could start several plays, one written for the account's band wins over one for any band; a play for some bands never starts on an account without a health score.",
    );
    expect(screen.getByTestId("trigger-words")).toHaveTextContent(
      "When Expansion ready, Seat limit or API limit fires on an account at risk: starts automatically when the alert opens.",
    );

    await user.click(within(rules).getByRole("checkbox", { name: "API limit" }));
    await user.click(within(bands).getByRole("checkbox", { name: "Watch" }));
    expect(screen.getByTestId("trigger-words")).toHaveTextContent(
      "When Seat limit or Expansion ready fires on an account on watch or at risk",
    );
    // The preview renders the edited trigger.
    await waitFor(() =>
      expect(calls.previews.at(-1)?.definition).toMatchObject({
        trigger_value: "seat_limit,expansion_ready",
        trigger_bands: ["watch", "at_risk"],
      }),
    );

    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByTestId("saved-notice")).toHaveTextContent("Saved.");
    expect(calls.patches).toEqual([
      { trigger_value: "seat_limit,expansion_ready", trigger_bands: ["watch", "at_risk"] },
    ]);
    const item = screen
      .getAllByTestId("library-item")
      .find((i) => i.textContent?.includes("Expansion at risk")) as HTMLElement;
    expect(within(item).getByTestId("library-trigger")).toHaveTextContent(
      "When Seat limit or Expansion ready fires on an account on watch or at risk",
    );
  });

  it("asks for at least one alert rule before previewing or saving", async () => {
    const user = userEvent.setup();
    const { calls } = stubPlaybooks();
    renderApp(`/playbooks?playbook=${EXPANSION}`);
    await screen.findByTestId("preview-body");
    const rules = screen.getByRole("group", { name: "Alert rules" });
    for (const name of ["Seat limit", "API limit", "Expansion ready"]) {
      await user.click(within(rules).getByRole("checkbox", { name }));
    }
    const seat = within(rules).getByRole("checkbox", { name: "Seat limit" });
    expect(seat).toHaveAttribute("aria-invalid", "true");
    expect(seat).toHaveAccessibleDescription("Tick at least one alert rule.");
    const previewColumn = screen.getByRole("complementary", { name: "Preview" });
    expect(within(previewColumn).getByRole("status")).toHaveTextContent(
      "The preview updates once these are fixed:Trigger: Tick at least one alert rule.",
    );
    const before = calls.previews.length;
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(calls.patches).toEqual([]);
    await new Promise((r) => setTimeout(r, 500));
    expect(calls.previews).toHaveLength(before);

    await user.click(seat);
    expect(seat).toHaveAttribute("aria-invalid", "false");
    await waitFor(() => expect(calls.previews.at(-1)?.definition.trigger_value).toBe("seat_limit"));
  });

  it("loads a single renewal milestone and adds another; a manual play has no bands", async () => {
    const user = userEvent.setup();
    const { calls } = stubPlaybooks();
    renderApp(`/playbooks?playbook=${RENEWAL}`);
    await screen.findByTestId("preview-body");
    const milestones = screen.getByRole("group", { name: "Renewal milestones" });
    expect(within(milestones).getByRole("checkbox", { name: "90 days before" })).toBeChecked();
    expect(within(milestones).getByRole("checkbox", { name: "60 days before" })).not.toBeChecked();
    await user.click(within(milestones).getByRole("checkbox", { name: "30 days before" }));
    expect(screen.getByTestId("trigger-words")).toHaveTextContent(
      "90 or 30 days before renewal: starts automatically when the alert opens.",
    );
    const bands = screen.getByRole("group", { name: "Health bands" });
    await user.click(within(bands).getByRole("checkbox", { name: "Healthy" }));
    expect(screen.getByTestId("trigger-words")).toHaveTextContent(
      "90 or 30 days before renewal on a healthy account",
    );
    await waitFor(() =>
      expect(calls.previews.at(-1)?.definition).toMatchObject({
        trigger_value: "90,30",
        trigger_bands: ["healthy"],
      }),
    );

    await user.selectOptions(screen.getByRole("combobox", { name: "Starts on" }), "manual");
    expect(screen.queryByRole("group", { name: "Health bands" })).not.toBeInTheDocument();
    await waitFor(() =>
      expect(calls.previews.at(-1)?.definition).toMatchObject({
        trigger_type: "manual",
        trigger_value: null,
        trigger_bands: [],
      }),
    );
  });

  it("shows who each task goes to and whom the email is written to", async () => {
    const user = userEvent.setup();
    stubPlaybooks();
    renderApp(`/playbooks?playbook=${EXPANSION}`);
    await screen.findByTestId("preview-body");
    const tasks = screen.getAllByTestId("preview-task");
    expect(tasks.map((t) => t.textContent)).toEqual([
      "Check the open ticketsDue Jan 16, 2026 (in 1 d) · Unassigned (Support lead)",
      "Talk seats with DanaDue Jan 18, 2026 (in 3 d) · Priya Shah (CSM)",
    ]);
    const assignees = screen.getAllByTestId("preview-assignee");
    expect(assignees[0]).toHaveClass("is-unassigned");
    expect(assignees[1]).not.toHaveClass("is-unassigned");
    expect(screen.getByTestId("preview-to")).toHaveTextContent(
      "To: Dana Whitfield <dana@acme.example>",
    );
    // Above the subject.
    expect(screen.getByTestId("preview-email")).toHaveTextContent(
      /^To: Dana Whitfield <dana@acme\.example>Subject: Acme Corp: our next 30 days/,
    );

    // The roles on offer: the three, and csm kept for the step that has it.
    const options = (name: string) =>
      within(screen.getByRole("combobox", { name }))
        .getAllByRole("option")
        .map((o) => o.textContent);
    expect(screen.getByRole("combobox", { name: "Step 1 assignee" })).toHaveValue("support_lead");
    expect(options("Step 1 assignee")).toEqual(["Account owner", "Owner's lead", "Support lead"]);
    expect(screen.getByRole("combobox", { name: "Step 2 assignee" })).toHaveValue("csm");
    expect(options("Step 2 assignee")).toEqual([
      "Account owner",
      "Owner's lead",
      "Support lead",
      "CSM",
    ]);

    await user.selectOptions(screen.getByRole("combobox", { name: "Step 1 assignee" }), "leader");
    await waitFor(() =>
      expect(screen.getAllByTestId("preview-task")[0]).toHaveTextContent(
        "Check the open ticketsDue Jan 16, 2026 (in 1 d) · Marco Rossi (Owner's lead)",
      ),
    );
  });

  it("documents the new template names and the day filter, and inserts a guarded snippet", async () => {
    const user = userEvent.setup();
    stubPlaybooks();
    renderApp("/playbooks");
    await screen.findByTestId("preview-body");
    const reference = screen.getByTestId("template-reference");
    await user.click(within(reference).getByText("Template variables and filters"));
    const groups = within(reference)
      .getAllByRole("term")
      .map((t) => t.querySelector("code")?.textContent);
    expect(groups).toEqual([
      "account",
      "health",
      "usage",
      "support",
      "sentiment",
      "alert",
      "contact",
      "csm",
      "lead",
      "support_lead",
    ]);
    expect(reference).toHaveTextContent("{{ account.renewal_date | day }} → Jan 2, 2027");
    expect(reference).toHaveTextContent(
      "tickets lists the open ones, most urgent and oldest first, each with id, subject, priority (“P1”), age_days and escalated",
    );

    await user.clear(bodyField());
    await user.click(bodyField());
    await user.click(within(reference).getByRole("button", { name: "worst" }));
    expect(bodyField()).toHaveValue(
      "{% if support.worst %}{{ support.worst.id }} ({{ support.worst.priority }}): {{ support.worst.subject }}{% endif %}",
    );
    await user.click(within(reference).getByTitle("Insert {{ support_lead.name }}"));
    await waitFor(() =>
      expect(bodyField()).toHaveValue(
        "{% if support.worst %}{{ support.worst.id }} ({{ support.worst.priority }}): {{ support.worst.subject }}{% endif %}{{ support_lead.name }}",
      ),
    );
  });

  it("previews the edited body on the book's first account, a moment after typing stops", async () => {
    const user = userEvent.setup();
    const { calls } = stubPlaybooks();
    renderApp("/playbooks");

    const preview = await screen.findByTestId("preview-body");
    expect(preview).toHaveTextContent("Hi Dana, Let's talk.");
    expect(screen.getByTestId("preview-subject")).toHaveTextContent("Acme Corp: our next 30 days");
    const tasks = screen.getAllByTestId("preview-task");
    expect(tasks.map((t) => t.textContent)).toEqual([
      "Brief the VP of CS on Acme CorpDue Jan 15, 2026 (today) · Marco Rossi (Owner's lead)",
      "Call the executive sponsorDue Jan 17, 2026 (in 2 d) · Priya Shah (Account owner)",
    ]);
    expect(screen.getByRole("combobox", { name: "Preview account" })).toHaveValue("Acme Corp");
    const before = calls.previews.length;
    expect(calls.previews[0]?.account_id).toBe(acme.id);

    await user.clear(bodyField());
    await user.click(bodyField());
    await user.paste("Hello {{ contact.first_name }}, see you at {{ account.name }}.");
    await user.type(bodyField(), " Thanks");

    await waitFor(() =>
      expect(screen.getByTestId("preview-body")).toHaveTextContent(
        "Hello Dana, see you at Acme Corp. Thanks",
      ),
    );
    // Debounced: one request for the whole burst of edits, with the edited definition.
    expect(calls.previews).toHaveLength(before + 1);
    const sent = calls.previews.at(-1);
    expect(sent?.account_id).toBe(acme.id);
    expect(sent?.definition).toEqual({
      name: "Churn-risk call",
      description: "Executive call and a 30-day plan.",
      trigger_type: "quadrant_move",
      trigger_value: "*->churn_risk",
      trigger_bands: [],
      steps: churnPlay.steps,
      email_subject_template: "{{ account.name }}: our next 30 days",
      email_body_template: "Hello {{ contact.first_name }}, see you at {{ account.name }}. Thanks",
      is_active: true,
    });
  });

  it("shows a template error from the preview at the body field", async () => {
    const user = userEvent.setup();
    stubPlaybooks({
      preview: (body) =>
        body.definition.email_body_template?.includes("{{ nope }}")
          ? json(
              {
                type: "about:blank",
                title: "Template cannot be rendered",
                status: 422,
                detail: "email_body_template: 'nope' is undefined",
                errors: [{ loc: ["body", "email_body_template"], msg: "'nope' is undefined" }],
              },
              422,
            )
          : undefined,
    });
    renderApp("/playbooks");
    await screen.findByTestId("preview-body");

    await user.click(bodyField());
    await user.paste(" {{ nope }}");

    await waitFor(() => expect(bodyField()).toHaveAttribute("aria-invalid", "true"));
    expect(bodyField()).toHaveAccessibleDescription("'nope' is undefined");
    expect(screen.getByRole("textbox", { name: "Subject template" })).toHaveAttribute(
      "aria-invalid",
      "false",
    );
    expect(screen.getByTestId("preview-error")).toHaveTextContent(
      "Couldn't render the preview: fix the highlighted fields.Email body: 'nope' is undefined",
    );

    // Fixing the template clears the error and renders again.
    await user.clear(bodyField());
    await user.click(bodyField());
    await user.paste("Hi {{ contact.first_name }}");
    await waitFor(() => expect(screen.getByTestId("preview-body")).toHaveTextContent("Hi Dana"));
    expect(bodyField()).toHaveAttribute("aria-invalid", "false");
  });

  it("saves only the changed fields with PATCH", async () => {
    const user = userEvent.setup();
    const { calls } = stubPlaybooks();
    renderApp("/playbooks");
    await screen.findByTestId("preview-body");
    const save = screen.getByRole("button", { name: "Save" });
    expect(save).toBeDisabled();

    await user.click(bodyField());
    await user.paste(" See you soon.");
    await user.click(screen.getByRole("button", { name: "Move step 2 up" }));
    await user.click(screen.getByRole("checkbox", { name: /Active/ }));
    expect(screen.getByText("Unsaved")).toBeInTheDocument();
    await user.click(save);

    expect(await screen.findByTestId("saved-notice")).toHaveTextContent("Saved.");
    expect(calls.patches).toEqual([
      {
        steps: [churnPlay.steps[1], churnPlay.steps[0]],
        email_body_template: "Hi {{ contact.first_name }},\n\nLet's talk. See you soon.",
        is_active: false,
      },
    ]);
    expect(screen.queryByText("Unsaved")).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Save" })).toBeDisabled();
    // The library shows the saved state.
    const first = screen.getAllByTestId("library-item")[0] as HTMLElement;
    expect(within(first).getByText("Inactive")).toBeInTheDocument();
  });

  it("shows a save error about the trigger at the trigger field", async () => {
    const user = userEvent.setup();
    stubPlaybooks({
      patch: () =>
        json(
          {
            type: "about:blank",
            title: "Validation error",
            status: 422,
            detail: "trigger_value: renewal milestones are 30, 60 days before renewal",
            errors: [
              {
                loc: ["body", "trigger_value"],
                msg: "renewal milestones are 30, 60 days before renewal",
              },
            ],
          },
          422,
        ),
    });
    renderApp("/playbooks");
    await screen.findByTestId("preview-body");
    await user.selectOptions(
      screen.getByRole("combobox", { name: "Starts on" }),
      "renewal_milestone",
    );
    await user.click(screen.getByRole("button", { name: "Save" }));

    const milestone = screen.getByRole("checkbox", { name: "90 days before" });
    expect(milestone).toBeChecked();
    await waitFor(() => expect(milestone).toHaveAttribute("aria-invalid", "true"));
    expect(milestone).toHaveAccessibleDescription(
      "renewal milestones are 30, 60 days before renewal",
    );
    expect(screen.getByText(/Couldn't save/)).toBeInTheDocument();
  });

  it("does not send a preview while a step has no title, and says why", async () => {
    const user = userEvent.setup();
    const { calls } = stubPlaybooks();
    renderApp("/playbooks");
    await screen.findByTestId("preview-body");
    const before = calls.previews.length;

    await user.click(screen.getByRole("button", { name: "+ Add step" }));
    const title = screen.getByRole("textbox", { name: "Step 3 title" });
    expect(title).toHaveFocus();
    expect(title).toHaveAccessibleDescription("Give the step a title.");
    // (The shell has a status region of its own: the route announcer.)
    const previewColumn = screen.getByRole("complementary", { name: "Preview" });
    expect(within(previewColumn).getByRole("status")).toHaveTextContent(
      "The preview updates once these are fixed:Step 3 title: Give the step a title.",
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(calls.previews).toHaveLength(before);

    await user.type(title, "Send the recap");
    await waitFor(() => expect(screen.getAllByTestId("preview-task")).toHaveLength(3));
    expect(calls.previews.at(-1)?.definition.steps?.[2]).toEqual({
      title: "Send the recap",
      due_offset_days: 2,
      assignee_role: "owner",
    });
  });

  it("renders the preview on the account picked in the search box", async () => {
    const user = userEvent.setup();
    const { calls } = stubPlaybooks();
    const { router } = renderApp("/playbooks");
    await screen.findByTestId("preview-body");

    const box = screen.getByRole("combobox", { name: "Preview account" });
    await user.click(box);
    await user.keyboard("glo");
    const option = await screen.findByRole("option", { name: /Globex/ });
    await waitFor(() => expect(calls.accountQueries.some((q) => q.get("q") === "glo")).toBe(true));
    await user.click(option);

    await waitFor(() => expect(router.state.location.search).toMatchObject({ account: globex.id }));
    await waitFor(() =>
      expect(screen.getByTestId("preview-subject")).toHaveTextContent("Globex: our next 30 days"),
    );
    expect(calls.previews.at(-1)?.account_id).toBe(globex.id);
    expect(box).toHaveValue("Globex");
    expect(screen.getByTestId("preview-to")).toHaveTextContent(
      "To: no contact with an email on record",
    );
  });

  it("reports effectiveness at 30 and 60 days", async () => {
    stubPlaybooks();
    renderApp("/playbooks");
    const card = await screen.findByTestId("effectiveness");
    expect(await within(card).findByTestId("effect-30")).toHaveTextContent(
      "50% improved in 30 days (1 of 2) · mean health change +3.2",
    );
    expect(within(card).getByTestId("effect-60")).toHaveTextContent(
      "0% improved in 60 days (0 of 1) · mean health change −1",
    );
    expect(within(card).getByTestId("effect-runs")).toHaveTextContent("3");
    expect(
      within(card).getByRole("img", {
        name: "Improvement rate by window. 30 days: this play 50%, all plays 50%; 60 days: this play 0%, all plays 0%",
      }),
    ).toBeInTheDocument();
  });

  it("says when no run is old enough to judge", async () => {
    stubPlaybooks();
    renderApp(`/playbooks?playbook=${TICKET}`);
    const card = await screen.findByTestId("effectiveness");
    expect(await within(card).findByTestId("effect-30")).toHaveTextContent(
      "No runs old enough to judge at 30 days yet",
    );
    expect(within(card).queryByRole("img")).not.toBeInTheDocument();
  });

  it("lists the play's active runs and completes one with an outcome", async () => {
    const user = userEvent.setup();
    const { calls } = stubPlaybooks();
    renderApp("/playbooks");
    const rows = await screen.findAllByTestId("run-row");
    expect(rows).toHaveLength(1);
    const row = rows[0] as HTMLElement;
    expect(within(row).getByRole("link", { name: "Acme Corp" })).toHaveAttribute(
      "href",
      `/accounts/${acme.id}`,
    );
    expect(row).toHaveTextContent("Jan 10, 2026");
    expect(row).toHaveTextContent("1 of 2");
    expect(calls.runQueries[0]?.get("playbook_id")).toBe(CHURN);
    expect(calls.runQueries[0]?.get("status")).toBe("active");

    await user.click(within(row).getByRole("button", { name: "Complete the run for Acme Corp" }));
    const dialog = screen.getByRole("dialog", { name: "Complete Churn-risk call for Acme Corp?" });
    await user.type(within(dialog).getByRole("textbox", { name: "Outcome (optional)" }), "Renewed");
    await user.click(within(dialog).getByRole("button", { name: "Complete run" }));

    await waitFor(() => expect(calls.completes).toEqual([{ outcome: "Renewed" }]));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
  });

  it("creates a new playbook with a key from its name", async () => {
    const user = userEvent.setup();
    const { calls } = stubPlaybooks();
    const { router } = renderApp("/playbooks");
    await screen.findAllByTestId("library-item");

    await user.click(screen.getByRole("link", { name: "+ New playbook" }));
    const editor = await screen.findByTestId("playbook-editor");
    expect(within(editor).getByRole("heading", { name: "New playbook" })).toBeInTheDocument();
    await user.type(within(editor).getByRole("textbox", { name: "Name" }), "Churn-risk call");
    // Slugified and made unique among the library's keys.
    expect(within(editor).getByTestId("new-key")).toHaveTextContent("churn-risk-call-2");
    await user.clear(within(editor).getByRole("textbox", { name: "Name" }));
    await user.type(within(editor).getByRole("textbox", { name: "Name" }), "Onboarding rescue!");
    expect(within(editor).getByTestId("new-key")).toHaveTextContent("onboarding-rescue");
    await user.click(within(editor).getByRole("button", { name: "Create playbook" }));

    await waitFor(() => expect(router.state.location.search).toMatchObject({ playbook: CREATED }));
    expect(calls.creates).toEqual([
      {
        key: "onboarding-rescue",
        name: "Onboarding rescue!",
        description: null,
        trigger_type: "manual",
        trigger_value: null,
        trigger_bands: [],
        steps: [{ title: "Call {{ contact.name }}", due_offset_days: 2, assignee_role: "owner" }],
        email_subject_template: null,
        email_body_template: "Hi {{ contact.first_name }},\n\n\n\nBest,\n{{ csm.name }}",
        is_active: true,
      },
    ]);
    expect(await screen.findByRole("heading", { name: "Onboarding rescue!" })).toBeInTheDocument();
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });

  it("asks before leaving a play with unsaved changes", async () => {
    const user = userEvent.setup();
    stubPlaybooks();
    const { router } = renderApp("/playbooks");
    await screen.findByTestId("preview-body");
    await user.type(screen.getByRole("textbox", { name: "Name" }), " (EMEA)");

    await user.click(screen.getByRole("link", { name: /Renewal value review/ }));
    const dialog = await screen.findByRole("dialog", { name: "Discard unsaved changes?" });
    await user.click(within(dialog).getByRole("button", { name: "Keep editing" }));
    expect(screen.getByRole("textbox", { name: "Name" })).toHaveValue("Churn-risk call (EMEA)");
    expect(router.state.location.search).not.toHaveProperty("playbook");

    await user.click(screen.getByRole("link", { name: /Renewal value review/ }));
    await user.click(
      within(await screen.findByRole("dialog")).getByRole("button", { name: "Discard changes" }),
    );
    await waitFor(() =>
      expect(screen.getByRole("textbox", { name: "Name" })).toHaveValue("Renewal value review"),
    );
    expect(router.state.location.search).toMatchObject({ playbook: RENEWAL });
  });

  it("is read-only for a CSM, who can still preview and complete runs", async () => {
    const { calls } = stubPlaybooks({ user: demoUser });
    renderApp("/playbooks");
    expect(await screen.findByTestId("readonly-note")).toHaveTextContent(
      "Only admins and leaders can change playbooks.",
    );
    expect(screen.getByRole("textbox", { name: "Name" })).toHaveAttribute("readonly");
    expect(bodyField()).toHaveAttribute("readonly");
    expect(screen.getByRole("combobox", { name: "Starts on" })).toBeDisabled();
    expect(screen.queryByRole("button", { name: "Save" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "+ Add step" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Move step 2 up" })).not.toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "+ New playbook" })).not.toBeInTheDocument();
    expect(await screen.findByTestId("preview-body")).toHaveTextContent("Hi Dana");
    expect(calls.previews.length).toBeGreaterThan(0);
    expect(
      await screen.findByRole("button", { name: "Complete the run for Acme Corp" }),
    ).toBeInTheDocument();
  });

  it("is read-only for a viewer, without Complete", async () => {
    stubPlaybooks({ user: viewer });
    renderApp("/playbooks");
    await screen.findByTestId("readonly-note");
    expect(await screen.findAllByTestId("run-row")).toHaveLength(1);
    expect(screen.queryByRole("button", { name: /^Complete the run/ })).not.toBeInTheDocument();
  });

  it("does not offer a new playbook to a viewer who opens its URL", async () => {
    stubPlaybooks({ user: viewer });
    renderApp("/playbooks?playbook=new");
    expect(
      await screen.findByText("Only admins and leaders can create playbooks"),
    ).toBeInTheDocument();
    expect(screen.queryByTestId("playbook-editor")).not.toBeInTheDocument();
  });

  it("says so when the URL names a playbook that does not exist", async () => {
    stubPlaybooks();
    renderApp("/playbooks?playbook=b0000000-0000-4000-8000-00000000ffff");
    expect(await screen.findByText("This playbook doesn't exist")).toBeInTheDocument();
  });

  it("shows an error with Retry when the library cannot load", async () => {
    stubApi({
      "GET /api/v1/auth/me": () => json(admin),
      "GET /api/v1/meta": () => json(demoMeta),
      "GET /api/v1/playbooks": () =>
        json({ type: "about:blank", title: "Server error", status: 500, detail: "Boom" }, 500),
      "GET /api/v1/playbooks/effectiveness": () => json([]),
      "GET /api/v1/accounts": () => json({ items: [], total: 0, page: 1, page_size: 10 }),
    });
    renderApp("/playbooks");
    expect(
      await screen.findByText("Couldn't load the playbooks", {}, { timeout: 4000 }),
    ).toBeVisible();
    expect(screen.getByRole("button", { name: "Retry" })).toBeInTheDocument();
  });
});
