import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { DataSource, LinkResult, Meta, Rejection, UnmatchedRecord } from "../../api/client";
import { TOKEN_KEY } from "../../api/token";
import { account, demoMeta, demoUser, json, renderApp, stubApi } from "../../test/utils";

const NOW = new Date("2026-01-15T12:00:00.000Z");
const HOUR = 3_600_000;
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

function source(overrides: Partial<DataSource>): DataSource {
  return {
    key: "crm",
    name: "CRM",
    owner_id: null,
    stale_after_days: 10,
    last_received_at: ago(3 * HOUR),
    items_received: 1200,
    rejected: 0,
    age_hours: 3,
    stale: false,
    ...overrides,
  };
}

const SOURCES: DataSource[] = [
  source({ key: "crm", name: "Salesforce" }),
  source({
    key: "billing",
    name: "Stripe",
    last_received_at: ago(12 * 24 * HOUR),
    age_hours: 288,
    stale: true,
    items_received: 40,
    rejected: 2,
  }),
  source({
    key: "support",
    name: "Zendesk",
    last_received_at: null,
    age_hours: null,
    stale: true,
    items_received: 0,
    stale_after_days: 2,
  }),
];

function record(overrides: Partial<UnmatchedRecord> = {}): UnmatchedRecord {
  return {
    id: "u0000000-0000-4000-8000-000000000001",
    kind: "tickets",
    item_id: "T-1001",
    account_key_type: "external_id",
    account_key: "ACME-OLD",
    source: "zendesk",
    received_at: ago(2 * HOUR),
    attempts: 3,
    resolved_at: null,
    resolved_account_id: null,
    status: "pending",
    errors: null,
    payload: {},
    ...overrides,
  };
}

const NO_RATE = { loc: ["amount", "currency"], msg: "no exchange rate for XYZ" };

const REJECTED_RECORD = record({
  id: "u0000000-0000-4000-8000-000000000002",
  kind: "invoices",
  item_id: "in_42",
  account_key: "ACME-EU",
  source: "stripe",
  status: "rejected",
  resolved_account_id: account().id,
  errors: [NO_RATE],
});

const REJECTIONS: Rejection[] = [
  {
    id: 2,
    source: "billing",
    kind: "invoices",
    item_id: "in_123",
    reference: "evt_1PqR",
    errors: [NO_RATE],
    received_at: ago(2 * HOUR),
  },
  {
    id: 1,
    source: "billing",
    kind: null,
    item_id: null,
    reference: "replay",
    errors: [
      { loc: ["items", 0, "amount"], msg: "Input should be greater than 0" },
      { loc: [], msg: "Unknown price" },
    ],
    received_at: ago(3 * 24 * HOUR),
  },
];

function stubSources({
  records = [record()],
  linked = { replayed: 3, rejected: 0 },
  meta = demoMeta,
}: {
  records?: UnmatchedRecord[];
  linked?: Pick<LinkResult, "replayed" | "rejected">;
  meta?: Meta;
} = {}) {
  const calls = {
    sources: 0,
    unmatched: [] as URL[],
    rejections: [] as URL[],
    links: [] as { url: URL; body: unknown }[],
  };
  let current = records;
  const spy = stubApi({
    "GET /api/v1/auth/me": () => json(demoUser),
    "GET /api/v1/meta": () => json(meta),
    "GET /api/v1/sources": () => {
      calls.sources += 1;
      return json(SOURCES);
    },
    "GET /api/v1/sources/billing/rejections": (request) => {
      const url = new URL(request.url);
      calls.rejections.push(url);
      return json({ items: REJECTIONS, total: REJECTIONS.length, page: 1, page_size: 50 });
    },
    "GET /api/v1/unmatched": (request) => {
      const url = new URL(request.url);
      calls.unmatched.push(url);
      const statuses = url.searchParams.has("include_resolved")
        ? ["pending", "resolved", "rejected"]
        : url.searchParams.getAll("status");
      const wanted = statuses.length ? statuses : ["pending"];
      const items = current.filter((r) => wanted.includes(r.status));
      return json({
        items,
        total: items.length,
        page: Number(url.searchParams.get("page") ?? 1),
        page_size: Number(url.searchParams.get("page_size") ?? 50),
      });
    },
    "GET /api/v1/accounts": () => json({ items: [account()], total: 1, page: 1, page_size: 8 }),
    [`POST /api/v1/unmatched/${records[0]?.id}/link`]: async (request) => {
      calls.links.push({ url: new URL(request.url), body: await request.json() });
      current = current.map((r) =>
        r.status === "pending" ? { ...r, status: "resolved", resolved_at: NOW.toISOString() } : r,
      );
      return json({
        alias: {
          id: "a1000000-0000-4000-8000-000000000001",
          account_id: account().id,
          source: "external_id",
          key: "ACME-OLD",
          created_at: NOW.toISOString(),
        },
        ...linked,
      });
    },
  });
  return { spy, calls };
}

