import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { UserPublic } from "../../api/client";
import { TOKEN_KEY } from "../../api/token";
import {
  account as accountSummary,
  demoMeta,
  demoUser,
  json,
  pictureSections,
  renderApp,
  stubApi,
} from "../../test/utils";
import type { AlertPublic, PlaybookRun, QueueItem, QueuePage, Task } from "./queries";

const GLOBEX = "a0000000-0000-4000-8000-000000000002";
const ACME = "a0000000-0000-4000-8000-000000000001";
const HIGH_ALERT = "b0000000-0000-4000-8000-000000000001";
const MEDIUM_ALERT = "b0000000-0000-4000-8000-000000000002";
const LOW_ALERT = "b0000000-0000-4000-8000-000000000003";
const PLAYBOOK = "c0000000-0000-4000-8000-000000000001";
const RUN = "d0000000-0000-4000-8000-000000000001";

const EMAIL_BODY =
  "Hi Dana,\n\nI would like to set up a short call with you and your team this week.\n\nBest,\nDemo User";

const globex: QueueItem = {
  kind: "risk",
  rank: 1,
  value: 101_000,
  churn_probability: 0.42,
  saveable_fraction: 0.6,
  reason:
    "$400K ARR · health 38, churn risk · renewal in 74 days · $101K at stake · Health fell 20 points in 30 days",
  account: {
    id: GLOBEX,
    name: "Globex",
    owner_id: demoUser.id,
    owner_email: demoUser.email,
    segment: "Enterprise",
    arr: 400_000,
    health_score: 38,
    band: "at_risk",
    quadrant: "churn_risk",
    renewal_date: "2026-03-30",
    days_to_renewal: 74,
  },
  alerts: [
    {
      id: HIGH_ALERT,
      rule: "health_drop",
      severity: "high",
      status: "open",
      title: "Health fell 20 points in 30 days",
      opened_at: "2026-01-14T06:00:00Z",
    },
    {
      id: MEDIUM_ALERT,
      rule: "usage_decline",
      severity: "medium",
      status: "open",
      title: "Usage down 35% over four weeks",
      opened_at: "2026-01-12T06:00:00Z",
    },
  ],
  freshest_signal_at: "2026-01-15T06:00:00Z",
  play: {
    playbook_id: PLAYBOOK,
    key: "churn-risk-call",
    name: "Churn-risk call",
    tasks: ["Brief the VP of CS on Globex", "Call the executive sponsor"],
    email_subject: "Globex: our next 30 days together",
    email_body: EMAIL_BODY,
  },
};

const acme: QueueItem = {
  kind: "opportunity",
  rank: 2,
  value: 19_200,
  churn_probability: 0.2,
  saveable_fraction: 0.8,
  reason: "$120K ARR · health 82, champions · $19.2K expansion · Seat limit reached",
  account: {
    id: ACME,
    name: "Acme Corp",
    owner_id: demoUser.id,
    owner_email: demoUser.email,
    segment: "Mid-market",
    arr: 120_000,
    health_score: 82,
    band: "healthy",
    quadrant: "champions",
    renewal_date: null,
    days_to_renewal: null,
  },
  alerts: [
    {
      id: LOW_ALERT,
      rule: "seat_limit",
      severity: "low",
      status: "open",
      title: "Seat limit reached",
      opened_at: "2026-01-10T06:00:00Z",
    },
  ],
  freshest_signal_at: "2026-01-10T06:00:00Z",
  play: null,
};

function page(items: QueueItem[]): QueuePage {
  return {
    items,
    total: items.length,
    total_at_stake: items.filter((i) => i.kind === "risk").reduce((s, i) => s + i.value, 0),
    total_expansion: items.filter((i) => i.kind === "opportunity").reduce((s, i) => s + i.value, 0),
    page: 1,
    page_size: 25,
    probability_source: "default",
    scope: "mine",
  };
}

function task(overrides: Partial<Task> = {}): Task {
  return {
    id: "e0000000-0000-4000-8000-000000000001",
    account_id: GLOBEX,
    playbook_run_id: RUN,
    title: "Call the executive sponsor",
    assignee_id: demoUser.id,
    due_date: "2026-01-17",
    status: "open",
    completed_at: null,
    ...overrides,
  };
}

const runTasks: Task[] = [
  task({ id: "e0000000-0000-4000-8000-000000000011", title: "Brief the VP of CS on Globex" }),
  task({ id: "e0000000-0000-4000-8000-000000000012", title: "Call the executive sponsor" }),
];

function run(overrides: Partial<PlaybookRun> = {}): PlaybookRun {
  return {
    id: RUN,
    playbook_id: PLAYBOOK,
    account_id: GLOBEX,
    alert_id: HIGH_ALERT,
    status: "active",
    outcome: null,
    started_at: "2026-01-15T09:00:00Z",
    completed_at: null,
    health_at_start: 38,
    quadrant_at_start: "churn_risk",
    email_draft: { subject: globex.play?.email_subject, body: EMAIL_BODY },
    tasks: runTasks,
    ...overrides,
  };
}

function alertResult(id: string, overrides: Partial<AlertPublic> = {}): AlertPublic {
  return {
    id,
    account_id: GLOBEX,
    account_name: "Globex",
    owner_id: demoUser.id,
    arr: 400_000,
    rule: "health_drop",
    severity: "high",
    status: "acknowledged",
    title: "Health fell 20 points in 30 days",
    facts: {},
    opened_at: "2026-01-14T06:00:00Z",
    acknowledged_at: "2026-01-15T10:00:00Z",
    snoozed_until: null,
    resolved_at: null,
    resolved_reason: null,
    last_evaluated_at: null,
    ...overrides,
  };
}

