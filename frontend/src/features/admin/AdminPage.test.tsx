import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { TOKEN_KEY } from "../../api/token";
import { demoMeta, demoUser, json, renderApp, stubApi } from "../../test/utils";
import type { AdminUser, ApiKey, AuditEntry, DataSource, Feature, PatternPreview } from "./queries";

const NOW = new Date("2026-01-15T12:00:00.000Z");
const MIN = 60_000;
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const ADMIN = { ...demoUser, role: "admin" as const };

function user(overrides: Partial<AdminUser>): AdminUser {
  return {
    id: "u0000000-0000-4000-8000-000000000009",
    email: "olive@example.com",
    name: "Olive",
    role: "csm",
    is_active: true,
    lead_id: null,
    lead_name: null,
    lead_email: null,
    last_login_at: ago(3 * MIN),
    created_at: ago(90 * 24 * 60 * MIN),
    ...overrides,
  };
}

const USERS: AdminUser[] = [
  user({ id: ADMIN.id, email: ADMIN.email, name: ADMIN.name, role: "admin" }),
  user({
    id: "u0000000-0000-4000-8000-000000000002",
    email: "lena@example.com",
    name: "Lena",
    role: "leader",
  }),
  user({
    lead_id: "u0000000-0000-4000-8000-000000000002",
    lead_name: "Lena",
    lead_email: "lena@example.com",
    last_login_at: null,
  }),
];

function apiKey(overrides: Partial<ApiKey>): ApiKey {
  return {
    id: "k0000000-0000-4000-8000-000000000001",
    name: "Warehouse",
    prefix: "ab12cd34",
    role: "viewer",
    scopes: ["ingest"],
    created_at: ago(2 * 24 * 60 * MIN),
    created_by_id: ADMIN.id,
    created_by_email: ADMIN.email,
    last_used_at: ago(3 * MIN),
    expires_at: null,
    revoked_at: null,
    status: "active",
    ...overrides,
  };
}

function feature(overrides: Partial<Feature>): Feature {
  return {
    id: 7,
    key: "automation",
    name: "Workflow Automation",
    is_core: false,
    plans: ["Business"],
    event_pattern: "^(workflow|automation)\\.",
    events_30d: 1200,
    accounts_30d: 40,
    ...overrides,
  };
}

const NO_PREVIEW: PatternPreview = {
  matched_names: 0,
  matched_events: 0,
  matches: [],
  taken: [],
  kept_by_others: [],
  released: [],
  names_scanned: 0,
};

type Calls = { method: string; url: URL; body: unknown }[];

function stubAdmin(extra: Record<string, (request: Request) => Response | Promise<Response>> = {}) {
  const calls: Calls = [];
  const record =
    (handler: (request: Request, body: unknown) => Response) => async (request: Request) => {
      const body =
        request.method === "GET" ? undefined : await request.json().catch(() => undefined);
      calls.push({ method: request.method, url: new URL(request.url), body });
      return handler(request, body);
    };
  stubApi({
    "GET /api/v1/auth/me": () => json(ADMIN),
    "GET /api/v1/meta": () => json(demoMeta),
    "GET /api/v1/users": () => json(USERS),
    "GET /api/v1/api-keys": () =>
      json([
        apiKey({}),
        apiKey({
          id: "k2",
          name: "Old",
          scopes: [],
          role: "admin",
          last_used_at: null,
          created_by_email: null,
          created_by_id: null,
        }),
      ]),
    "POST /api/v1/api-keys": record((_, body) =>
      json(
        {
          ...apiKey({ id: "k3", name: (body as { name: string }).name, last_used_at: null }),
          key: "tk_ab12cd34_secret",
        },
        201,
      ),
    ),
    "GET /api/v1/features": () =>
      json({
        items: [feature({})],
        plans: ["Business", "Enterprise"],
        since: "2025-12-17",
        until: "2026-01-15",
      }),
    "PATCH /api/v1/features/7": record((_, body) => json(feature(body as Partial<Feature>))),
    "POST /api/v1/scoring/runs": record(() =>
      json({ id: "r0000000-0000-4000-8000-000000000001", status: "queued" }, 202),
    ),
    "GET /api/v1/scoring/runs/r0000000-0000-4000-8000-000000000001": () =>
      json({ id: "r1", status: "succeeded", progress: 1, snapshots_written: 812, error: null }),
    ...extra,
  });
  return calls;
}

