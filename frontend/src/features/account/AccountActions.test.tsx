import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Schemas, UserPublic } from "../../api/client";
import { TOKEN_KEY } from "../../api/token";
import { demoUser, json, renderApp } from "../../test/utils";
import {
  ACCOUNT_ID,
  ACCOUNT_PATH,
  ALERT_ACKED,
  ALERT_HIGH,
  fullPicture,
  NOTE_MINE,
  PLAYBOOK_ESCALATION,
  PLAYBOOK_OLD,
  PLAYBOOK_QBR,
  stubPicture,
  TASK_OVERDUE,
} from "./pictureFixture";

vi.mock("../../ui/Chart", () => ({
  Chart: ({ label }: { label: string }) => <div role="img" aria-label={label} />,
}));

type Playbook = Schemas["PlaybookPublic"];

function playbook(id: string, name: string, is_active = true): Playbook {
  return {
    id,
    key: name.toLowerCase().replace(/\W+/g, "_"),
    name,
    description: null,
    trigger_type: "manual",
    trigger_value: null,
    trigger_bands: [],
    steps: [],
    email_subject_template: null,
    email_body_template: null,
    is_active,
    is_builtin: true,
  };
}

const PLAYBOOKS = [
  playbook(PLAYBOOK_ESCALATION, "Critical ticket escalation"),
  playbook(PLAYBOOK_OLD, "Retired play", false),
  playbook(PLAYBOOK_QBR, "QBR prep"),
];

async function card(name: string) {
  return screen.findByRole("region", { name });
}

/** Render the account and wait for the picture, the reporting day (meta) and the user (me). */
async function openAccount({ canWork = true }: { canWork?: boolean } = {}) {
  const view = renderApp(`/accounts/${ACCOUNT_ID}`);
  await waitFor(() =>
    expect(screen.getByTestId("fact-last-touch")).toHaveTextContent("5 days ago"),
  );
  if (canWork) await screen.findByRole("group", { name: "Flag" });
  else await waitFor(() => expect(screen.getByTestId("account-flag")).toBeInTheDocument());
  return view;
}

