import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { TOKEN_KEY } from "../../api/token";
import { account, demoMeta, demoUser, json, renderApp, requestAt, stubApi } from "../../test/utils";

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

function stubBook() {
  const listRequests: URL[] = [];
  const fetchSpy = stubApi({
    "GET /api/v1/auth/me": () => json(demoUser),
    "GET /api/v1/meta": () => json(demoMeta),
    "GET /api/v1/accounts": (request) => {
      const url = new URL(request.url);
      listRequests.push(url);
      return json({
        items: rows,
        total: 2,
        page: Number(url.searchParams.get("page") ?? 1),
        page_size: Number(url.searchParams.get("page_size") ?? 50),
      });
    },
  });
  return { fetchSpy, listRequests };
}

describe("Book", () => {
  beforeEach(() => {
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

    const [acmeRow, globexRow] = screen.getAllByTestId("account-row");
    if (!acmeRow || !globexRow) throw new Error("rows missing");
    expect(within(acmeRow).getByText("$120K")).toHaveAttribute("title", "$120,000");
    expect(within(acmeRow).getByText("Healthy")).toBeInTheDocument();
    expect(within(acmeRow).getByText("Champions")).toBeInTheDocument();
    expect(within(acmeRow).getByText("in 45 d")).toBeInTheDocument();
    expect(within(globexRow).getByText("$1.25M")).toBeInTheDocument();
    expect(within(globexRow).getByText("Unassigned")).toBeInTheDocument();
    expect(within(globexRow).getByText("Churned")).toBeInTheDocument();
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
    expect(first?.searchParams.get("segment")).toBe("Enterprise");
    expect(first?.searchParams.get("sort")).toBe("-arr");
    expect(screen.getByRole("searchbox", { name: "Search accounts" })).toHaveValue("acme");

    const arrHeader = screen.getByRole("columnheader", { name: "ARR" });
    expect(arrHeader).toHaveAttribute("aria-sort", "descending");
    await userEvent.click(within(arrHeader).getByRole("button", { name: "ARR" }));

    expect(router.state.location.search).toEqual({ q: "acme", segment: "Enterprise", sort: "arr" });
    expect(router.state.location.href).toBe("/book?sort=arr&q=acme&segment=Enterprise");
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
});
