import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { UserPublic } from "../../api/client";
import { TOKEN_KEY } from "../../api/token";
import { account, demoMeta, demoUser, json, renderApp, stubApi } from "../../test/utils";
import type { EmbedConfiguration, EmbedKey } from "./embeddingQueries";

vi.mock("../../ui/Chart", () => ({
  Chart: ({ label }: { label: string }) => <div role="img" aria-label={label} />,
}));

const admin: UserPublic = { ...demoUser, role: "admin" };
const acme = account();
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();
const minutesAhead = (n: number) => new Date(Date.now() + n * 60_000).toISOString();

function configuration(overrides: Partial<EmbedConfiguration> = {}): EmbedConfiguration {
  return {
    id: "e0000000-0000-4000-8000-000000000001",
    name: "Customer portal",
    origins: ["https://portal.example.com", "https://app.example.com:8443"],
    tiles: ["usage_trend", "health"],
    status: "active",
    created_by: admin.email,
    created_at: "2026-01-10T08:00:00Z",
    updated_at: "2026-01-10T08:00:00Z",
    tokens_issued: 12,
    last_issued_at: minutesAgo(5),
    tokens_live: 3,
    ...overrides,
  };
}

const portal = configuration();
const crm = configuration({
  id: "e0000000-0000-4000-8000-000000000002",
  name: "CRM sidebar",
  origins: ["https://crm.example.com"],
  tiles: ["health", "quadrant", "renewal", "usage_trend"],
  status: "paused",
  tokens_issued: 0,
  tokens_live: 0,
  last_issued_at: null,
});

const keys: EmbedKey[] = [
  { kid: "k-new", created_at: minutesAgo(2), retires_at: null, current: true },
  { kid: "k-old", created_at: "2026-01-01T08:00:00Z", retires_at: minutesAhead(8), current: false },
];

const KINDS = ["health", "quadrant", "renewal", "usage_trend"] as const;

function stubEmbedding({
  user = admin,
  configurations = [portal, crm],
  create,
}: {
  user?: UserPublic;
  configurations?: EmbedConfiguration[];
  create?: (body: unknown) => Response;
} = {}) {
  const calls = {
    patches: [] as { id: string; body: unknown }[],
    creates: [] as unknown[],
    tiles: [] as Request[],
  };
  const tileRoutes = Object.fromEntries(
    KINDS.map((kind) => [
      `GET /embed/tiles/${kind}/${acme.id}`,
      (request: Request) => {
        calls.tiles.push(request);
        return new Response(
          `<svg xmlns="http://www.w3.org/2000/svg"><title>${kind}</title></svg>`,
          {
            headers: { "Content-Type": "image/svg+xml" },
          },
        );
      },
    ]),
  );
  // The server's list as it stands: a PATCH changes it, so the refetch after it agrees.
  let stored = configurations;
  const patch = (c: EmbedConfiguration) => async (request: Request) => {
    const body = (await request.json()) as Partial<EmbedConfiguration>;
    calls.patches.push({ id: c.id, body });
    const updated = { ...c, ...body };
    stored = stored.map((s) => (s.id === c.id ? updated : s));
    return json(updated);
  };
  const spy = stubApi({
    "GET /api/v1/auth/me": () => json(user),
    "GET /api/v1/meta": () => json(demoMeta),
    "GET /api/v1/accounts": () => json({ items: [acme], total: 1, page: 1, page_size: 10 }),
    "GET /api/v1/embed-configurations": () => json(stored),
    "POST /api/v1/embed-configurations": async (request) => {
      const body = await request.json();
      calls.creates.push(body);
      if (create) return create(body);
      return json(configuration({ id: "e0000000-0000-4000-8000-000000000003", ...body }), 201);
    },
    [`PATCH /api/v1/embed-configurations/${portal.id}`]: patch(portal),
    [`PATCH /api/v1/embed-configurations/${crm.id}`]: patch(crm),
    "GET /api/v1/embed-keys": () => json(keys),
    ...tileRoutes,
  });
  return { calls, spy };
}

async function embeddingRows() {
  const table = await screen.findByRole("table", { name: "Embeddings" });
  return within(table).getAllByTestId("embed-configuration");
}