describe("Sources", () => {
  beforeEach(() => {
    window.localStorage.setItem(TOKEN_KEY, "test-token");
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("lists sources stale first with relative times, thresholds and status", async () => {
    stubSources();
    renderApp("/sources");

    await screen.findByText("Stripe");
    const rows = screen.getAllByTestId("source-row");
    expect(rows.map((r) => within(r).getAllByRole("cell")[0]?.textContent)).toEqual([
      "Stripebilling",
      "Zendesksupport",
      "Salesforcecrm",
    ]);
    const [stripe, zendesk, salesforce] = rows as [HTMLElement, HTMLElement, HTMLElement];

    expect(within(stripe).getByText("Stale")).toHaveClass("pill-red");
    expect(within(stripe).getByText("12 d ago")).toHaveAttribute(
      "title",
      "2026-01-03 12:00:00 UTC",
    );
    expect(within(stripe).getByText("10 days")).toBeInTheDocument();

    expect(within(zendesk).getAllByText("Never")).toHaveLength(2); // last received + status
    expect(within(zendesk).getByText("2 days")).toBeInTheDocument();

    expect(within(salesforce).getByText("Fresh")).toHaveClass("pill-green");
    expect(within(salesforce).getByText("3 h ago")).toHaveAttribute(
      "title",
      "2026-01-15 09:00:00 UTC",
    );
    expect(within(salesforce).getByText("1,200")).toBeInTheDocument();

    // Rejected column: a link only where something was refused.
    expect(within(stripe).getAllByRole("cell")[3]).toHaveTextContent(/^2$/);
    expect(
      within(stripe).getByRole("link", { name: "Show 2 rejected items from Stripe" }),
    ).toHaveAttribute("href", "/sources?rejected=billing");
    expect(within(salesforce).getAllByRole("cell")[3]).toHaveTextContent(/^0$/);
    expect(within(salesforce).queryByRole("link")).not.toBeInTheDocument();
  });

  it("lists unmatched records and keeps the kind filter and paging in the URL", async () => {
    const { calls } = stubSources();
    const { router } = renderApp("/sources");

    const row = await screen.findByTestId("unmatched-row");
    expect(within(row).getByText("Support tickets")).toBeInTheDocument();
    expect(within(row).getByText("T-1001")).toBeInTheDocument();
    expect(within(row).getByText("External id")).toBeInTheDocument();
    expect(within(row).getByText("ACME-OLD")).toBeInTheDocument();
    expect(within(row).getByText("2 h ago")).toBeInTheDocument();
    expect(calls.unmatched[0]?.search).toBe("?page=1&page_size=50");

    await userEvent.selectOptions(screen.getByRole("combobox", { name: "Kind" }), "tickets");
    await userEvent.selectOptions(screen.getByRole("combobox", { name: "Status" }), "All");
    expect(router.state.location.href).toBe("/sources?kind=tickets&status=all");
    await waitFor(() =>
      expect(calls.unmatched.at(-1)?.search).toBe(
        "?page=1&page_size=50&kind=tickets&include_resolved=true",
      ),
    );
  });

  it("links a record to an account, then shows the replay count and refreshes both tables", async () => {
    const { calls } = stubSources();
    renderApp("/sources");

    const row = await screen.findByTestId("unmatched-row");
    await userEvent.click(within(row).getByRole("button", { name: /Link ACME-OLD/ }));
    const dialog = screen.getByRole("dialog", { name: "Link to account" });
    const link = within(dialog).getByRole("button", { name: "Link" });
    expect(link).toBeDisabled();

    await userEvent.type(within(dialog).getByRole("searchbox"), "acme");
    await userEvent.click(await within(dialog).findByRole("radio", { name: /Acme Corp/ }));
    const sourcesBefore = calls.sources;
    await userEvent.click(link);

    expect(await screen.findByText("Linked; 3 records replayed")).toBeInTheDocument();
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(calls.links[0]?.body).toEqual({ account_id: account().id });
    expect(
      await screen.findByText("No unmatched records — every item found its account"),
    ).toBeInTheDocument();
    await waitFor(() => expect(calls.sources).toBeGreaterThan(sourcesBefore));
  });

  it("closes the link dialog on Escape, even with focus outside it", async () => {
    stubSources();
    renderApp("/sources");
    const row = await screen.findByTestId("unmatched-row");
    const open = within(row).getByRole("button", { name: /Link ACME-OLD/ });
    await userEvent.click(open);
    expect(screen.getByRole("dialog", { name: "Link to account" })).toBeInTheDocument();
    expect(screen.getByRole("searchbox", { name: "Search accounts" })).toHaveFocus();
    (document.activeElement as HTMLElement).blur();
    await userEvent.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(open).toHaveFocus();
  });

  it("says what to do when nothing is unmatched", async () => {
    stubSources({ records: [] });
    renderApp("/sources");
    expect(
      await screen.findByText("No unmatched records — every item found its account"),
    ).toBeInTheDocument();
    expect(screen.getByTestId("unmatched-range")).toHaveTextContent("0 of 0");
  });

  it("opens a source's rejected items from its count, with the reasons, and closes them", async () => {
    const { calls } = stubSources();
    const { router } = renderApp("/sources");

    const [stripe] = await screen.findAllByTestId("source-row");
    expect(screen.queryByRole("region", { name: /Rejected items/ })).not.toBeInTheDocument();
    await userEvent.click(
      within(stripe as HTMLElement).getByRole("link", {
        name: "Show 2 rejected items from Stripe",
      }),
    );
    expect(router.state.location.href).toBe("/sources?rejected=billing");

    const card = await screen.findByRole("region", { name: "Rejected items · Stripe" });
    const rows = await within(card).findAllByTestId("rejection-row");
    expect(calls.rejections[0]?.search).toBe("?page=1&page_size=50");
    expect(within(card).getByText("2 in the last 90 days")).toBeInTheDocument();
    expect(within(card).getByTestId("rejections-range")).toHaveTextContent("1–2 of 2");

    const [first, second] = rows as [HTMLElement, HTMLElement];
    expect(
      within(first)
        .getAllByRole("cell")
        .map((c) => c.textContent),
    ).toEqual([
      "2 h ago",
      "Invoices",
      "in_123",
      "evt_1PqR",
      "amount.currency: no exchange rate for XYZ",
    ]);
    expect(within(first).getByText("2 h ago")).toHaveAttribute("title", "2026-01-15 10:00:00 UTC");
    expect(
      within(second)
        .getAllByRole("cell")
        .slice(0, 4)
        .map((c) => c.textContent),
    ).toEqual(["3 d ago", "—", "—", "replay"]);
    expect(
      within(second)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual(["items.0.amount: Input should be greater than 0", "Unknown price"]);

    await userEvent.click(within(card).getByRole("button", { name: "Close" }));
    expect(router.state.location.href).toBe("/sources");
    expect(screen.queryByRole("region", { name: /Rejected items/ })).not.toBeInTheDocument();
  });

  it("opens rejected items straight from a link", async () => {
    stubSources();
    renderApp("/sources?rejected=billing");
    const card = await screen.findByRole("region", { name: "Rejected items · Stripe" });
    expect(await within(card).findAllByTestId("rejection-row")).toHaveLength(2);
    expect(screen.getByRole("link", { name: "Hide 2 rejected items from Stripe" })).toHaveAttribute(
      "aria-expanded",
      "true",
    );
  });

  it("lists records rejected at replay with their reasons, by status in the URL", async () => {
    const { calls } = stubSources({
      records: [
        record(),
        REJECTED_RECORD,
        record({ id: "u3", status: "resolved", resolved_at: ago(HOUR) }),
      ],
    });
    const { router } = renderApp("/sources");

    await screen.findByTestId("unmatched-row");
    const status = screen.getByRole("combobox", { name: "Status" });
    expect(status).toHaveDisplayValue("Waiting");
    expect(
      within(status)
        .getAllByRole("option")
        .map((o) => o.textContent),
    ).toEqual(["Waiting", "Rejected at replay", "Resolved", "All"]);

    await userEvent.selectOptions(status, "Rejected at replay");
    expect(router.state.location.href).toBe("/sources?status=rejected");
    await waitFor(() =>
      expect(calls.unmatched.at(-1)?.search).toBe("?page=1&page_size=50&status=rejected"),
    );
    await waitFor(() => expect(screen.getAllByTestId("unmatched-row")).toHaveLength(1));
    const row = screen.getByTestId("unmatched-row");
    expect(within(row).getByText("in_42")).toBeInTheDocument();
    expect(within(row).getByText("Rejected")).toHaveClass("pill-red");
    expect(within(row).queryByRole("button")).not.toBeInTheDocument();
    expect(screen.getByTestId("unmatched-reasons")).toHaveTextContent(
      "Rejected at replay:amount.currency: no exchange rate for XYZ",
    );
    expect(screen.getByText("1 record rejected at replay")).toBeInTheDocument();

    await userEvent.selectOptions(status, "Resolved");
    expect(router.state.location.href).toBe("/sources?status=resolved");
    await waitFor(() => expect(screen.queryByTestId("unmatched-reasons")).not.toBeInTheDocument());
    expect(within(screen.getByTestId("unmatched-row")).getByText("Resolved")).toHaveClass(
      "pill-green",
    );
  });

  it("still reads the old include_resolved=true as every status", async () => {
    const { calls } = stubSources({ records: [record(), REJECTED_RECORD] });
    renderApp("/sources?include_resolved=true");
    await waitFor(() => expect(screen.getAllByTestId("unmatched-row")).toHaveLength(2));
    expect(screen.getByRole("combobox", { name: "Status" })).toHaveDisplayValue("All");
    expect(calls.unmatched[0]?.search).toBe("?page=1&page_size=50&include_resolved=true");
    expect(screen.getAllByRole("button", { name: /^Link / })).toHaveLength(1);
  });

  it("says how many replayed records were rejected after linking", async () => {
    stubSources({ linked: { replayed: 3, rejected: 1 } });
    renderApp("/sources");

    const row = await screen.findByTestId("unmatched-row");
    await userEvent.click(within(row).getByRole("button", { name: /Link ACME-OLD/ }));
    const dialog = screen.getByRole("dialog", { name: "Link to account" });
    await userEvent.type(within(dialog).getByRole("searchbox"), "acme");
    await userEvent.click(await within(dialog).findByRole("radio", { name: /Acme Corp/ }));
    await userEvent.click(within(dialog).getByRole("button", { name: "Link" }));

    const notice = await screen.findByTestId("link-notice");
    expect(notice).toHaveTextContent(/^Linked; 3 records replayed, 1 rejected$/);
    expect(notice).toHaveClass("notice-warn");
  });

  it("notes which connectors are on", async () => {
    stubSources();
    renderApp("/sources");
    const note = await screen.findByRole("list", { name: "Connectors" });
    expect(
      within(note)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual([
      "Stripe webhooks: off",
      "Segment: off",
      "Segment group calls create accounts: off (set TEMPO_SEGMENT_GROUP_ACCOUNTS=true to turn on)",
    ]);
  });

  it("notes connectors that are switched on", async () => {
    stubSources({
      meta: {
        ...demoMeta,
        connectors: { stripe: true, segment: true, segment_group_accounts: true },
      },
    });
    renderApp("/sources");
    const note = await screen.findByRole("list", { name: "Connectors" });
    expect(
      within(note)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual(["Stripe webhooks: on", "Segment: on", "Segment group calls create accounts: on"]);
  });
});
