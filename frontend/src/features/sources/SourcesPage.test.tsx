import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { DataSource, UnmatchedRecord } from "../../api/client";
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
    payload: {},
    ...overrides,
  };
}

function stubSources({ records = [record()] }: { records?: UnmatchedRecord[] } = {}) {
  const calls = { sources: 0, unmatched: [] as URL[], links: [] as { url: URL; body: unknown }[] };
  let pending = records;
  const spy = stubApi({
    "GET /api/v1/auth/me": () => json(demoUser),
    "GET /api/v1/meta": () => json(demoMeta),
    "GET /api/v1/sources": () => {
      calls.sources += 1;
      return json(SOURCES);
    },
    "GET /api/v1/unmatched": (request) => {
      const url = new URL(request.url);
      calls.unmatched.push(url);
      return json({
        items: pending,
        total: pending.length,
        page: Number(url.searchParams.get("page") ?? 1),
        page_size: Number(url.searchParams.get("page_size") ?? 50),
      });
    },
    "GET /api/v1/accounts": () => json({ items: [account()], total: 1, page: 1, page_size: 8 }),
    [`POST /api/v1/unmatched/${records[0]?.id}/link`]: async (request) => {
      calls.links.push({ url: new URL(request.url), body: await request.json() });
      pending = [];
      return json({
        alias: {
          id: "a1000000-0000-4000-8000-000000000001",
          account_id: account().id,
          source: "external_id",
          key: "ACME-OLD",
          created_at: NOW.toISOString(),
        },
        replayed: 3,
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
    await userEvent.click(screen.getByRole("checkbox", { name: "Include resolved" }));
    expect(router.state.location.href).toBe("/sources?kind=tickets&include_resolved=true");
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
});