describe("Settings → Embedding", () => {
  beforeEach(() => {
    window.localStorage.setItem(TOKEN_KEY, "test-token");
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("lists the embeddings with readable tiles, token counts and status", async () => {
    stubEmbedding();
    renderApp("/settings#embedding");
    // The first render loads the lazy Settings route: give it time on a cold start.
    const tab = await screen.findByRole("link", { name: "Embedding" }, { timeout: 5000 });
    expect(tab).toHaveAttribute("href", "/settings#embedding");
    expect(tab).toHaveAttribute("aria-current", "page");
    // Only the chosen section is shown.
    expect(screen.queryByTestId("active-version")).not.toBeInTheDocument();
    const [first, second] = (await embeddingRows()) as [HTMLElement, HTMLElement];
    expect(first).toHaveTextContent("Customer portal");
    expect(first).toHaveTextContent("https://portal.example.com");
    expect(first).toHaveTextContent("https://app.example.com:8443");
    expect(first).toHaveTextContent("Health, Usage trend");
    expect(first).toHaveTextContent("3 live / 12 issued");
    expect(first).toHaveTextContent("5 min ago");
    expect(within(first).getByText("Active")).toBeInTheDocument();
    expect(within(first).getByRole("button", { name: "Pause Customer portal" })).toBeVisible();

    expect(second).toHaveTextContent("Health, Quadrant, Renewal, Usage trend");
    expect(second).toHaveTextContent("0 live / 0 issued");
    expect(second).toHaveTextContent("Never");
    expect(within(second).getByText("Paused")).toBeInTheDocument();
    expect(within(second).getByRole("button", { name: "Resume CRM sidebar" })).toBeVisible();

    const keyRows = await screen.findAllByTestId("embed-key");
    expect(keyRows[0]).toHaveTextContent("k-new");
    expect(keyRows[0]).toHaveTextContent("Current");
    expect(keyRows[1]).toHaveTextContent(/Retires \d\d:\d\d/);
    expect(screen.getByRole("button", { name: "Rotate key" })).toBeVisible();
    expect(
      screen.getByText(/tokens already issued keep working for up to 10 minutes/),
    ).toBeVisible();
  });

  it("switches sections with the tabs", async () => {
    const user = userEvent.setup();
    stubEmbedding();
    const { history } = renderApp("/settings");
    const tab = await screen.findByRole("link", { name: "Embedding" }, { timeout: 5000 });
    expect(screen.getByRole("link", { name: "Scoring" })).toHaveAttribute("aria-current", "page");
    expect(screen.getByRole("region", { name: "Scoring" })).toBeInTheDocument();
    await user.click(tab);
    expect(await screen.findByRole("region", { name: "Embedding" })).toBeInTheDocument();
    expect(screen.queryByRole("region", { name: "Scoring" })).not.toBeInTheDocument();
    expect(history.location.hash).toBe("#embedding");
    expect(await embeddingRows()).toHaveLength(2);
  });

  it("explains embeddings when there are none", async () => {
    stubEmbedding({ configurations: [] });
    renderApp("/settings#embedding");
    expect(await screen.findByText("No embeddings yet")).toBeInTheDocument();
    expect(screen.getByText(/An embedding lets another product/)).toHaveTextContent(
      "docs/embedding.md",
    );
  });

  it("pauses an embedding with PATCH {status: paused}", async () => {
    const user = userEvent.setup();
    const { calls } = stubEmbedding();
    renderApp("/settings#embedding");
    await embeddingRows();
    await user.click(screen.getByRole("button", { name: "Pause Customer portal" }));
    await waitFor(() => expect(calls.patches).toHaveLength(1));
    expect(calls.patches[0]).toEqual({ id: portal.id, body: { status: "paused" } });
    const [first] = (await embeddingRows()) as [HTMLElement];
    expect(await within(first).findByText("Paused")).toBeInTheDocument();
  });

  it("asks before revoking, then revokes", async () => {
    const user = userEvent.setup();
    const { calls } = stubEmbedding();
    renderApp("/settings#embedding");
    await embeddingRows();
    await user.click(screen.getByRole("button", { name: "Revoke Customer portal" }));

    const dialog = screen.getByRole("dialog", { name: "Revoke “Customer portal”?" });
    expect(dialog).toHaveTextContent(
      "Every token issued for it stops working at once (3 live now)",
    );
    expect(dialog).toHaveTextContent("Revoking is final");
    expect(calls.patches).toHaveLength(0);

    // Cancelling changes nothing.
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(calls.patches).toHaveLength(0);

    await user.click(screen.getByRole("button", { name: "Revoke Customer portal" }));
    await user.click(
      within(screen.getByRole("dialog")).getByRole("button", { name: "Revoke for good" }),
    );
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(calls.patches).toEqual([{ id: portal.id, body: { status: "revoked" } }]);
    const [first] = (await embeddingRows()) as [HTMLElement];
    expect(await within(first).findByText("Revoked")).toBeInTheDocument();
    expect(within(first).queryByRole("button")).not.toBeInTheDocument();
  });

  it("refuses an origin that is not https://host[:port], then sends a valid body", async () => {
    const user = userEvent.setup();
    const { calls } = stubEmbedding();
    renderApp("/settings#embedding");
    const form = (await screen.findByRole("heading", { name: "New embedding" })).closest(
      "section",
    ) as HTMLElement;
    const name = within(form).getByRole("textbox", { name: "Name" });
    const origins = within(form).getByRole("textbox", { name: /Origins/ });
    await user.type(name, "Partner portal");
    await user.type(origins, "ftp://x");
    await user.click(within(form).getByRole("button", { name: "Create embedding" }));

    expect(origins).toHaveAttribute("aria-invalid", "true");
    expect(origins).toHaveAccessibleDescription(/Line 1: “ftp:\/\/x” — write it as https:\/\/host/);
    expect(calls.creates).toHaveLength(0);

    await user.clear(origins);
    await user.type(origins, "https://partner.example.com{Enter}{Enter}http://localhost:3000");
    await user.click(within(form).getByRole("checkbox", { name: "Quadrant" }));
    await user.click(within(form).getByRole("button", { name: "Create embedding" }));

    await waitFor(() => expect(calls.creates).toHaveLength(1));
    expect(calls.creates[0]).toEqual({
      name: "Partner portal",
      origins: ["https://partner.example.com", "http://localhost:3000"],
      tiles: ["health", "quadrant"],
    });
    expect(await within(form).findByText("Created “Partner portal”.")).toBeInTheDocument();
    expect(name).toHaveValue("");
  });

  it("shows the server's 422 field errors next to the fields", async () => {
    const user = userEvent.setup();
    stubEmbedding({
      create: () =>
        json(
          {
            type: "about:blank",
            title: "Validation error",
            status: 422,
            detail: "origins.1: Value error, 'https://a.example/x' is not an origin",
            errors: [
              {
                loc: ["body", "origins", 1],
                msg: "Value error, 'https://b.example:99999' is not an origin: Port out of range",
              },
              { loc: ["body", "name"], msg: "String should have at most 200 characters" },
            ],
          },
          422,
        ),
    });
    renderApp("/settings#embedding");
    const form = (await screen.findByRole("heading", { name: "New embedding" })).closest(
      "section",
    ) as HTMLElement;
    const name = within(form).getByRole("textbox", { name: "Name" });
    const origins = within(form).getByRole("textbox", { name: /Origins/ });
    await user.type(name, "Too long");
    await user.type(origins, "https://a.example{Enter}{Enter}https://b.example:9999");
    await user.click(within(form).getByRole("button", { name: "Create embedding" }));

    await waitFor(() => expect(origins).toHaveAttribute("aria-invalid", "true"));
    expect(origins).toHaveAccessibleDescription(
      "Line 3: 'https://b.example:99999' is not an origin: Port out of range",
    );
    expect(name).toHaveAccessibleDescription("String should have at most 200 characters");
  });

  it("previews the four tiles as SVG read with the user's token, in either theme", async () => {
    const user = userEvent.setup();
    const { calls } = stubEmbedding();
    renderApp("/settings#embedding");

    const health = await screen.findByRole("img", { name: "Health tile of Acme Corp" });
    // A data: URL (the SPA's CSP refuses blob: images) of the SVG the server answered.
    const src = health.getAttribute("src") ?? "";
    expect(src).toMatch(/^data:image\/svg\+xml;charset=utf-8,/);
    expect(decodeURIComponent(src)).toContain("<title>health</title>");
    for (const label of ["Quadrant", "Renewal", "Usage trend"]) {
      expect(
        await screen.findByRole("img", { name: `${label} tile of Acme Corp` }),
      ).toBeInTheDocument();
    }
    expect(calls.tiles).toHaveLength(4);
    for (const request of calls.tiles) {
      expect(request.headers.get("Authorization")).toBe("Bearer test-token");
      const url = new URL(request.url);
      expect(url.searchParams.get("format")).toBe("svg");
      expect(url.searchParams.get("theme")).toBe("light");
    }

    await user.click(screen.getByRole("button", { name: "Dark" }));
    await waitFor(() => expect(calls.tiles).toHaveLength(8));
    expect(calls.tiles.slice(4).map((r) => new URL(r.url).searchParams.get("theme"))).toEqual([
      "dark",
      "dark",
      "dark",
      "dark",
    ]);
    expect(await screen.findByRole("img", { name: "Renewal tile of Acme Corp" })).toBeVisible();
  });

  it("shows nothing of embedding to non-admins", async () => {
    const { spy } = stubEmbedding({ user: demoUser });
    renderApp("/settings#embedding");
    expect(await screen.findByRole("link", { name: "Scoring" })).toBeInTheDocument();
    // Once the user is known (the top bar shows the role), nothing about embedding is there.
    expect(await screen.findByText("CSM")).toBeInTheDocument();
    // The fragment names a section they can't see: Scoring is shown instead.
    expect(await screen.findByRole("region", { name: "Scoring" })).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "Embedding" })).not.toBeInTheDocument();
    expect(screen.queryByRole("heading", { name: "Embedding" })).not.toBeInTheDocument();
    expect(screen.queryByRole("heading", { name: "New embedding" })).not.toBeInTheDocument();
    expect(screen.queryByText("Signing keys")).not.toBeInTheDocument();
    const urls = spy.mock.calls.map(([r]) => (r as Request).url);
    expect(urls.filter((u) => /embed/.test(u))).toEqual([]);
  });
});
