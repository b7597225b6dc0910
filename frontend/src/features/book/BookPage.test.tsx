import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { TOKEN_KEY } from "../../api/token";
import { account, demoMeta, demoUser, json, renderApp, requestAt, stubApi } from "../../test/utils";
import type { SavedView } from "./queries";

const rows = [
  account(),
  account({
    id: "a0000000-0000-4000-8000-000000000002",
    external_id: "GLOBEX-7",
    name: "Globex",
    segment: "SMB",
    plan: "Starter",
    owner: null,
    arr: 1250000,
    renewal_date: null,
    health_score: null,
    band: null,
    quadrant: null,
    status: "churned",
    flag: "red",
  }),
];

function stubBook(user = demoUser, defaultScope = "mine") {
  const listRequests: URL[] = [];
  const fetchSpy = stubApi({
    "GET /api/v1/auth/me": () => json(user),
    "GET /api/v1/meta": () => json(demoMeta),
    "GET /api/v1/accounts": (request) => {
      const url = new URL(request.url);
      listRequests.push(url);
      return json({
        items: rows,
        total: 2,
        page: Number(url.searchParams.get("page") ?? 1),
        page_size: Number(url.searchParams.get("page_size") ?? 50),
        scope: url.searchParams.get("scope") ?? defaultScope,
      });
    },
  });
  return { fetchSpy, listRequests };
}

function headers(): string[] {
  return screen.getAllByRole("columnheader").map((h) => h.textContent?.replace(/[↕▲▼]/g, "") ?? "");
}

