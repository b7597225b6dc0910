import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { UserPublic } from "../../api/client";
import { TOKEN_KEY } from "../../api/token";
import { demoMeta, demoUser, json, renderApp, stubApi } from "../../test/utils";
import { hygiene, renewalPastAccounts } from "./fixtures";
import type { Hygiene } from "./queries";

// ECharts needs a real canvas: render a stand-in that exposes the chart's label.
vi.mock("../../ui/Chart", () => ({
  Chart: ({ label }: { label: string }) => <div role="img" aria-label={label} />,
}));

const admin: UserPublic = { ...demoUser, role: "admin" };
const ACCOUNTS = "/api/v1/hygiene/checks/renewal_past/accounts";
const MISSING_ICP = "/api/v1/hygiene/checks/missing%3Aicp_tier/accounts";

function stubHygiene(answer: Hygiene = hygiene) {
  const summaries: URLSearchParams[] = [];
  const lists: URL[] = [];
  const spy = stubApi({
    "GET /api/v1/auth/me": () => json(admin),
    "GET /api/v1/meta": () => json(demoMeta),
    "GET /api/v1/hygiene": (request) => {
      const params = new URL(request.url).searchParams;
      summaries.push(params);
      return json({ ...answer, scope: params.get("scope") ?? answer.scope });
    },
    [`GET ${ACCOUNTS}`]: (request) => {
      const url = new URL(request.url);
      lists.push(url);
      if (url.searchParams.get("format") === "csv") {
        return new Response("Account ID,External ID,Account\r\n", {
          headers: {
            "Content-Type": "text/csv",
            "Content-Disposition":
              'attachment; filename="tempo-hygiene-renewal_past-2026-01-15.csv"',
          },
        });
      }
      return json(renewalPastAccounts);
    },
    [`GET ${MISSING_ICP}`]: (request) => {
      lists.push(new URL(request.url));
      return json({
        ...renewalPastAccounts,
        key: "missing:icp_tier",
        label: "Missing: ICP tier",
        columns: [],
        items: renewalPastAccounts.items.map((a) => ({ ...a, values: {} })),
        total: 2,
      });
    },
  });
  return { spy, summaries, lists };
}