interface Sent {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

function stubToday(
  options: {
    user?: UserPublic;
    queue?: QueuePage;
    myTasks?: Task[];
    start?: () => Response;
    runs?: PlaybookRun[];
    routes?: Record<string, (request: Request) => Response | Promise<Response>>;
  } = {},
) {
  const sent: Sent[] = [];
  const record = async (request: Request) => {
    const url = new URL(request.url);
    const text = request.method === "GET" ? "" : await request.clone().text();
    sent.push({
      method: request.method,
      path: url.pathname,
      query: url.searchParams,
      body: text ? JSON.parse(text) : undefined,
    });
  };
  const alertRoute =
    (id: string) =>
    async (request: Request): Promise<Response> => {
      await record(request);
      const action = new URL(request.url).pathname.split("/").at(-1);
      if (action === "snooze") {
        const body = sent.at(-1)?.body as { until: string };
        return json(alertResult(id, { status: "snoozed", snoozed_until: body.until }));
      }
      if (action === "resolve") return json(alertResult(id, { status: "resolved" }));
      return json(alertResult(id));
    };
  const routes: Record<string, (request: Request) => Promise<Response>> = {
    "GET /api/v1/auth/me": async () => json(options.user ?? demoUser),
    "GET /api/v1/meta": async () => json(demoMeta),
    "GET /api/v1/queue": async (request) => {
      await record(request);
      return json(options.queue ?? page([globex, acme]));
    },
    "GET /api/v1/tasks": async (request) => {
      await record(request);
      return json(options.myTasks ?? []);
    },
    "GET /api/v1/playbooks/runs": async (request) => {
      await record(request);
      return json(options.runs ?? []);
    },
    [`POST /api/v1/playbooks/${PLAYBOOK}/runs`]: async (request) => {
      await record(request);
      return options.start ? options.start() : json(run(), 201);
    },
  };
  for (const id of [HIGH_ALERT, MEDIUM_ALERT, LOW_ALERT]) {
    for (const action of ["ack", "snooze", "resolve"]) {
      routes[`POST /api/v1/alerts/${id}/${action}`] = alertRoute(id);
    }
  }
  for (const t of [...runTasks, ...(options.myTasks ?? [])]) {
    routes[`PATCH /api/v1/tasks/${t.id}`] = async (request) => {
      await record(request);
      const body = sent.at(-1)?.body as { status: Task["status"] };
      return json({ ...t, status: body.status });
    };
  }
  for (const [key, handler] of Object.entries(options.routes ?? {})) {
    routes[key] = async (request) => {
      await record(request);
      return handler(request);
    };
  }
  const spy = stubApi(routes);
  const count = (method: string, path: string) =>
    sent.filter((s) => s.method === method && s.path === path).length;
  return { sent, spy, count };
}

async function openItem(user: ReturnType<typeof userEvent.setup>, name: string) {
  await user.click(await screen.findByRole("button", { name: `Show details for ${name}` }));
  return screen.getByTestId("queue-details");
}

describe("Today", () => {
  beforeEach(() => {
    window.localStorage.setItem(TOKEN_KEY, "test-token");
  });

  it("shows admins and leaders the sources that stopped sending, and CSMs nothing", async () => {
    const stale = {
      items: [
        {
          id: "e0000000-0000-4000-8000-000000000001",
          account_id: null,
          rule: "data_stale",
          severity: "medium",
          status: "open",
          title: "HubSpot has sent nothing for 12 days",
          facts: { source: "hubspot", last_received_at: "2026-11-23T09:00:00Z" },
        },
      ],
      total: 1,
      page: 1,
      page_size: 20,
    };
    const { count } = stubToday({
      user: { ...demoUser, role: "admin" },
      routes: { "GET /api/v1/alerts": () => json(stale) },
    });
    const { unmount } = renderApp("/today");
    const notice = await screen.findByRole("region", { name: "Stale data sources" });
    expect(notice).toHaveTextContent("A data source has stopped sending");
    expect(within(notice).getByTestId("stale-source")).toHaveTextContent(
      "HubSpot has sent nothing for 12 days (last data Nov 23, 2026)",
    );
    expect(within(notice).getByRole("link", { name: "Check the sources →" })).toHaveAttribute(
      "href",
      "/sources",
    );
    unmount();

    const csm = stubToday({ routes: { "GET /api/v1/alerts": () => json(stale) } });
    renderApp("/today");
    await screen.findAllByTestId("queue-item");
    expect(screen.queryByRole("region", { name: "Stale data sources" })).toBeNull();
    expect(csm.count("GET", "/api/v1/alerts")).toBe(0);
    expect(count("GET", "/api/v1/alerts")).toBe(1);
  });

  it("lists the queue in rank order with the reason, value, health and alerts", async () => {
    const { sent } = stubToday();
    renderApp("/today");

    expect(await screen.findByRole("heading", { name: "Today", level: 1 })).toBeInTheDocument();
    const items = await screen.findAllByTestId("queue-item");
    expect(items).toHaveLength(2);
    const [first, second] = items as [HTMLElement, HTMLElement];

    expect(within(first).getByTestId("queue-rank")).toHaveTextContent("Rank 1");
    expect(within(first).getByRole("link", { name: "Globex" })).toHaveAttribute(
      "href",
      `/accounts/${GLOBEX}`,
    );
    expect(within(first).getByTestId("queue-reason")).toHaveTextContent(
      "$400K ARR · health 38, churn risk · renewal in 74 days · $101K at stake",
    );
    expect(within(first).getByTestId("queue-value")).toHaveTextContent("$101K");
    expect(first).toHaveTextContent("at stake");
    expect(first).toHaveTextContent("38At risk");
    expect(first).toHaveTextContent("Churn Risk");
    expect(within(first).getByTestId("queue-renewal")).toHaveTextContent("Renews in 74 d");
    expect(within(first).getByTestId("play-pill")).toHaveTextContent("Churn-risk call");
    const chips = within(first).getAllByTestId("alert-chip");
    expect(chips.map((c) => c.textContent)).toEqual([
      "High severity: Health fell 20 points in 30 days",
      "Medium severity: Usage down 35% over four weeks",
    ]);
    expect(chips[0]).toHaveClass("alert-chip-red");

    expect(within(second).getByTestId("queue-rank")).toHaveTextContent("Rank 2");
    expect(within(second).getByRole("link", { name: "Acme Corp" })).toBeInTheDocument();
    expect(within(second).getByTestId("queue-value")).toHaveTextContent("$19.2K");
    expect(second).toHaveTextContent("expansion");
    expect(second).toHaveTextContent("Opportunity");
    expect(within(second).getByTestId("queue-renewal")).toHaveTextContent("No renewal date");

    expect(screen.getByTestId("total-at-stake")).toHaveTextContent("$101K");
    // The sum over the queue's risks, not the book's revenue at risk.
    const stake = screen.getByTestId("total-at-stake").parentElement as HTMLElement;
    expect(stake).toHaveTextContent("ARR at stake on this list");
    expect(stake).toHaveAttribute(
      "title",
      expect.stringContaining("a part of the book's revenue at risk, not all of it"),
    );
    expect(screen.getByTestId("probability-source")).toHaveTextContent("default curve");
    expect(screen.getByTestId("queue-total")).toHaveTextContent("2items");
    // A CSM sees their own book by default: the server decides, the toggle shows it.
    expect(sent.find((s) => s.path === "/api/v1/queue")?.query.get("scope")).toBeNull();
    expect(screen.getByRole("button", { name: "Mine" })).toHaveAttribute("aria-pressed", "true");
    // Today is built: no "soon" badge in the navigation.
    expect(
      within(screen.getByRole("navigation", { name: "Main" })).getByRole("link", {
        name: "Today",
      }),
    ).toHaveTextContent(/^Today$/);
  });

  it("keeps scope, kind and the expanded item in the URL", async () => {
    const user = userEvent.setup();
    const { sent } = stubToday();
    const { router } = renderApp("/today");
    await screen.findAllByTestId("queue-item");

    await user.click(screen.getByRole("button", { name: "Team" }));
    await waitFor(() => expect(sent.at(-1)?.query.get("scope")).toBe("team"));
    expect(screen.getByRole("button", { name: "Team" })).toHaveAttribute("aria-pressed", "true");
    await user.click(screen.getByRole("button", { name: "Everyone" }));
    await waitFor(() => expect(sent.at(-1)?.query.get("scope")).toBe("all"));

    await user.click(screen.getByRole("button", { name: "Risks" }));
    await waitFor(() => expect(sent.at(-1)?.query.get("kind")).toBe("risk"));
    expect(router.state.location.search).toEqual({ scope: "all", kind: "risk" });

    await openItem(user, "Globex");
    expect(router.state.location.search).toEqual({
      scope: "all",
      kind: "risk",
      item: `risk-${GLOBEX}`,
    });
    expect(screen.getByRole("button", { name: "Hide details for Globex" })).toHaveAttribute(
      "aria-expanded",
      "true",
    );
  });

  it("opens the item named in the URL", async () => {
    stubToday();
    renderApp(`/today?item=risk-${GLOBEX}`);
    const details = await screen.findByTestId("queue-details");
    expect(within(details).getByText("Owner")).toBeInTheDocument();
    expect(details).toHaveTextContent(demoUser.email);
    expect(details).toHaveTextContent("42%");
    expect(within(details).getByRole("textbox", { name: "Subject" })).toHaveValue(
      "Globex: our next 30 days together",
    );
    expect(within(details).getByRole("textbox", { name: "Email" })).toHaveValue(EMAIL_BODY);
    expect(within(details).getByRole("textbox", { name: "Email" })).toHaveAttribute("readonly");
    expect(
      within(details).getByRole("list", { name: "Tasks this play creates" }),
    ).toHaveTextContent("Brief the VP of CS on GlobexCall the executive sponsor");
  });

  it("acknowledges an alert and refreshes the queue", async () => {
    const user = userEvent.setup();
    const { sent, count } = stubToday();
    renderApp("/today");
    await screen.findAllByTestId("queue-item");
    const details = await openItem(user, "Globex");
    const loads = count("GET", "/api/v1/queue");

    const alerts = within(details).getAllByTestId("queue-alert");
    await user.click(within(alerts[1] as HTMLElement).getByRole("button", { name: "Acknowledge" }));

    await waitFor(() =>
      expect(sent.some((s) => s.path === `/api/v1/alerts/${MEDIUM_ALERT}/ack`)).toBe(true),
    );
    const ack = sent.find((s) => s.path === `/api/v1/alerts/${MEDIUM_ALERT}/ack`);
    expect(ack?.method).toBe("POST");
    expect(sent.some((s) => s.path === `/api/v1/alerts/${HIGH_ALERT}/ack`)).toBe(false);
    expect(await within(alerts[1] as HTMLElement).findByText("Acknowledged")).toBeInTheDocument();
    await waitFor(() => expect(count("GET", "/api/v1/queue")).toBeGreaterThan(loads));
  });

  it("snoozes an alert for 7 days", async () => {
    const user = userEvent.setup();
    const { sent, count } = stubToday();
    renderApp("/today");
    await screen.findAllByTestId("queue-item");
    const details = await openItem(user, "Globex");
    const loads = count("GET", "/api/v1/queue");

    const first = within(details).getAllByTestId("queue-alert")[0] as HTMLElement;
    await user.click(within(first).getByRole("button", { name: "Snooze…" }));
    const before = Date.now();
    await user.click(within(first).getByRole("button", { name: "7 days" }));

    await waitFor(() =>
      expect(sent.some((s) => s.path === `/api/v1/alerts/${HIGH_ALERT}/snooze`)).toBe(true),
    );
    const body = sent.find((s) => s.path === `/api/v1/alerts/${HIGH_ALERT}/snooze`)?.body as {
      until: string;
    };
    const ahead = Date.parse(body.until) - before;
    const week = 7 * 86_400_000;
    expect(Math.abs(ahead - week)).toBeLessThan(60_000);
    expect(await within(first).findByText(/^Snoozed until /)).toBeInTheDocument();
    await waitFor(() => expect(count("GET", "/api/v1/queue")).toBeGreaterThan(loads));
  });

  it("resolves an alert with a reason", async () => {
    const user = userEvent.setup();
    const { sent } = stubToday();
    renderApp("/today");
    await screen.findAllByTestId("queue-item");
    const details = await openItem(user, "Globex");
    const first = within(details).getAllByTestId("queue-alert")[0] as HTMLElement;
    await user.click(within(first).getByRole("button", { name: "Resolve…" }));
    await user.type(within(first).getByRole("textbox", { name: "Reason (optional)" }), "Fixed");
    await user.click(within(first).getByRole("button", { name: "Resolve alert" }));
    await waitFor(() =>
      expect(sent.find((s) => s.path === `/api/v1/alerts/${HIGH_ALERT}/resolve`)?.body).toEqual({
        reason: "Fixed",
      }),
    );
    expect(await within(first).findByText("Resolved")).toBeInTheDocument();
  });

  it("starts the play with the top alert and shows its tasks to tick off", async () => {
    const user = userEvent.setup();
    const { sent } = stubToday();
    renderApp("/today");
    await screen.findAllByTestId("queue-item");
    const details = await openItem(user, "Globex");

    await user.click(within(details).getByRole("button", { name: "Start play" }));
    await waitFor(() =>
      expect(sent.find((s) => s.path === `/api/v1/playbooks/${PLAYBOOK}/runs`)?.body).toEqual({
        account_id: GLOBEX,
        alert_id: HIGH_ALERT,
      }),
    );
    expect(await within(details).findByTestId("play-started")).toHaveTextContent(
      "Play started · 2 tasks created",
    );
    const list = within(details).getByRole("list", { name: "Tasks of Churn-risk call" });
    const boxes = within(list).getAllByRole("checkbox");
    expect(boxes).toHaveLength(2);
    expect(within(details).queryByRole("button", { name: "Start play" })).not.toBeInTheDocument();
    expect(within(details).getByRole("link", { name: "Open Globex →" })).toHaveAttribute(
      "href",
      `/accounts/${GLOBEX}`,
    );

    const call = within(list).getByRole("checkbox", { name: "Call the executive sponsor" });
    await user.click(call);
    // Ticked at once, while the request runs.
    expect(call).toBeChecked();
    await waitFor(() =>
      expect(
        sent.find((s) => s.method === "PATCH" && s.path === `/api/v1/tasks/${runTasks[1]?.id}`)
          ?.body,
      ).toEqual({ status: "done" }),
    );
    await waitFor(() => expect(call).toBeChecked());
    expect(call).toBeEnabled();
  });

  it("explains when the play already runs and shows the running play's tasks", async () => {
    const user = userEvent.setup();
    stubToday({
      start: () =>
        json(
          {
            type: "about:blank",
            title: "Conflict",
            status: 409,
            detail: `Churn-risk call is already running for this account (run ${RUN})`,
          },
          409,
        ),
      runs: [run({ started_at: "2026-01-14T06:00:00Z" })],
    });
    renderApp("/today");
    await screen.findAllByTestId("queue-item");
    const details = await openItem(user, "Globex");
    await user.click(within(details).getByRole("button", { name: "Start play" }));

    expect(await within(details).findByTestId("play-conflict")).toHaveTextContent(
      "Churn-risk call is already running for Globex",
    );
    expect(within(details).queryByRole("alert")).not.toBeInTheDocument();
    const list = await within(details).findByRole("list", { name: "Tasks of Churn-risk call" });
    expect(within(list).getAllByRole("checkbox")).toHaveLength(2);
    expect(within(details).getByTestId("play-conflict")).toHaveTextContent("(since Jan 14, 2026)");
  });

  it("shows other start errors as a problem", async () => {
    const user = userEvent.setup();
    stubToday({
      start: () =>
        json({ type: "about:blank", title: "Forbidden", status: 403, detail: "Not allowed" }, 403),
    });
    renderApp("/today");
    await screen.findAllByTestId("queue-item");
    const details = await openItem(user, "Globex");
    await user.click(within(details).getByRole("button", { name: "Start play" }));
    expect(await within(details).findByRole("alert")).toHaveTextContent(
      "Couldn't start the play: Not allowed",
    );
  });

  it("copies the drafted email", async () => {
    const user = userEvent.setup();
    const writeText = vi.spyOn(navigator.clipboard, "writeText");
    stubToday();
    renderApp("/today");
    await screen.findAllByTestId("queue-item");
    const details = await openItem(user, "Globex");
    await user.click(within(details).getByRole("button", { name: "Copy email" }));
    // No contact to write to: the subject and the body.
    const copied = `Subject: Globex: our next 30 days together\n\n${EMAIL_BODY}`;
    expect(writeText).toHaveBeenCalledWith(copied);
    expect(await within(details).findByText("Copied")).toBeInTheDocument();
    expect(await navigator.clipboard.readText()).toBe(copied);
  });

  it("hides the actions from a viewer", async () => {
    const user = userEvent.setup();
    stubToday({
      user: { ...demoUser, role: "viewer" },
      queue: { ...page([globex, acme]), scope: "all" },
    });
    renderApp("/today");
    await screen.findAllByTestId("queue-item");
    expect(await screen.findByText(/Your role can see the queue but not act on it/)).toBeVisible();
    // Not a CSM: the server answers everyone's queue, and the toggle says so.
    expect(screen.getByRole("button", { name: "Everyone" })).toHaveAttribute(
      "aria-pressed",
      "true",
    );
    const details = await openItem(user, "Globex");
    expect(within(details).getAllByTestId("queue-alert")).toHaveLength(2);
    for (const name of ["Acknowledge", "Snooze…", "Resolve…", "Start play"]) {
      expect(within(details).queryByRole("button", { name })).not.toBeInTheDocument();
    }
    // Reading and copying the email is still fine.
    expect(within(details).getByRole("button", { name: "Copy email" })).toBeEnabled();
  });

  it("shows the expected expansion on the Opportunities tab, not ARR at stake", async () => {
    const user = userEvent.setup();
    stubToday({
      routes: {
        "GET /api/v1/queue": (request) =>
          json(
            new URL(request.url).searchParams.get("kind") === "opportunity"
              ? page([acme])
              : page([globex, acme]),
          ),
      },
    });
    renderApp("/today");
    // All: both totals, each over its own kind of item.
    await waitFor(() => expect(screen.getByTestId("total-expansion")).toHaveTextContent("$19.2K"));
    expect(screen.getByTestId("total-at-stake")).toHaveTextContent("$101K");

    await user.click(screen.getByRole("button", { name: "Opportunities" }));
    await waitFor(() => expect(screen.queryByTestId("total-at-stake")).not.toBeInTheDocument());
    const expansion = screen.getByTestId("total-expansion");
    expect(expansion).toHaveTextContent("$19.2K");
    expect(expansion.parentElement).toHaveTextContent("Expected expansion");
    expect(expansion.parentElement).toHaveAttribute(
      "title",
      expect.stringContaining("expected expansion ARR"),
    );

    await user.click(screen.getByRole("button", { name: "Risks" }));
    await waitFor(() => expect(screen.queryByTestId("total-expansion")).not.toBeInTheDocument());
    expect(screen.getByTestId("total-at-stake")).toBeInTheDocument();
  });

  it("says when nothing needs attention", async () => {
    stubToday({ queue: page([]) });
    renderApp("/today");
    expect(await screen.findByText("Nothing needs you today")).toBeInTheDocument();
    expect(screen.getByText(/Switch to Team or Everyone to see more/)).toBeInTheDocument();
    expect(screen.getByTestId("total-at-stake")).toHaveTextContent("$0");
  });

  it("shows an error with a retry when the queue fails", async () => {
    const user = userEvent.setup();
    let fail = true;
    stubApi({
      "GET /api/v1/auth/me": () => json(demoUser),
      "GET /api/v1/meta": () => json(demoMeta),
      "GET /api/v1/tasks": () => json([]),
      "GET /api/v1/queue": () =>
        fail
          ? json({ type: "about:blank", title: "Server error", status: 500, detail: "Boom" }, 500)
          : json(page([globex])),
    });
    renderApp("/today");
    expect(await screen.findByText("Couldn't load the queue")).toBeInTheDocument();
    expect(screen.getByText("Boom")).toBeInTheDocument();
    fail = false;
    await user.click(screen.getByRole("button", { name: "Retry" }));
    expect(await screen.findAllByTestId("queue-item")).toHaveLength(1);
  });

  it("lists my tasks with overdue ones highlighted, and completes one", async () => {
    const user = userEvent.setup();
    const overdue = task({
      id: "e0000000-0000-4000-8000-000000000021",
      title: "Send the renewal quote",
      due_date: "2026-01-10",
    });
    const later = task({
      id: "e0000000-0000-4000-8000-000000000022",
      title: "Review the plan's progress",
      account_id: "a0000000-0000-4000-8000-000000000099",
      due_date: "2026-02-14",
    });
    const unnamed = task({
      id: "e0000000-0000-4000-8000-000000000023",
      title: "Call the sponsor",
      account_id: "a0000000-0000-4000-8000-000000000098",
      account_name: "Initech",
      due_date: "2026-02-15",
    });
    const { sent } = stubToday({ myTasks: [overdue, later, unnamed] });
    renderApp("/today");

    const card = await screen.findByRole("region", { name: "My tasks" });
    await waitFor(() => expect(within(card).getAllByTestId("task")).toHaveLength(3));
    expect(sent.find((s) => s.path === "/api/v1/tasks")?.query.get("mine")).toBe("true");
    expect(within(card).getByTestId("my-tasks-count")).toHaveTextContent("3 open · 1 overdue");
    const [first, second, third] = within(card).getAllByTestId("task") as [
      HTMLElement,
      HTMLElement,
      HTMLElement,
    ];
    expect(first).toHaveClass("task-overdue");
    expect(first).toHaveTextContent("Overdue · Jan 10, 2026");
    expect(second).not.toHaveClass("task-overdue");
    expect(second).toHaveTextContent("Due Feb 14, 2026");
    // Account names come from the queue when it lists the account.
    await waitFor(() =>
      expect(within(first).getByRole("link", { name: "Globex" })).toHaveAttribute(
        "href",
        `/accounts/${GLOBEX}`,
      ),
    );
    expect(within(second).getByRole("link", { name: "Open account" })).toBeInTheDocument();
    // ... or from the task itself (tasks:list names the account).
    expect(within(third).getByRole("link", { name: "Initech" })).toHaveAttribute(
      "href",
      "/accounts/a0000000-0000-4000-8000-000000000098",
    );

    const box = within(first).getByRole("checkbox", { name: "Send the renewal quote" });
    await user.click(box);
    await waitFor(() => expect(box).toBeChecked());
    expect(
      sent.find((s) => s.method === "PATCH" && s.path === `/api/v1/tasks/${overdue.id}`)?.body,
    ).toEqual({ status: "done" });
    expect(first).toHaveClass("task-done");
    expect(within(card).getByTestId("my-tasks-count")).toHaveTextContent("2 open");
  });
});

// ---------- The item's context, a play that runs, writing to the contact, logging work ----------

const DANA = "c2000000-0000-4000-8000-000000000001";
const ELI = "c2000000-0000-4000-8000-000000000002";
const GLOBEX_PATH = `/api/v1/accounts/${GLOBEX}`;

type QueueContext = NonNullable<QueueItem["context"]>;

const MONDAYS = [
  "2025-10-20",
  "2025-10-27",
  "2025-11-03",
  "2025-11-10",
  "2025-11-17",
  "2025-11-24",
  "2025-12-01",
  "2025-12-08",
  "2025-12-15",
  "2025-12-22",
  "2025-12-29",
  "2026-01-05",
];

const globexContext: QueueContext = {
  open_tickets: 6,
  tickets: [
    {
      id: "e1000000-0000-4000-8000-000000000001",
      source_id: "ZD-4411",
      subject: "Exports fail for EU users",
      priority: 1,
      opened_at: "2026-01-03T09:00:00Z",
      age_days: 12,
      escalated: true,
    },
    {
      id: "e1000000-0000-4000-8000-000000000002",
      source_id: "ZD-4420",
      subject: null,
      priority: 3,
      opened_at: "2026-01-15T08:00:00Z",
      age_days: 0,
      escalated: false,
    },
  ],
  stakeholders: [
    {
      id: DANA,
      name: "Dana Diaz",
      email: "dana@globex.example",
      title: "VP Operations",
      role: "champion",
      is_primary: true,
    },
    {
      id: ELI,
      name: "Eli Ek",
      email: "eli@globex.example",
      title: null,
      role: "executive_sponsor",
      is_primary: false,
    },
  ],
  last_touches: [
    {
      kind: "qbr",
      occurred_at: "2025-12-02T15:00:00Z",
      summary: "Renewal on track; wants SSO",
      sentiment: "positive",
      by: "Demo User",
    },
  ],
  usage: {
    weeks: MONDAYS,
    active_users: [40, 42, 41, 39, 38, 36, 33, 30, 28, 27, 26, 26],
    change: -0.32,
  },
  contract: {
    plan: "Enterprise",
    arr: 400_000,
    contract_start: "2024-03-30",
    renewal_date: "2026-03-30",
    renewal_term: "annual",
    seats_purchased: 120,
    seat_limit: 150,
  },
};

function globexWith(
  overrides: Partial<QueueItem>,
  play: Partial<NonNullable<QueueItem["play"]>> = {},
) {
  return {
    ...globex,
    ...overrides,
    play: globex.play ? { ...globex.play, ...play } : null,
  } as QueueItem;
}

/** Globex's picture as the Log work dialog reads it: its contacts, Eli listed first. */
const globexPicture = {
  ...accountSummary({ id: GLOBEX, name: "Globex", last_touch_on: "2026-01-02" }),
  domains: [],
  industry: null,
  acquisition_channel: null,
  signup_date: null,
  onboarding_completed_at: null,
  seats_purchased: 120,
  seat_limit: 150,
  api_call_limit: null,
  contract_start: null,
  tags: [],
  contacts: [
    {
      id: ELI,
      name: "Eli Ek",
      email: "eli@globex.example",
      title: null,
      role: null,
      is_primary: false,
    },
    {
      id: DANA,
      name: "Dana Diaz",
      email: "dana@globex.example",
      title: "VP Operations",
      role: "champion",
      is_primary: true,
    },
  ],
  ...pictureSections(),
};

describe("Today's item", () => {
  beforeEach(() => {
    window.localStorage.setItem(TOKEN_KEY, "test-token");
  });

  it("shows the account's context: owner, usage, tickets, people, last touches, contract", async () => {
    const item = globexWith({
      account: { ...globex.account, owner_name: "Demo User" },
      context: globexContext,
      alerts: [
        { ...globex.alerts[0], facts: { health: 38, health_before: 58.4, drop: 20.4 } },
        globex.alerts[1],
      ] as QueueItem["alerts"],
    });
    stubToday({ queue: page([item, acme]) });
    renderApp(`/today?item=risk-${GLOBEX}`);
    const details = await screen.findByTestId("queue-details");

    const owner = within(details).getByText("Owner").nextElementSibling as HTMLElement;
    expect(within(owner).getByTitle(demoUser.email)).toHaveTextContent("Demo User");

    const usage = within(details).getByRole("region", { name: "Usage" });
    expect(within(usage).getByTestId("usage-sparkline")).toHaveAccessibleName(
      "Active users per week, Oct 20, 2025 to Jan 5, 2026: 40, 42, 41, 39, 38, 36, 33, 30, 28, 27, 26, 26",
    );
    expect(within(usage).getByTestId("usage-latest")).toHaveTextContent(
      "26 active users last week",
    );
    expect(within(usage).getByTestId("usage-change")).toHaveTextContent(
      "\u221232% vs the 4 weeks before",
    );
    expect(within(usage).getByTestId("usage-change")).toHaveClass("negative");

    const tickets = within(details).getByRole("region", { name: "Tickets" });
    expect(tickets).toHaveTextContent("6 open");
    expect(
      within(tickets)
        .getAllByTestId("ctx-ticket")
        .map((t) => t.textContent),
    ).toEqual(["P1Exports fail for EU usersescalated · 12 d", "P3ZD-4420today"]);
    expect(tickets).toHaveTextContent("+4 more");

    const people = within(details).getByRole("region", { name: "People" });
    const [dana, eli] = within(people).getAllByTestId("ctx-person") as [HTMLElement, HTMLElement];
    expect(dana).toHaveTextContent("Dana Diaz (dana@globex.example)PrimaryVP Operations");
    expect(within(dana).getByTitle("dana@globex.example")).toHaveTextContent("Dana Diaz");
    expect(eli).toHaveTextContent("Eli Ek (eli@globex.example)Executive sponsor");
    expect(eli).not.toHaveTextContent("Primary");

    const touches = within(details).getByRole("region", { name: "Last touches" });
    expect(within(touches).getByTestId("ctx-touch")).toHaveTextContent(
      "QBRDec 2, 2025 · Demo UserRenewal on track; wants SSO",
    );

    const contract = within(details).getByRole("region", { name: "Contract" });
    const rows = [...contract.querySelectorAll("dt")].map(
      (dt) => `${dt.textContent}=${dt.nextElementSibling?.textContent}`,
    );
    expect(rows).toEqual([
      "Plan=Enterprise",
      "ARR=$400,000",
      "Since=Mar 30, 2024",
      "Renews=Mar 30, 2026",
      "Term=Annual",
      "Seats=120 bought · limit 150",
    ]);

    // Every alert of the item, with the facts it fired on when the server sends them.
    const alerts = within(details).getByRole("region", { name: "Alerts" });
    expect(alerts).toHaveTextContent("2 alerts");
    const [drop, usageAlert] = within(alerts).getAllByTestId("queue-alert") as [
      HTMLElement,
      HTMLElement,
    ];
    expect(drop).toHaveTextContent("Health fell 20 points in 30 days");
    expect(within(drop).getByTestId("queue-alert-facts")).toHaveTextContent(
      "Health38Health before58Drop20.4 points",
    );
    expect(usageAlert).toHaveTextContent("Usage down 35% over four weeks");
    expect(within(usageAlert).queryByTestId("queue-alert-facts")).not.toBeInTheDocument();
  });

  it("shows how far a running play is, with its tasks to tick, and no Start", async () => {
    const user = userEvent.setup();
    const item = globexWith(
      {},
      {
        running: {
          run_id: RUN,
          started_at: "2026-01-14T06:00:00Z",
          tasks_done: 1,
          tasks_total: 2,
          next_task: "Call the executive sponsor",
          next_due: "2026-01-17",
        },
      },
    );
    const tasks = [
      { ...(runTasks[0] as Task), status: "done" as const, completed_at: "2026-01-14T10:00:00Z" },
      runTasks[1] as Task,
    ];
    const { sent } = stubToday({
      queue: page([item, acme]),
      runs: [run({ tasks, started_at: "2026-01-14T06:00:00Z" })],
    });
    renderApp(`/today?item=risk-${GLOBEX}`);
    const details = await screen.findByTestId("queue-details");

    expect(within(details).getByRole("heading", { name: "Running play" })).toBeInTheDocument();
    expect(within(details).getByTestId("play-progress")).toHaveTextContent(
      "Running since Jan 14, 2026 · 1 of 2 tasks done · next: Call the executive sponsor (due Jan 17, 2026)",
    );
    expect(within(details).queryByRole("button", { name: "Start play" })).not.toBeInTheDocument();
    expect(
      within(details).queryByRole("list", { name: "Tasks this play creates" }),
    ).not.toBeInTheDocument();
    const list = await within(details).findByRole("list", { name: "Tasks of Churn-risk call" });
    expect(sent.find((s) => s.path === "/api/v1/playbooks/runs")?.query.get("account_id")).toBe(
      GLOBEX,
    );
    expect(
      within(list).getByRole("checkbox", { name: "Brief the VP of CS on Globex" }),
    ).toBeChecked();

    await user.click(within(list).getByRole("checkbox", { name: "Call the executive sponsor" }));
    await waitFor(() =>
      expect(within(details).getByTestId("play-progress")).toHaveTextContent(
        "Running since Jan 14, 2026 · 2 of 2 tasks done · every task done",
      ),
    );
  });

  it("writes the email to the contact: To above the subject, copied whole, or opened in the mail app", async () => {
    const user = userEvent.setup();
    const writeText = vi.spyOn(navigator.clipboard, "writeText");
    const item = globexWith({}, { email_to: "dana@globex.example", email_to_name: "Dana Diaz" });
    stubToday({ queue: page([item, acme]) });
    renderApp(`/today?item=risk-${GLOBEX}`);
    const details = await screen.findByTestId("queue-details");

    const fields = within(details)
      .getAllByRole("textbox")
      .filter((f) => f.closest(".email-draft"))
      .map((f) => f.closest("label")?.querySelector(".field-label")?.textContent);
    expect(fields).toEqual(["To", "Subject", "Email"]);
    expect(within(details).getByRole("textbox", { name: "To" })).toHaveValue(
      "Dana Diaz <dana@globex.example>",
    );

    await user.click(within(details).getByRole("button", { name: "Copy email" }));
    expect(writeText).toHaveBeenCalledWith(
      `To: Dana Diaz <dana@globex.example>\nSubject: Globex: our next 30 days together\n\n${EMAIL_BODY}`,
    );
    expect(within(details).getByRole("link", { name: "Open in mail app" })).toHaveAttribute(
      "href",
      "mailto:dana@globex.example?subject=Globex%3A%20our%20next%2030%20days%20together&body=Hi%20Dana%2C%0D%0A%0D%0AI%20would%20like%20to%20set%20up%20a%20short%20call%20with%20you%20and%20your%20team%20this%20week.%0D%0A%0D%0ABest%2C%0D%0ADemo%20User",
    );
  });

  it("logs work on the item's account from its details, and refreshes the queue", async () => {
    const user = userEvent.setup();
    let posted = false;
    const { sent, count } = stubToday({
      routes: {
        [`GET ${GLOBEX_PATH}`]: () =>
          json(posted ? { ...globexPicture, last_touch_on: "2026-01-15" } : globexPicture),
        [`POST ${GLOBEX_PATH}/touchpoints`]: () => {
          posted = true;
          return json(
            {
              id: "70000000-0000-4000-8000-000000000001",
              account_id: GLOBEX,
              source_id: "tempo:70000000-0000-4000-8000-000000000001",
              kind: "call",
              occurred_at: "2026-01-15T09:12:00Z",
              sentiment: null,
              summary: "Sponsor is on board",
              contact_ids: [DANA],
              csm_id: demoUser.id,
              csm_email: demoUser.email,
              created_at: "2026-01-15T09:12:01Z",
            },
            201,
          );
        },
      },
    });
    renderApp("/today");
    await screen.findAllByTestId("queue-item");
    const details = await openItem(user, "Globex");
    const loads = count("GET", "/api/v1/queue");

    await user.click(within(details).getByRole("button", { name: /^Log work/ }));
    const dialog = screen.getByRole("dialog", { name: "Log work · Globex" });
    await user.click(await within(dialog).findByRole("checkbox", { name: /Dana Diaz/ }));
    await user.type(within(dialog).getByRole("textbox", { name: "Notes" }), "Sponsor is on board");
    await user.click(within(dialog).getByRole("button", { name: "Log call" }));

    expect(await within(details).findByTestId("touch-logged")).toHaveTextContent(
      "Call logged · Jan 15, 2026 · 1 contact",
    );
    expect(
      sent.find((s) => s.method === "POST" && s.path === `${GLOBEX_PATH}/touchpoints`)?.body,
    ).toEqual({
      kind: "call",
      contact_ids: [DANA],
      summary: "Sponsor is on board",
    });
    await waitFor(() => expect(count("GET", "/api/v1/queue")).toBeGreaterThan(loads));
    await waitFor(() => expect(count("GET", GLOBEX_PATH)).toBe(2));
  });

  it("opens Log work with L on the open item, not while typing", async () => {
    const user = userEvent.setup();
    stubToday({ routes: { [`GET ${GLOBEX_PATH}`]: () => json(globexPicture) } });
    renderApp("/today");
    await screen.findAllByTestId("queue-item");
    // No item open: L does nothing.
    await user.keyboard("l");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();

    const details = await openItem(user, "Globex");
    const first = within(details).getAllByTestId("queue-alert")[0] as HTMLElement;
    await user.click(within(first).getByRole("button", { name: "Resolve…" }));
    const reason = within(first).getByRole("textbox", { name: "Reason (optional)" });
    await user.type(reason, "l");
    expect(reason).toHaveValue("l");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();

    reason.blur();
    await user.keyboard("l");
    expect(screen.getByRole("dialog", { name: "Log work · Globex" })).toBeInTheDocument();
  });
});