describe("Account actions", () => {
  beforeEach(() => {
    window.localStorage.setItem(TOKEN_KEY, "test-token");
  });

  it("sets the flag with the picker and clears it again", async () => {
    const user = userEvent.setup();
    const server = stubPicture({
      routes: {
        [`PATCH ${ACCOUNT_PATH}`]: async (request) => {
          const { flag } = (await request.json()) as { flag: string | null };
          const next = { ...server.picture(), flag: flag as "red" | null };
          server.setPicture(next);
          return json(next);
        },
      },
    });
    await openAccount();

    const flag = await screen.findByTestId("account-flag");
    expect(flag).toHaveTextContent("No flag");
    const picker = within(flag).getByRole("group", { name: "Flag" });
    expect(within(picker).getByRole("button", { name: "No flag" })).toHaveAttribute(
      "aria-pressed",
      "true",
    );

    await user.click(within(picker).getByRole("button", { name: "Red flag" }));
    await waitFor(() => expect(flag).toHaveTextContent("Red flag"));
    expect(server.writes()).toEqual([
      { method: "PATCH", path: ACCOUNT_PATH, body: { flag: "red" } },
    ]);
    expect(within(picker).getByRole("button", { name: "Red flag" })).toHaveAttribute(
      "aria-pressed",
      "true",
    );

    await user.click(within(picker).getByRole("button", { name: "No flag" }));
    await waitFor(() => expect(flag).toHaveTextContent("No flag"));
    expect(server.writes()[1]).toEqual({
      method: "PATCH",
      path: ACCOUNT_PATH,
      body: { flag: null },
    });
  });

  it("lists the open alerts and acknowledges one, then shows its new status", async () => {
    const user = userEvent.setup();
    const server = stubPicture({
      routes: {
        [`POST /api/v1/alerts/${ALERT_HIGH}/ack`]: () => {
          const picture = server.picture();
          server.setPicture({
            ...picture,
            alerts: picture.alerts.map((a) =>
              a.id === ALERT_HIGH ? { ...a, status: "acknowledged" } : a,
            ),
          });
          return json({ id: ALERT_HIGH, status: "acknowledged" });
        },
      },
    });
    await openAccount();

    const alerts = await card("Open alerts");
    const items = within(alerts).getAllByTestId("alert");
    expect(items.map((i) => within(i).getByTestId("alert-title").textContent)).toEqual([
      "1 P1/P2 ticket open for more than 24 hours",
      "Ticket surge: 3.7x the usual volume",
    ]);
    const [high, acked] = items as [HTMLElement, HTMLElement];
    expect(within(high).getByText("High")).toBeInTheDocument();
    expect(high).toHaveTextContent(
      "Opened yesterday · Urgent tickets open: 1 · Oldest open for: 5 days",
    );
    // Already acknowledged: no Acknowledge button, its status instead.
    expect(within(acked).getByText("Acknowledged")).toBeInTheDocument();
    expect(within(acked).queryByRole("button", { name: "Acknowledge" })).not.toBeInTheDocument();

    const loads = server.pictureLoads();
    await user.click(within(high).getByRole("button", { name: "Acknowledge" }));
    await waitFor(() => expect(within(high).getByText("Acknowledged")).toBeInTheDocument());
    expect(server.writes()).toEqual([
      { method: "POST", path: `/api/v1/alerts/${ALERT_HIGH}/ack`, body: undefined },
    ]);
    expect(server.pictureLoads()).toBe(loads + 1);
    expect(within(high).queryByRole("button", { name: "Acknowledge" })).not.toBeInTheDocument();
  });

  it("snoozes an alert for 7 days and resolves another with a reason", async () => {
    const user = userEvent.setup();
    const server = stubPicture({
      routes: {
        [`POST /api/v1/alerts/${ALERT_HIGH}/snooze`]: () => json({ id: ALERT_HIGH }),
        [`POST /api/v1/alerts/${ALERT_ACKED}/resolve`]: () => json({ id: ALERT_ACKED }),
      },
    });
    await openAccount();
    const alerts = await card("Open alerts");
    const [high, acked] = within(alerts).getAllByTestId("alert") as [HTMLElement, HTMLElement];

    const before = Date.now();
    await user.click(within(high).getByRole("button", { name: "Snooze…" }));
    await user.click(within(high).getByRole("button", { name: "7 days" }));
    await waitFor(() => expect(server.writes()).toHaveLength(1));
    const snooze = server.writes()[0];
    expect(snooze?.path).toBe(`/api/v1/alerts/${ALERT_HIGH}/snooze`);
    const until = Date.parse(String((snooze?.body as { until?: string } | undefined)?.until));
    expect(until - before).toBeGreaterThanOrEqual(7 * 86_400_000);
    expect(until - before).toBeLessThan(7 * 86_400_000 + 60_000);

    await user.click(within(acked).getByRole("button", { name: "Resolve…" }));
    await user.type(within(acked).getByRole("textbox", { name: "Reason (optional)" }), " Fixed ");
    await user.click(within(acked).getByRole("button", { name: "Resolve alert" }));
    await waitFor(() => expect(server.writes()).toHaveLength(2));
    expect(server.writes()[1]).toEqual({
      method: "POST",
      path: `/api/v1/alerts/${ALERT_ACKED}/resolve`,
      body: { reason: "Fixed" },
    });
  });

  it("completes a task with status done and refreshes the picture", async () => {
    const user = userEvent.setup();
    const server = stubPicture({
      routes: {
        [`PATCH /api/v1/tasks/${TASK_OVERDUE}`]: () => {
          const picture = server.picture();
          server.setPicture({
            ...picture,
            tasks: picture.tasks.map((t) =>
              t.id === TASK_OVERDUE
                ? { ...t, status: "done", completed_at: "2026-01-15T10:00:00Z" }
                : t,
            ),
          });
          return json({});
        },
      },
    });
    await openAccount();

    const tasks = await card("Tasks");
    expect(within(tasks).getByTestId("tasks-count")).toHaveTextContent("2 open · 1 overdue");
    const rows = within(tasks).getAllByTestId("task");
    expect(rows.map((r) => r.textContent)).toEqual([
      "Call the championOverdue · Jan 10, 2026",
      "Escalate the ticket to the support leadDue tomorrowPlay: Critical ticket escalation",
      "Update the customerDone Jan 11, 2026Play: Critical ticket escalation",
    ]);
    expect(rows[0]).toHaveClass("task-overdue");
    expect(within(rows[2] as HTMLElement).getByRole("checkbox")).toBeChecked();

    const loads = server.pictureLoads();
    const box = within(rows[0] as HTMLElement).getByRole("checkbox", { name: "Call the champion" });
    await user.click(box);
    await waitFor(() =>
      expect(within(tasks).getByTestId("tasks-count")).toHaveTextContent("1 open"),
    );
    expect(box).toBeChecked();
    expect(server.writes()).toEqual([
      { method: "PATCH", path: `/api/v1/tasks/${TASK_OVERDUE}`, body: { status: "done" } },
    ]);
    expect(server.pictureLoads()).toBe(loads + 1);
    expect(within(tasks).getAllByTestId("task")[0]).toHaveTextContent("Done Jan 15, 2026");
  });

  it("adds a task with a trimmed title and a due date", async () => {
    const user = userEvent.setup();
    const server = stubPicture({
      routes: { "POST /api/v1/tasks": () => json({}, 201) },
    });
    await openAccount();

    const tasks = await card("Tasks");
    const form = within(tasks).getByRole("form", { name: "Add task" });
    const add = within(form).getByRole("button", { name: "Add task" });
    expect(add).toBeDisabled();
    await user.type(within(form).getByRole("textbox", { name: "Task" }), "  Send the QBR deck ");
    await user.type(within(form).getByLabelText("Due date"), "2026-01-20");
    await user.click(add);

    await waitFor(() => expect(server.writes()).toHaveLength(1));
    expect(server.writes()[0]).toEqual({
      method: "POST",
      path: "/api/v1/tasks",
      body: { account_id: ACCOUNT_ID, title: "Send the QBR deck", due_date: "2026-01-20" },
    });
    await waitFor(() =>
      expect(within(form).getByRole("textbox", { name: "Task" })).toHaveValue(""),
    );
  });

  it("starts a play from the active playbooks and says so when it is already running", async () => {
    const user = userEvent.setup();
    const server = stubPicture({
      routes: {
        "GET /api/v1/playbooks": () => json(PLAYBOOKS),
        [`POST /api/v1/playbooks/${PLAYBOOK_ESCALATION}/runs`]: () =>
          json(
            {
              type: "about:blank",
              title: "Conflict",
              status: 409,
              detail: "Critical ticket escalation is already running for this account (run x)",
            },
            409,
          ),
        [`POST /api/v1/playbooks/${PLAYBOOK_QBR}/runs`]: () =>
          json(
            {
              id: "d0000000-0000-4000-8000-000000000009",
              playbook_id: PLAYBOOK_QBR,
              account_id: ACCOUNT_ID,
              alert_id: null,
              status: "active",
              outcome: null,
              started_at: "2026-01-15T10:00:00Z",
              completed_at: null,
              health_at_start: 82,
              quadrant_at_start: "champions",
              email_draft: null,
              playbook_name: "QBR prep",
              tasks: [{}, {}],
            },
            201,
          ),
      },
    });
    await openAccount();

    const plays = await card("Plays");
    const run = within(plays).getByTestId("play-run");
    expect(run).toHaveTextContent("Critical ticket escalation");
    expect(within(run).getByTestId("play-run-tasks")).toHaveTextContent("1 of 2 tasks open");
    // The playbooks are only fetched once the form is opened.
    expect(server.sent.some((s) => s.path === "/api/v1/playbooks")).toBe(false);

    await user.click(within(plays).getByRole("button", { name: "Start a play…" }));
    const select = await within(plays).findByRole("combobox", { name: "Playbook" });
    expect([...(select as HTMLSelectElement).options].map((o) => o.text)).toEqual([
      "Choose a playbook…",
      "Critical ticket escalation",
      "QBR prep",
    ]);

    await user.selectOptions(select, PLAYBOOK_ESCALATION);
    await user.click(within(plays).getByRole("button", { name: "Start" }));
    expect(await within(plays).findByTestId("play-conflict")).toHaveTextContent(
      "Critical ticket escalation is already running on this account, so it was not started again.",
    );

    const loads = server.pictureLoads();
    await user.selectOptions(select, PLAYBOOK_QBR);
    expect(within(plays).queryByTestId("play-conflict")).not.toBeInTheDocument();
    await user.click(within(plays).getByRole("button", { name: "Start" }));
    expect(await within(plays).findByTestId("play-started")).toHaveTextContent(
      "Started QBR prep · 2 tasks created",
    );
    expect(server.writes()).toEqual([
      {
        method: "POST",
        path: `/api/v1/playbooks/${PLAYBOOK_ESCALATION}/runs`,
        body: { account_id: ACCOUNT_ID },
      },
      {
        method: "POST",
        path: `/api/v1/playbooks/${PLAYBOOK_QBR}/runs`,
        body: { account_id: ACCOUNT_ID },
      },
    ]);
    expect(server.pictureLoads()).toBe(loads + 1);
  });

  it("adds a note with the trimmed body and deletes only your own", async () => {
    const user = userEvent.setup();
    const server = stubPicture({
      routes: {
        [`POST ${ACCOUNT_PATH}/notes`]: () => json({}, 201),
        [`DELETE ${ACCOUNT_PATH}/notes/${NOTE_MINE}`]: () => {
          const picture = server.picture();
          server.setPicture({ ...picture, notes: picture.notes.filter((n) => n.id !== NOTE_MINE) });
          return new Response(null, { status: 204 });
        },
      },
    });
    await openAccount();

    const notes = await card("Notes");
    const [mine, theirs] = within(notes).getAllByTestId("note") as [HTMLElement, HTMLElement];
    expect(mine).toHaveTextContent("Demo UserJan 13, 2026DeleteChampion leaves in March.");
    expect(theirs).toHaveTextContent("Sam LeadJan 2, 2026Budget review in Q2.");
    expect(within(theirs).queryByRole("button", { name: /Delete/ })).not.toBeInTheDocument();

    const form = within(notes).getByRole("form", { name: "Add note" });
    await user.type(
      within(form).getByRole("textbox", { name: "Note" }),
      "   Renewal call booked.  ",
    );
    await user.click(within(form).getByRole("button", { name: "Add note" }));
    await waitFor(() => expect(server.writes()).toHaveLength(1));
    expect(server.writes()[0]).toEqual({
      method: "POST",
      path: `${ACCOUNT_PATH}/notes`,
      body: { body: "Renewal call booked." },
    });
    await waitFor(() =>
      expect(within(form).getByRole("textbox", { name: "Note" })).toHaveValue(""),
    );

    await user.click(within(mine).getByRole("button", { name: "Delete note of Jan 13, 2026" }));
    const dialog = await screen.findByRole("dialog", { name: "Delete note" });
    await user.click(within(dialog).getByRole("button", { name: "Delete" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(server.writes()[1]).toEqual({
      method: "DELETE",
      path: `${ACCOUNT_PATH}/notes/${NOTE_MINE}`,
      body: undefined,
    });
    await waitFor(() => expect(within(notes).getAllByTestId("note")).toHaveLength(1));
  });

  it("shows a viewer the picture without any of the actions", async () => {
    const viewer: UserPublic = { ...demoUser, role: "viewer" };
    stubPicture({ user: viewer, picture: fullPicture({ flag: "yellow" }) });
    await openAccount({ canWork: false });
    // me has loaded: the page rendered for the viewer's role.
    await waitFor(() => expect(screen.getByText("Viewer")).toBeInTheDocument());

    const alerts = await card("Open alerts");
    expect(within(alerts).getAllByTestId("alert")).toHaveLength(2);
    expect(screen.getByTestId("account-flag")).toHaveTextContent("Yellow flag");
    expect(screen.queryByRole("group", { name: "Flag" })).not.toBeInTheDocument();
    expect(within(alerts).queryByRole("button")).not.toBeInTheDocument();
    expect(screen.queryByRole("form", { name: "Add task" })).not.toBeInTheDocument();
    expect(screen.queryByRole("form", { name: "Add note" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Start a play…" })).not.toBeInTheDocument();
    for (const box of within(await card("Tasks")).getAllByRole("checkbox")) {
      expect(box).toBeDisabled();
    }
  });
});