describe("Data hygiene", () => {
  beforeEach(() => {
    window.localStorage.setItem(TOKEN_KEY, "test-token");
  });

  it("shows the score with its parts, the fill rates and every check", async () => {
    const { summaries } = stubHygiene();
    renderApp("/hygiene");

    expect(await screen.findByTestId("hygiene-score")).toHaveTextContent("87.4");
    expect(screen.getByRole("heading", { level: 1, name: "Data hygiene" })).toBeInTheDocument();
    expect(document.title).toBe("Data hygiene · Tempo");
    expect(screen.getByTestId("hygiene-subtitle")).toHaveTextContent(
      "How complete and consistent the data of every account is: 850 active accounts, $40M ARR",
    );
    // No scope asked: the server's default for the caller.
    expect(summaries[0]?.get("scope")).toBeNull();

    // The parts that count, with their values and weights; the others named as unscored.
    const parts = screen.getByTestId("score-parts");
    const rows = within(parts).getAllByRole("row").slice(1);
    expect(rows.map((r) => r.textContent)).toEqual([
      "Fields filled in",
      "Segment100%2",
      "ICP tier60%2",
      "Accounts passing the check",
      "Renewal date in the past97%2",
    ]);
    expect(
      screen.getByText(/Shown but not scored: Region, CRM and billing ARR disagree/),
    ).toBeInTheDocument();

    // The chart, lowest fill first; fields with no account to measure are named.
    expect(
      screen.getByRole("img", {
        name: "Fill rate by field, lowest first: ICP tier 60%, Region 95%, Segment 100%",
      }),
    ).toBeInTheDocument();
    expect(screen.getByText("Nothing to measure: Contract end.")).toBeInTheDocument();
    expect(
      within(screen.getByTestId("fill-icp_tier"))
        .getAllByRole("cell")
        .map((c) => c.textContent),
    ).toEqual(["510 of 850", "60%", "$4.1M", "340 missing"]);

    const past = screen.getByTestId("check-renewal_past");
    expect(within(past).getByRole("rowheader")).toHaveTextContent("Renewal date in the past");
    expect(
      within(past).getByTitle("Renewal date in the past: the definition."),
    ).toBeInTheDocument();
    expect(past).toHaveTextContent("High");
    expect(past).toHaveTextContent("25 of 600 accounts");
    expect(past).toHaveTextContent("4%");
    expect(past).toHaveTextContent("$1.2M");
    const mismatch = screen.getByTestId("check-arr_mismatch");
    expect(mismatch).toHaveTextContent("Not measurable");
    expect(mismatch).toHaveTextContent("No active account in scope has both an ARR from the CRM");
    expect(within(mismatch).queryByRole("button")).not.toBeInTheDocument();
    const unmatched = screen.getByTestId("check-unmatched_backlog");
    expect(unmatched).toHaveTextContent("14 records waiting · oldest 9 d");
    expect(within(unmatched).getByRole("link", { name: "Match records" })).toHaveAttribute(
      "href",
      "/sources",
    );
    expect(screen.getByTestId("check-stale_sources")).toHaveTextContent("0 of 6 sources");
    // Nothing fails: nothing to list.
    expect(
      within(screen.getByTestId("check-no_owner")).queryByRole("button"),
    ).not.toBeInTheDocument();
  });

  it("lists the accounts behind a check, linked, and exports them as CSV", async () => {
    const user = userEvent.setup();
    const { lists, spy } = stubHygiene();
    const { router } = renderApp("/hygiene");

    const button = await screen.findByRole("button", {
      name: "Show 25 accounts: Renewal date in the past",
    });
    expect(button).toHaveAttribute("aria-expanded", "false");
    await user.click(button);
    const list = await screen.findByTestId("hygiene-accounts");
    expect(router.state.location.search).toEqual({ open: "renewal_past" });
    expect(
      screen.getByRole("button", { name: "Hide accounts: Renewal date in the past" }),
    ).toHaveAttribute("aria-expanded", "true");
    expect(lists[0]?.searchParams.get("limit")).toBe("100");
    expect(within(list).getByRole("link", { name: "Acme Corp" })).toHaveAttribute(
      "href",
      "/accounts/a0000000-0000-4000-8000-000000000001",
    );
    expect(
      within(list).getByText("The 2 largest of 25 accounts by ARR; the export has them all"),
    ).toBeInTheDocument();
    const rows = within(list).getAllByRole("row").slice(1);
    expect(rows.map((r) => r.textContent)).toEqual([
      "Acme Corpcasey@tempo.test$120KJan 5, 202610 dMar 1, 2026",
      "GlobexNo owner$30KDec 1, 202545 d—",
    ]);

    const clicked: string[] = [];
    const original = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    };
    URL.createObjectURL = () => "blob:export";
    URL.revokeObjectURL = () => undefined;
    try {
      await user.click(within(list).getByRole("button", { name: "Export CSV" }));
      await waitFor(() => expect(clicked).toEqual(["tempo-hygiene-renewal_past-2026-01-15.csv"]));
      const exportCall = spy.mock.calls
        .map((c) => c[0] as Request)
        .find((r) => r.url.includes("format=csv"));
      // The bearer token travels with the download.
      expect(exportCall?.headers.get("Authorization")).toBe("Bearer test-token");
    } finally {
      HTMLAnchorElement.prototype.click = original;
    }

    await user.click(
      screen.getByRole("button", { name: "Hide accounts: Renewal date in the past" }),
    );
    expect(screen.queryByTestId("hygiene-accounts")).not.toBeInTheDocument();
    expect(router.state.location.search).toEqual({});
  });

  it("lists the accounts missing a field, and opens what the URL names", async () => {
    const user = userEvent.setup();
    const { lists } = stubHygiene();
    renderApp("/hygiene?open=missing%3Aicp_tier&scope=all");

    // The table behind the chart opens on its own to show the list.
    const list = await screen.findByTestId("hygiene-accounts");
    expect(lists[0]?.pathname).toBe(MISSING_ICP);
    expect(lists[0]?.searchParams.get("scope")).toBe("all");
    expect(within(list).getByText("2 accounts, largest ARR first")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Hide accounts missing ICP tier" }));
    expect(screen.queryByTestId("hygiene-accounts")).not.toBeInTheDocument();
  });

  it("keeps the scope in the URL and asks the server for it", async () => {
    const user = userEvent.setup();
    const { summaries } = stubHygiene();
    const { router } = renderApp("/hygiene");
    await screen.findByTestId("hygiene-score");
    expect(screen.getByRole("button", { name: "Everyone" })).toHaveAttribute(
      "aria-pressed",
      "true",
    );

    await user.click(screen.getByRole("button", { name: "Team" }));
    await waitFor(() => expect(summaries.at(-1)?.get("scope")).toBe("team"));
    expect(router.state.location.search).toEqual({ scope: "team" });
    await waitFor(() =>
      expect(screen.getByTestId("hygiene-subtitle")).toHaveTextContent(
        "How complete and consistent the data of your team's accounts is",
      ),
    );
  });

  it("says there is nothing to score for an empty book", async () => {
    const empty: Hygiene = {
      ...hygiene,
      accounts: 0,
      arr: 0,
      score: null,
      score_parts: hygiene.score_parts.map((p) => ({ ...p, value: null, counted: false })),
      fill_rates: hygiene.fill_rates.map((f) => ({
        ...f,
        filled: 0,
        total: 0,
        rate: null,
        missing_arr: 0,
        needs_attention: false,
      })),
      checks: [],
    };
    stubHygiene(empty);
    renderApp("/hygiene");
    expect(await screen.findByTestId("hygiene-score")).toHaveTextContent("—");
    expect(screen.getByText("Nothing to score")).toBeInTheDocument();
    expect(screen.getByText(/No active account in this scope/)).toBeInTheDocument();
    expect(
      screen.getByRole("img", { name: "Fill rate by field: no account to measure" }),
    ).toBeInTheDocument();
  });

  it("shows an error with a retry when the answer fails", async () => {
    stubApi({
      "GET /api/v1/auth/me": () => json(admin),
      "GET /api/v1/meta": () => json(demoMeta),
      "GET /api/v1/hygiene": () =>
        json(
          {
            type: "about:blank",
            title: "Service unavailable",
            status: 503,
            detail: "Database down",
          },
          503,
        ),
    });
    renderApp("/hygiene");
    expect(
      await screen.findByText("Couldn't load data hygiene", {}, { timeout: 4000 }),
    ).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Retry" })).toBeInTheDocument();
  });
});