describe("Book", () => {
  beforeEach(() => {
    window.localStorage.clear();
    window.localStorage.setItem(TOKEN_KEY, "test-token");
  });

  it("renders accounts from accounts:list with the paging text", async () => {
    const { fetchSpy, listRequests } = stubBook();
    renderApp("/book");

    const acme = await screen.findByRole("link", { name: "Acme Corp" });
    expect(acme).toHaveAttribute("href", `/accounts/${rows[0]?.id}`);
    expect(screen.getByRole("link", { name: "Globex" })).toBeInTheDocument();
    expect(screen.getAllByTestId("account-row")).toHaveLength(2);
    expect(screen.getByTestId("book-range")).toHaveTextContent("1–2 of 2");

    // A CSM opens on their own accounts, with the columns they work from (no owner: theirs).
    expect(headers()).toEqual([
      "Account",
      "Health",
      "Renewal",
      "ARR",
      "Last touch",
      "Last QBR",
      "Tickets",
      "Alerts",
    ]);
    const [acmeRow, globexRow] = screen.getAllByTestId("account-row");
    if (!acmeRow || !globexRow) throw new Error("rows missing");
    expect(within(acmeRow).getAllByRole("cell")).toHaveLength(8);
    expect(within(acmeRow).getByText("$120K")).toHaveAttribute("title", "$120,000");
    expect(within(acmeRow).getByText("Healthy")).toBeInTheDocument();
    // How soon it renews (the date on hover) and the term; nothing without a renewal.
    expect(within(acmeRow).getByText("in 45 d")).toHaveAttribute("title", "Mar 1, 2026");
    expect(within(acmeRow).getByTestId("renewal-term")).toHaveTextContent("Annual");
    expect(within(globexRow).queryByTestId("renewal-term")).not.toBeInTheDocument();
    expect(within(globexRow).getByText("$1.25M")).toBeInTheDocument();
    expect(within(acmeRow).queryByText("Champions")).not.toBeInTheDocument();
    expect(within(globexRow).queryByText("Unassigned")).not.toBeInTheDocument();
    expect(within(globexRow).getByRole("img", { name: "Red flag" })).toBeInTheDocument();

    // Default request: first page, 50 rows, biggest ARR first; bearer token attached.
    expect(listRequests[0]?.search).toBe("?page=1&page_size=50&sort=-arr");
    const firstCall = requestAt(fetchSpy);
    expect(firstCall.headers.get("Authorization")).toBe("Bearer test-token");
    expect(screen.getByText("demo@tempo.test")).toBeInTheDocument();
  });

  it("reads table state from the URL and writes sorting back to it", async () => {
    const { listRequests } = stubBook();
    const { router } = renderApp("/book?page=2&q=acme&segment=Enterprise&sort=bogus");

    await screen.findByRole("link", { name: "Acme Corp" });
    const first = listRequests[0];
    expect(first?.searchParams.get("page")).toBe("2");
    expect(first?.searchParams.get("q")).toBe("acme");
    expect(first?.searchParams.get("filter")).toBe("segment=Enterprise");
    expect(first?.searchParams.get("sort")).toBe("-arr");
    expect(screen.getByRole("searchbox", { name: "Search accounts" })).toHaveValue("acme");

    const arrHeader = screen.getByRole("columnheader", { name: "ARR" });
    expect(arrHeader).toHaveAttribute("aria-sort", "descending");
    await userEvent.click(within(arrHeader).getByRole("button", { name: "ARR" }));

    expect(router.state.location.search).toEqual({
      q: "acme",
      filter: "segment=Enterprise",
      sort: "arr",
    });
    expect(router.state.location.href).toBe("/book?sort=arr&q=acme&filter=segment%3DEnterprise");
    expect(await screen.findByRole("columnheader", { name: "ARR" })).toHaveAttribute(
      "aria-sort",
      "ascending",
    );
  });

  it("shows an empty state when nothing matches", async () => {
    stubApi({
      "GET /api/v1/auth/me": () => json(demoUser),
      "GET /api/v1/meta": () => json(demoMeta),
      "GET /api/v1/accounts": () => json({ items: [], total: 0, page: 1, page_size: 50 }),
    });
    renderApp("/book?q=nothing");
    expect(await screen.findByText("No accounts match these filters")).toBeInTheDocument();
    expect(screen.getByTestId("book-range")).toHaveTextContent("0 of 0");
  });

  it("shows the server's error with a retry button", async () => {
    stubApi({
      "GET /api/v1/auth/me": () => json(demoUser),
      "GET /api/v1/meta": () => json(demoMeta),
      "GET /api/v1/accounts": () =>
        json(
          { type: "about:blank", title: "Internal error", status: 500, detail: "Database is down" },
          500,
        ),
    });
    renderApp("/book");
    expect(await screen.findByText("Database is down")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Retry" })).toBeInTheDocument();
  });

  it("redirects to /login when the session has expired (401)", async () => {
    stubApi({
      "GET /api/v1/auth/me": () => json({ title: "Unauthorized", status: 401 }, 401),
      "GET /api/v1/meta": () => json({ title: "Unauthorized", status: 401 }, 401),
      "GET /api/v1/accounts": () => json({ title: "Unauthorized", status: 401 }, 401),
    });
    const { router } = renderApp("/book?page=2");
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/login");
    expect(router.state.location.search).toEqual({ redirect: "/book?page=2" });
    expect(window.localStorage.getItem(TOKEN_KEY)).toBeNull();
  });

  it("switches between Mine, Team and Everyone, kept in the URL, with the owner beside", async () => {
    const { listRequests } = stubBook();
    const { router } = renderApp("/book");
    await screen.findByRole("link", { name: "Acme Corp" });
    const toggle = screen.getByRole("group", { name: "Whose accounts" });
    expect(within(toggle).getByRole("button", { name: "Mine" })).toHaveAttribute(
      "aria-pressed",
      "true",
    );
    expect(screen.getByTestId("book-scope")).toHaveTextContent(
      "Your accounts (owned or on the account team)",
    );
    // no scope in the URL: the server's default for the caller
    expect(listRequests[0]?.searchParams.has("scope")).toBe(false);

    await userEvent.click(within(toggle).getByRole("button", { name: "Team" }));
    expect(router.state.location.search).toEqual({ scope: "team" });
    await screen.findByText("Your team's accounts: value, renewal and health.");
    expect(listRequests[listRequests.length - 1]?.searchParams.get("scope")).toBe("team");
    expect(within(toggle).getByRole("button", { name: "Team" })).toHaveAttribute(
      "aria-pressed",
      "true",
    );
    // not only the user's own: who owns each account, the email on hover
    expect(headers()).toEqual([
      "Account",
      "Health",
      "Renewal",
      "ARR",
      "Last touch",
      "Last QBR",
      "Tickets",
      "Alerts",
      "Owner",
    ]);
    const [acmeRow, globexRow] = screen.getAllByTestId("account-row");
    if (!acmeRow || !globexRow) throw new Error("rows missing");
    expect(within(acmeRow).getByText("Demo User")).toHaveAttribute("title", "demo@tempo.test");
    expect(within(globexRow).getByText("Unassigned")).toBeInTheDocument();

    await userEvent.click(within(toggle).getByRole("button", { name: "Everyone" }));
    expect(router.state.location.search).toEqual({ scope: "all" });
    await screen.findByText("Every account, its value, renewal and health.");
  });

  it("shows the scope the server applied when the URL names none", async () => {
    // a leader nobody reports to: the server answers everyone's
    stubBook({ ...demoUser, role: "leader" }, "all");
    renderApp("/book");
    await screen.findByRole("link", { name: "Acme Corp" });
    const toggle = screen.getByRole("group", { name: "Whose accounts" });
    await waitFor(() =>
      expect(within(toggle).getByRole("button", { name: "Everyone" })).toHaveAttribute(
        "aria-pressed",
        "true",
      ),
    );
    expect(headers()).toContain("Owner");
  });

  it("offers the added columns in the Columns menu, not by default", async () => {
    stubApi({
      "GET /api/v1/auth/me": () => json(demoUser),
      "GET /api/v1/meta": () => json(demoMeta),
      "GET /api/v1/accounts": () =>
        json({
          items: [
            {
              ...account(),
              contract_start: "2025-03-01",
              days_since_primary_login: 41,
              oldest_ticket_age_days: 12,
              forecast_status: "risk",
              expansion_potential: 22800,
            },
            {
              ...account({ id: "a0000000-0000-4000-8000-000000000002", name: "Globex" }),
              contract_start: null,
              days_since_primary_login: null,
              oldest_ticket_age_days: null,
              forecast_status: null,
              expansion_potential: null,
            },
          ],
          total: 2,
          page: 1,
          page_size: 50,
          scope: "mine",
        }),
    });
    renderApp("/book");
    await screen.findByRole("link", { name: "Acme Corp" });
    const added = ["Contract start", "Primary login", "Oldest ticket", "Forecast", "Expansion"];
    for (const name of added) expect(headers()).not.toContain(name);

    await userEvent.click(screen.getByRole("button", { name: "Columns (+11)" }));
    const menu = screen.getByRole("group", { name: "Columns" });
    for (const label of [
      "Contract start",
      "Days since primary contact login",
      "Oldest open ticket age",
      "Renewal forecast",
      "Expansion potential",
    ]) {
      await userEvent.click(within(menu).getByRole("checkbox", { name: label }));
    }
    expect(headers().slice(-5)).toEqual(added);
    // the ones the API sorts by are sortable; the ones computed per page are not
    for (const name of ["Contract start", "Oldest ticket", "Forecast"]) {
      expect(
        within(screen.getByRole("columnheader", { name })).getByRole("button", { name }),
      ).toBeInTheDocument();
    }
    for (const name of ["Primary login", "Expansion"]) {
      expect(
        within(screen.getByRole("columnheader", { name })).queryByRole("button"),
      ).not.toBeInTheDocument();
    }
    const [acme, globex] = screen.getAllByTestId("account-row");
    if (!acme || !globex) throw new Error("rows missing");
    const last5 = (row: HTMLElement) =>
      within(row)
        .getAllByRole("cell")
        .slice(-5)
        .map((c) => c.textContent);
    expect(last5(acme)).toEqual(["Mar 1, 2025", "41 d ago", "12 d", "Risk", "$22.8K"]);
    expect(last5(globex)).toEqual(["—", "—", "—", "—", "—"]);
    expect(within(acme).getByText("$22.8K")).toHaveAttribute(
      "title",
      "$22,800 expected expansion, as the queue ranks opportunities",
    );
  });

  it("shows and hides columns from the Columns menu, remembered in this browser", async () => {
    stubBook();
    const first = renderApp("/book");
    await screen.findByRole("link", { name: "Acme Corp" });
    await userEvent.click(screen.getByRole("button", { name: "Columns (+11)" }));
    const menu = screen.getByRole("group", { name: "Columns" });
    await userEvent.click(within(menu).getByRole("checkbox", { name: "Quadrant" }));
    await userEvent.click(within(menu).getByRole("checkbox", { name: "Last QBR" }));
    expect(headers()).toEqual([
      "Account",
      "Health",
      "Renewal",
      "ARR",
      "Last touch",
      "Tickets",
      "Alerts",
      "Quadrant",
    ]);
    expect(within(screen.getAllByTestId("account-row")[0] as HTMLElement).getByText("Champions"));
    expect(JSON.parse(window.localStorage.getItem("tempo.book.columns") ?? "{}")).toEqual({
      quadrant: true,
      last_qbr_on: false,
    });
    first.unmount();

    renderApp("/book");
    await screen.findByRole("link", { name: "Acme Corp" });
    expect(headers()).toContain("Quadrant");
    await userEvent.click(screen.getByRole("button", { name: "Columns (+11)" }));
    await userEvent.click(screen.getByRole("button", { name: "Default columns" }));
    expect(headers()).not.toContain("Quadrant");
    expect(headers()).toContain("Last QBR");
    expect(window.localStorage.getItem("tempo.book.columns")).toBeNull();
  });
});

const FIELDS = {
  fields: [
    {
      name: "renewal_in",
      label: "Days to renewal",
      kind: "days_until",
      ops: ["=", "!=", "<", "<=", ">", ">="],
      choices: [],
    },
    {
      name: "term",
      label: "Renewal term",
      kind: "enum",
      ops: ["=", "!="],
      choices: ["monthly", "annual", "multi_year", "contract"],
    },
    {
      name: "band",
      label: "Health band",
      kind: "enum",
      ops: ["=", "!="],
      choices: ["healthy", "watch", "at_risk"],
    },
    {
      name: "qbr",
      label: "Days since last QBR",
      kind: "days_since",
      ops: ["=", "!=", "<", "<=", ">", ">="],
      choices: [],
    },
    {
      name: "health",
      label: "Health score",
      kind: "number",
      ops: ["=", "!=", "<", "<=", ">", ">="],
      choices: [],
    },
  ],
  owners: [],
};

const VIEWS: SavedView[] = [
  {
    id: "v0",
    key: "renewing-60-at-risk-no-qbr",
    name: "Renewing in 60 days · at risk · no QBR in 90 days",
    description: "Renewal in the next 60 days, health band at risk, and no QBR in the last 90 days",
    query: { filter: "renewal_in<=60 band=at_risk qbr>90", sort: "renewal_date", q: "" },
    is_builtin: true,
    shared: true,
    owner_id: null,
    mine: false,
    scope: "mine",
  },
  {
    id: "v1",
    key: "renewal-risk",
    name: "Renewal risk",
    description: "Renewal in the next 90 days and health below 70",
    query: { filter: "renewal_in<90 health<70", sort: "renewal_date", q: "" },
    is_builtin: true,
    shared: true,
    owner_id: null,
    mine: false,
    scope: "mine",
  },
  {
    id: "v2",
    key: null,
    name: "Olive's book",
    description: null,
    query: { filter: "owner=olive@example.com", sort: "-arr", q: "" },
    is_builtin: false,
    shared: true,
    owner_id: "6f1c1c5e-0000-4000-8000-000000000009",
    mine: false,
    scope: "all",
  },
];

function stubFilteredBook(onList?: (url: URL) => Response | undefined) {
  const listRequests: URL[] = [];
  const fetchSpy = stubApi({
    "GET /api/v1/auth/me": () => json(demoUser),
    "GET /api/v1/meta": () => json(demoMeta),
    "GET /api/v1/accounts/fields": () => json(FIELDS),
    "GET /api/v1/views": () => json(VIEWS),
    "GET /api/v1/accounts": (request) => {
      const url = new URL(request.url);
      listRequests.push(url);
      return (
        onList?.(url) ??
        json({
          items: rows,
          total: 2,
          page: 1,
          page_size: 50,
          filter: url.searchParams.get("filter") ?? "",
        })
      );
    },
    "GET /api/v1/accounts/export": () =>
      new Response("External ID,Account\r\n", {
        headers: {
          "Content-Type": "text/csv; charset=utf-8",
          "Content-Disposition": 'attachment; filename="tempo-book-2026-01-15.csv"',
        },
      }),
  });
  return { fetchSpy, listRequests };
}

describe("Book filters, views and export", () => {
  beforeEach(() => {
    window.localStorage.setItem(TOKEN_KEY, "test-token");
  });

  it("shows the URL's filter as chips in words, and removing one updates the URL", async () => {
    const { listRequests } = stubFilteredBook();
    const { router } = renderApp("/book?filter=renewal_in<%3D60 band%3Dat_risk qbr>90");
    await screen.findByRole("link", { name: "Acme Corp" });
    expect(listRequests[0]?.searchParams.get("filter")).toBe("renewal_in<=60 band=at_risk qbr>90");
    await screen.findByText("Renewal in ≤ 60 days");
    expect(screen.getAllByTestId("filter-chip").map((c) => c.textContent)).toEqual([
      "Renewal in ≤ 60 days×",
      "Health band is at risk×",
      "Last QBR > 90 days ago×",
    ]);
    // Renewal days mean term renewals unless the filter names a term.
    expect(screen.getByTestId("filter-note")).toHaveTextContent(
      "Renewal days count annual, multi-year and contract renewals.",
    );
    await userEvent.click(
      screen.getByRole("button", { name: "Remove filter: Health band is at risk" }),
    );
    expect(router.state.location.search).toEqual({ filter: "renewal_in<=60 qbr>90" });
  });

  it("says a renewal filter with a term in words, without the term-renewals note", async () => {
    const { listRequests } = stubFilteredBook();
    renderApp("/book?filter=renewal_in<%3D30 term%3Dmonthly");
    await screen.findByRole("link", { name: "Acme Corp" });
    expect(listRequests[0]?.searchParams.get("filter")).toBe("renewal_in<=30 term=monthly");
    await screen.findByText("Renewal in ≤ 30 days");
    expect(screen.getAllByTestId("filter-chip").map((c) => c.textContent)).toEqual([
      "Renewal in ≤ 30 days×",
      "Renewal term is monthly×",
    ]);
    expect(screen.queryByTestId("filter-note")).not.toBeInTheDocument();
  });

  it("adds a filter from the field, operator and value pickers", async () => {
    stubFilteredBook();
    const { router } = renderApp("/book");
    await screen.findByRole("link", { name: "Acme Corp" });
    await userEvent.click(await screen.findByRole("button", { name: "+ Add filter" }));
    const form = screen.getByRole("form", { name: "Add a filter" });
    await userEvent.selectOptions(within(form).getByLabelText("Field"), "band");
    await userEvent.selectOptions(within(form).getByLabelText("Value"), "at_risk");
    await userEvent.click(within(form).getByRole("button", { name: "Add" }));
    expect(router.state.location.search).toEqual({ filter: "band=at_risk" });
    await userEvent.click(screen.getByRole("button", { name: "+ Add filter" }));
    const again = screen.getByRole("form", { name: "Add a filter" });
    await userEvent.selectOptions(within(again).getByLabelText("Field"), "qbr");
    await userEvent.selectOptions(within(again).getByLabelText("Operator"), ">");
    await userEvent.type(within(again).getByLabelText("Value"), "90");
    await userEvent.click(within(again).getByRole("button", { name: "Add" }));
    expect(router.state.location.search).toEqual({ filter: "band=at_risk qbr>90" });
  });

  it("applies a built-in view in one click, over the user's own book", async () => {
    const { listRequests } = stubFilteredBook();
    const { router } = renderApp("/book");
    const chips = await screen.findByRole("group", { name: "Built-in views" });
    expect(
      within(chips)
        .getAllByRole("button")
        .map((b) => b.textContent),
    ).toEqual(["Renewing in 60 days · at risk · no QBR in 90 days", "Renewal risk"]);
    await userEvent.click(within(chips).getByRole("button", { name: "Renewal risk" }));
    expect(router.state.location.search).toEqual({
      filter: "renewal_in<90 health<70",
      sort: "renewal_date",
      scope: "mine",
    });
    expect(await screen.findByRole("button", { name: "Renewal risk" })).toHaveAttribute(
      "aria-pressed",
      "true",
    );
    expect(within(chips).getByRole("button", { name: /^Renewing in 60 days/ })).toHaveAttribute(
      "aria-pressed",
      "false",
    );
    const last = listRequests[listRequests.length - 1];
    expect(last?.searchParams.get("filter")).toBe("renewal_in<90 health<70");
    expect(last?.searchParams.get("sort")).toBe("renewal_date");
    expect(last?.searchParams.get("scope")).toBe("mine");
    // a built-in view is no new view to save; clicking its chip again clears the filter
    expect(screen.queryByRole("button", { name: "Save view" })).not.toBeInTheDocument();
    await userEvent.click(within(chips).getByRole("button", { name: "Renewal risk" }));
    expect(router.state.location.search).toEqual({ sort: "renewal_date", scope: "mine" });
  });

  it("presses the chip of the filter on screen, whatever the sort", async () => {
    stubFilteredBook();
    renderApp("/book?filter=renewal_in<%3D60 band%3Dat_risk qbr>90&sort=-arr");
    const chips = await screen.findByRole("group", { name: "Built-in views" });
    expect(within(chips).getByRole("button", { name: /^Renewing in 60 days/ })).toHaveAttribute(
      "aria-pressed",
      "true",
    );
  });

  it("opens a view whose filter names an owner over everyone's accounts", async () => {
    const { listRequests } = stubFilteredBook();
    const { router } = renderApp("/book?scope=team");
    await screen.findByRole("link", { name: "Acme Corp" });
    const views = listRequests.length;
    await userEvent.selectOptions(
      await screen.findByRole("combobox", { name: "My and shared views" }),
      "v2",
    );
    expect(router.state.location.search).toEqual({
      filter: "owner=olive@example.com",
      scope: "all",
    });
    expect(listRequests.length).toBeGreaterThan(views);
  });

  it("marks the term the server refused and says why", async () => {
    stubFilteredBook((url) =>
      url.searchParams.get("filter")
        ? json(
            {
              type: "about:blank",
              title: "Validation error",
              status: 422,
              detail: "filter: unknown field 'helth'; did you mean 'health'? (in 'helth<60')",
              errors: [
                {
                  loc: ["query", "filter", 1],
                  msg: "unknown field 'helth'; did you mean 'health'?",
                  type: "filter",
                },
              ],
            },
            422,
          )
        : undefined,
    );
    renderApp("/book?filter=band%3Dat_risk helth<60");
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "unknown field 'helth'; did you mean 'health'?",
    );
    const chips = screen.getAllByTestId("filter-chip");
    expect(chips[1]).toHaveClass("chip-error");
    expect(chips[0]).not.toHaveClass("chip-error");
  });

  it("exports the filtered book in the table's order", async () => {
    const { fetchSpy } = stubFilteredBook();
    const clicked: string[] = [];
    const original = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    };
    URL.createObjectURL = () => "blob:export";
    URL.revokeObjectURL = () => undefined;
    try {
      renderApp("/book?filter=band%3Dat_risk&sort=name&page=2");
      await screen.findByRole("link", { name: "Acme Corp" });
      await userEvent.click(screen.getByRole("button", { name: /^Export CSV/ }));
      await screen.findByRole("button", { name: /^Export CSV/ });
      const exportCall = fetchSpy.mock.calls
        .map((c) => c[0] as Request)
        .find((r) => r.url.includes("/export"));
      const url = new URL(exportCall?.url ?? "");
      expect(Object.fromEntries(url.searchParams)).toEqual({
        filter: "band=at_risk",
        sort: "name",
        format: "csv",
      });
      expect(clicked).toEqual(["tempo-book-2026-01-15.csv"]);
    } finally {
      HTMLAnchorElement.prototype.click = original;
    }
  });
});