describe("Admin console", () => {
  beforeEach(() => {
    window.localStorage.setItem(TOKEN_KEY, "test-token");
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("is for admins only", async () => {
    stubApi({
      "GET /api/v1/auth/me": () => json({ ...demoUser, role: "leader" }),
      "GET /api/v1/meta": () => json(demoMeta),
    });
    renderApp("/admin");
    expect(await screen.findByText("The admin console is for admins")).toBeInTheDocument();
    const nav = screen.getByRole("navigation", { name: "Main" });
    expect(within(nav).queryByRole("link", { name: "Admin" })).not.toBeInTheDocument();
  });

  it("lists users with their lead and last sign-in, and keeps the tab in the URL", async () => {
    stubAdmin();
    const { router } = renderApp("/admin");
    const table = await screen.findByRole("table");
    const rows = within(table).getAllByRole("row").slice(1);
    expect(
      rows.map((r) =>
        within(r)
          .getAllByRole("cell")
          .slice(0, 6)
          .map((c) => c.textContent),
      ),
    ).toEqual([
      ["Demo User (you)", "demo@tempo.test", "Admin", "—", "3 min ago", "Active"],
      ["Lena", "lena@example.com", "Leader", "—", "3 min ago", "Active"],
      ["Olive", "olive@example.com", "CSM", "Lena", "Never", "Active"],
    ]);
    await userEvent.click(screen.getByRole("link", { name: "API keys" }));
    expect(router.state.location.href).toBe("/admin?tab=keys");
    expect(await screen.findByRole("heading", { name: "API keys" })).toBeInTheDocument();
  });

  it("cannot deactivate or demote yourself, and shows the server's refusal next to the field", async () => {
    const calls = stubAdmin({
      [`PATCH /api/v1/users/${USERS[2]?.id}`]: async (request) => {
        calls.push({ method: "PATCH", url: new URL(request.url), body: await request.json() });
        return json(
          {
            title: "Validation error",
            status: 422,
            detail: "lead_id: lena@example.com is not active",
            errors: [{ loc: ["body", "lead_id"], msg: "lena@example.com is not active" }],
          },
          422,
        );
      },
    });
    renderApp("/admin");
    await userEvent.click(await screen.findByRole("button", { name: "Edit demo@tempo.test" }));
    let dialog = screen.getByRole("dialog", { name: "Edit demo@tempo.test" });
    expect(within(dialog).getByRole("combobox", { name: "Role" })).toBeDisabled();
    expect(within(dialog).getByRole("checkbox", { name: "Active" })).toBeDisabled();
    expect(within(dialog).getByRole("button", { name: "Save" })).toBeDisabled();
    await userEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));

    await userEvent.click(screen.getByRole("button", { name: "Edit olive@example.com" }));
    dialog = screen.getByRole("dialog", { name: "Edit olive@example.com" });
    await userEvent.click(within(dialog).getByRole("checkbox", { name: "Active" }));
    await userEvent.selectOptions(within(dialog).getByRole("combobox", { name: "Reports to" }), "");
    await userEvent.click(within(dialog).getByRole("button", { name: "Save" }));
    const refusal = await within(dialog).findByText("lena@example.com is not active");
    expect(refusal.closest(".field-error")).toHaveAttribute("role", "alert");
    expect(within(dialog).getByRole("combobox", { name: "Reports to" })).toHaveAttribute(
      "aria-invalid",
      "true",
    );
    expect(calls.at(-1)?.body).toEqual({ lead_id: null, is_active: false });
  });

  it("creates an ingest-only key and shows it once, with chips and last use in the list", async () => {
    const calls = stubAdmin();
    renderApp("/admin?tab=keys");
    const table = await screen.findByRole("table");
    const [warehouse, old] = within(table).getAllByRole("row").slice(1) as [
      HTMLElement,
      HTMLElement,
    ];
    expect(within(warehouse).getByText("ingest")).toHaveClass("pill");
    expect(within(warehouse).getByText("3 min ago")).toBeInTheDocument();
    expect(within(old).getByText("never")).toBeInTheDocument();
    expect(within(old).getByText("by role")).toBeInTheDocument();
    expect(within(old).getByText("CLI")).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "New API key" }));
    const dialog = screen.getByRole("dialog", { name: "New API key" });
    const create = within(dialog).getByRole("button", { name: "Create key" });
    expect(create).toBeDisabled(); // no name yet
    await userEvent.type(within(dialog).getByRole("textbox", { name: "Name" }), "Pipeline");
    await userEvent.click(within(dialog).getByRole("checkbox", { name: /ingest/ }));
    expect(within(dialog).getByRole("combobox", { name: "Role" })).toBeDisabled();
    await userEvent.click(create);

    const shown = await screen.findByRole("dialog", { name: "Key created: Pipeline" });
    expect(within(shown).getByTestId("new-api-key")).toHaveValue("tk_ab12cd34_secret");
    expect(calls.at(-1)?.body).toEqual({ name: "Pipeline", scopes: ["ingest"] });
    expect(within(shown).getByRole("button", { name: "Copy key" })).toBeInTheDocument();
  });

  it("marks a feature core, then offers the rescore and follows it", async () => {
    const calls = stubAdmin();
    renderApp("/admin?tab=features");
    const core = await screen.findByRole("checkbox", { name: "Workflow Automation is core" });
    const row = core.closest("tr") as HTMLElement;
    expect(within(row).getByText("1,200")).toBeInTheDocument();
    await userEvent.click(core);
    expect(await screen.findByText("Adoption uses this at the next rescore.")).toBeInTheDocument();
    expect(calls.find((c) => c.method === "PATCH")?.body).toEqual({ is_core: true });
    await userEvent.click(screen.getByRole("button", { name: "Rescore now" }));
    expect(await screen.findByText("Rescored: 812 accounts.")).toBeInTheDocument();
    expect(calls.find((c) => c.url.pathname === "/api/v1/scoring/runs")?.body).toEqual({
      cadence: "daily",
    });
  });

  it("previews a pattern as it is typed and keeps Save off while the server refuses it", async () => {
    const previews: unknown[] = [];
    stubAdmin({
      "POST /api/v1/features/preview": async (request) => {
        const body = (await request.json()) as { event_pattern: string };
        previews.push(body);
        if (body.event_pattern.includes("(?P<")) {
          return json(
            {
              title: "Validation error",
              status: 422,
              errors: [
                {
                  loc: ["body", "event_pattern"],
                  msg: "PostgreSQL cannot use this pattern: invalid",
                },
              ],
            },
            422,
          );
        }
        return json({
          ...NO_PREVIEW,
          matched_names: 2,
          matched_events: 30,
          matches: [
            {
              event: "workflow.run",
              events: 20,
              now: { id: 7, key: "automation", name: "Workflow Automation" },
              after: { id: 7, key: "automation", name: "Workflow Automation" },
            },
            {
              event: "flow.saved",
              events: 10,
              now: null,
              after: { id: 7, key: "automation", name: "Workflow Automation" },
            },
          ],
        });
      },
    });
    renderApp("/admin?tab=features");
    await userEvent.click(await screen.findByRole("button", { name: "Edit Workflow Automation" }));
    const dialog = screen.getByRole("dialog", { name: "Edit Workflow Automation" });
    const pattern = within(dialog).getByRole("textbox", { name: /Event pattern/ });
    await userEvent.clear(pattern);
    await userEvent.type(pattern, "(?P<x>flow)\\.");
    expect(
      await within(dialog).findByText(
        "PostgreSQL cannot use this pattern: invalid",
        {},
        { timeout: 3000 },
      ),
    ).toBeInTheDocument();
    expect(within(dialog).getByRole("button", { name: "Save" })).toBeDisabled();

    await userEvent.clear(pattern);
    await userEvent.type(pattern, "flow\\.");
    const list = await within(dialog).findByTestId("pattern-matches", {}, { timeout: 3000 });
    expect(within(list).getByText("takes it from no feature")).toBeInTheDocument();
    expect(within(list).getByText("already counted here")).toBeInTheDocument();
    await waitFor(() => expect(within(dialog).getByRole("button", { name: "Save" })).toBeEnabled());
    expect(previews.at(-1)).toEqual({ event_pattern: "flow\\.", feature_id: 7 });
  });

  it("filters the audit log and loads more by cursor", async () => {
    const asked: URL[] = [];
    const entry = (id: number, action: string): AuditEntry => ({
      id,
      at: ago(id * MIN),
      actor: `user:${ADMIN.id}`,
      actor_label: ADMIN.email,
      action,
      entity: "user",
      entity_id: "u-1",
      detail: { role: "csm" },
      ip: null,
    });
    stubAdmin({
      "GET /api/v1/audit/facets": () =>
        json({ entities: ["api_key", "user"], actions: ["ingest.events", "user.update"] }),
      "GET /api/v1/audit": (request) => {
        const url = new URL(request.url);
        asked.push(url);
        return url.searchParams.has("cursor")
          ? json({ items: [entry(2, "user.create")], next_cursor: null })
          : json({ items: [entry(1, "user.update")], next_cursor: "c1" });
      },
    });
    renderApp("/admin?tab=audit");
    expect(await screen.findByText("user.update", { selector: "td" })).toBeInTheDocument();
    expect(screen.getByText('role: "csm"')).toBeInTheDocument();
    await userEvent.selectOptions(screen.getByRole("combobox", { name: "Action" }), "ingest.");
    await userEvent.type(screen.getByRole("textbox", { name: "Actor" }), "olive@example.com");
    await userEvent.click(screen.getByRole("button", { name: "Apply" }));
    await waitFor(() => expect(asked.at(-1)?.searchParams.get("action")).toBe("ingest."));
    expect(asked.at(-1)?.searchParams.get("actor")).toBe("olive@example.com");
    await userEvent.click(await screen.findByRole("button", { name: "Load more" }));
    expect(await screen.findByText("user.create")).toBeInTheDocument();
    expect(asked.at(-1)?.searchParams.get("cursor")).toBe("c1");
    expect(screen.queryByRole("button", { name: "Load more" })).not.toBeInTheDocument();
  });

  it("edits a source's threshold and owner", async () => {
    const source: DataSource = {
      key: "events",
      name: "Product events",
      owner_id: null,
      owner_email: null,
      owner_name: null,
      stale_after_days: 10,
      last_received_at: ago(5 * MIN),
      items_received: 1200,
      rejected: 0,
      age_hours: 0.1,
      stale: false,
    };
    const calls = stubAdmin({
      "GET /api/v1/sources": () => json([source]),
      "PATCH /api/v1/sources/events": async (request) => {
        const body = await request.json();
        calls.push({ method: "PATCH", url: new URL(request.url), body });
        return json({ ...source, ...body });
      },
    });
    renderApp("/admin?tab=sources");
    const days = await screen.findByRole("textbox", {
      name: "Days before Product events is stale",
    });
    const save = screen.getByRole("button", { name: "Save" });
    await userEvent.clear(days);
    await userEvent.type(days, "400");
    expect(save).toBeDisabled();
    expect(screen.getByText("A whole number of days, 1 to 365.")).toBeInTheDocument();
    await userEvent.clear(days);
    await userEvent.type(days, "3");
    await userEvent.click(save);
    await waitFor(() => expect(calls.at(-1)?.body).toEqual({ stale_after_days: 3 }));
    await userEvent.selectOptions(
      screen.getByRole("combobox", { name: "Owner of Product events" }),
      "Lena",
    );
    await waitFor(() =>
      expect(calls.at(-1)?.body).toEqual({ owner_id: "u0000000-0000-4000-8000-000000000002" }),
    );
    expect(screen.getByText("Fresh")).toBeInTheDocument();
  });
});
