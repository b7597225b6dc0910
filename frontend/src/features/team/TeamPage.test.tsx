import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { TOKEN_KEY } from "../../api/token";
import { account, demoMeta, demoUser, json, renderApp, stubApi } from "../../test/utils";
import type { TeamRow, TeamView } from "./queries";

const leader = { ...demoUser, role: "leader" as const, name: "Lee Lead" };
const ANN = "c0000000-0000-4000-8000-000000000001";
const BEN = "c0000000-0000-4000-8000-000000000002";
const DAN = "c0000000-0000-4000-8000-000000000004";

function row(overrides: Partial<TeamRow>): TeamRow {
  return {
    user_id: ANN,
    name: "Ann A",
    email: "ann@tempo.test",
    role: "csm",
    is_active: true,
    lead_id: leader.id,
    lead_name: "Lee Lead",
    accounts: 0,
    arr: 0,
    at_risk_arr: 0,
    at_risk_arr_30d_ago: 0,
    at_risk_change: 0,
    touched_accounts: 0,
    touched_accounts_30d_ago: 0,
    touched_share: null,
    touched_share_30d_ago: null,
    touched_change: null,
    overdue_tasks: 0,
    open_alerts: 0,
    queue_items: 0,
    ...overrides,
  };
}

const ann = row({
  accounts: 2,
  arr: 120_000,
  at_risk_arr: 16_870,
  at_risk_arr_30d_ago: 13_720,
  at_risk_change: 3_150,
  touched_accounts: 1,
  touched_accounts_30d_ago: 2,
  touched_share: 0.5,
  touched_share_30d_ago: 1,
  touched_change: -0.5,
  overdue_tasks: 1,
  open_alerts: 3,
  queue_items: 1,
}); // prettier-ignore
const ben = row({
  user_id: BEN,
  name: "Ben B",
  email: "ben@tempo.test",
  accounts: 1,
  arr: 200_000,
  at_risk_arr: 11_200,
  at_risk_arr_30d_ago: 42_400,
  at_risk_change: -31_200,
  touched_accounts: 1,
  touched_share: 1,
  touched_share_30d_ago: 0,
  touched_change: 1,
  overdue_tasks: 1,
  open_alerts: 1,
  queue_items: 1,
}); // prettier-ignore
const dan = row({
  user_id: DAN,
  name: "Dan D",
  email: "dan@tempo.test",
  is_active: false,
  accounts: 1,
  arr: 10_000,
  at_risk_arr: 2_120,
  at_risk_arr_30d_ago: 2_800,
  at_risk_change: -680,
  touched_share: 0,
  touched_share_30d_ago: 0,
  touched_change: 0,
}); // prettier-ignore
const eli = row({
  user_id: "c0000000-0000-4000-8000-000000000005",
  name: "Eli E",
  email: "eli@tempo.test",
});

const view: TeamView = {
  scope: "team",
  as_of: "2026-01-15",
  currency: "USD",
  probability_source: "default",
  rows: [ann, ben, dan, eli],
  totals: row({
    user_id: null,
    name: "Total",
    email: null,
    role: null,
    lead_id: null,
    lead_name: null,
    accounts: 4,
    arr: 330_000,
    at_risk_arr: 30_190,
    at_risk_arr_30d_ago: 58_920,
    at_risk_change: -28_730,
    touched_accounts: 2,
    touched_accounts_30d_ago: 2,
    touched_share: 0.5,
    touched_share_30d_ago: 0.5,
    touched_change: 0,
    overdue_tasks: 2,
    open_alerts: 4,
    queue_items: 2,
  }), // prettier-ignore
  definitions: {
    accounts: "Active accounts the person owns.",
    arr: "Σ current ARR.",
    at_risk_arr: "Revenue at risk of those accounts.",
    touched_share: "Share touched in the last 30 days.",
    overdue_tasks: "Open tasks due before today on those accounts, whoever they are assigned to.",
    open_alerts: "Active alerts on those accounts.",
    queue_items: "Items in the Today queue.",
    trend: "Change over 30 days.",
  },
};

const acme = account({
  id: "a0000000-0000-4000-8000-000000000001",
  name: "Acme Corp",
  arr: 100_000,
  owner: { id: ANN, email: "ann@tempo.test", name: "Ann A" },
});
const globex = account({
  id: "a0000000-0000-4000-8000-000000000002",
  name: "Globex",
  arr: 20_000,
  owner: { id: ANN, email: "ann@tempo.test", name: "Ann A" },
});
const initech = account({
  id: "a0000000-0000-4000-8000-000000000003",
  name: "Initech",
  arr: 200_000,
  owner: { id: BEN, email: "ben@tempo.test", name: "Ben B" },
});

function stub() {
  const sent: { method: string; url: URL; body?: unknown }[] = [];
  let current = view;
  stubApi({
    "GET /api/v1/auth/me": () => json(leader),
    "GET /api/v1/meta": () => json(demoMeta),
    "GET /api/v1/team": (request) => {
      const url = new URL(request.url);
      sent.push({ method: "GET", url });
      return json({ ...current, scope: url.searchParams.get("scope") ?? "team" });
    },
    "GET /api/v1/accounts": (request) => {
      const url = new URL(request.url);
      sent.push({ method: "GET", url });
      const filter = url.searchParams.get("filter") ?? "";
      const items = [acme, globex, initech].filter((a) => a.owner && filter.includes(a.owner.id));
      return json({ items, total: items.length, page: 1, page_size: 100, scope: "all" });
    },
    "POST /api/v1/accounts/reassign": async (request) => {
      const body = (await request.json()) as { account_ids: string[]; owner_id: string };
      sent.push({ method: "POST", url: new URL(request.url), body });
      current = {
        ...view,
        rows: [row({ ...ann, accounts: 0 }), row({ ...ben, accounts: 3 }), dan, eli],
      };
      return json({ owner_id: body.owner_id, moved: body.account_ids, unchanged: [], missing: [] });
    },
  });
  return sent;
}

function names(): string[] {
  return screen
    .getAllByTestId("team-row")
    .map((r) => within(r).getAllByRole("cell")[1]?.textContent ?? "");
}

describe("Team", () => {
  beforeEach(() => {
    window.localStorage.setItem(TOKEN_KEY, "test-token");
  });

  it("shows coverage per CSM with trends, the totals and what each column counts", async () => {
    stub();
    renderApp("/team");
    expect(await screen.findByRole("heading", { level: 1, name: "Team" })).toBeInTheDocument();
    const rows = await screen.findAllByTestId("team-row");
    // biggest revenue at risk first
    expect(names()).toEqual([
      "Ann A (ann@tempo.test)reports to Lee Lead",
      "Ben B (ben@tempo.test)reports to Lee Lead",
      "Dan D (dan@tempo.test)reports to Lee Lead · inactive",
      "Eli E (eli@tempo.test)reports to Lee Lead",
    ]);
    const first = rows[0] as HTMLElement;
    expect(first).toHaveTextContent("2$120K$16.9K▲ up $3.15K50%▼ down 50 pts131");
    // risk up is bad (red), touched share down is bad (red)
    const [risk, touched] = within(first).getAllByTestId("trend");
    expect(risk).toHaveClass("negative");
    expect(risk).toHaveAttribute("title", "30 days ago: $13,720");
    expect(touched).toHaveClass("negative");
    const second = rows[1] as HTMLElement;
    const [riskDown, touchedUp] = within(second).getAllByTestId("trend");
    expect(riskDown).toHaveTextContent("▼ down $31.2K");
    expect(riskDown).toHaveClass("positive");
    expect(touchedUp).toHaveTextContent("▲ up 100 pts");
    expect(touchedUp).toHaveClass("positive");
    expect(within(rows[3] as HTMLElement).getAllByTestId("trend")[1]).toHaveTextContent("—");
    expect(within(first).getByRole("link", { name: /Ann A/ })).toHaveAttribute(
      "href",
      `/book?filter=status%3Dactive+owner%3D${ANN}&scope=all`,
    );
    expect(screen.getByTestId("team-totals")).toHaveTextContent(
      "Total4$330K$30.2K▼ down $28.7K50%no change242",
    );
    expect(screen.getByRole("button", { name: /^Revenue at risk/ })).toHaveAttribute(
      "title",
      "Revenue at risk of those accounts.",
    );
    expect(screen.getByRole("region", { name: "What the columns count" })).toHaveTextContent(
      "Open tasks due before today on those accounts, whoever they are assigned to.",
    );
    expect(screen.getByRole("link", { name: "Team queue →" })).toHaveAttribute(
      "href",
      "/today?scope=team",
    );
  });

  it("sorts by any column and switches to everyone in the URL", async () => {
    const user = userEvent.setup();
    const sent = stub();
    const { router } = renderApp("/team");
    await screen.findAllByTestId("team-row");
    const arr = screen.getByRole("button", { name: /^ARR/ });
    await user.click(arr);
    expect(arr.closest("th")).toHaveAttribute("aria-sort", "descending");
    expect(names().map((n) => n.slice(0, 5))).toEqual(["Ben B", "Ann A", "Dan D", "Eli E"]);
    await user.click(arr);
    expect(arr.closest("th")).toHaveAttribute("aria-sort", "ascending");
    expect(names().map((n) => n.slice(0, 5))).toEqual(["Eli E", "Dan D", "Ann A", "Ben B"]);
    await user.click(screen.getByRole("button", { name: /^CSM/ }));
    expect(names().map((n) => n.slice(0, 5))).toEqual(["Ann A", "Ben B", "Dan D", "Eli E"]);

    await user.click(screen.getByRole("button", { name: "Everyone" }));
    await waitFor(() => expect(sent.at(-1)?.url.searchParams.get("scope")).toBe("all"));
    expect(router.state.location.search).toEqual({ scope: "all" });
    expect(screen.getByRole("link", { name: "Team queue →" })).toHaveAttribute(
      "href",
      "/today?scope=all",
    );
  });

  it("reassigns some of one CSM's accounts, saying how many and how much ARR move", async () => {
    const user = userEvent.setup();
    const sent = stub();
    renderApp("/team");
    await screen.findAllByTestId("team-row");
    // Eli owns nothing: nothing to reassign
    expect(screen.getByRole("button", { name: "Reassign Eli E's accounts" })).toBeDisabled();
    await user.click(screen.getByRole("button", { name: "Reassign Ann A's accounts" }));

    const dialog = await screen.findByRole("dialog", { name: "Reassign Ann A's accounts" });
    await within(dialog).findAllByTestId("reassign-account");
    const asked = sent.find((s) => s.url.pathname === "/api/v1/accounts");
    expect(asked?.url.searchParams.get("filter")).toBe(`status=active owner=${ANN}`);
    expect(asked?.url.searchParams.get("scope")).toBe("all");
    expect(asked?.url.searchParams.get("sort")).toBe("-arr");
    // the targets: the other active CSMs (not Ann, not the inactive Dan)
    const target = within(dialog).getByLabelText("Reassign to…");
    expect(
      within(target)
        .getAllByRole("option")
        .map((o) => o.textContent),
    ).toEqual(["Choose a CSM", "Ben B · 1 accounts", "Eli E · 0 accounts"]);
    const go = within(dialog).getByRole("button", { name: "Reassign…" });
    expect(go).toBeDisabled();
    await user.click(within(dialog).getByLabelText("Select every account on this page"));
    expect(within(dialog).getByTestId("reassign-picked")).toHaveTextContent(
      "2 selected · $120K ARR",
    );
    await user.click(within(dialog).getByLabelText("Select Globex"));
    expect(within(dialog).getByTestId("reassign-picked")).toHaveTextContent(
      "1 selected · $100K ARR",
    );
    expect(go).toBeDisabled();
    await user.selectOptions(target, BEN);
    await user.click(go);

    const confirm = await screen.findByRole("dialog", { name: "Reassign 1 account?" });
    expect(within(confirm).getByTestId("reassign-summary")).toHaveTextContent(
      "Move 1 account ($100K ARR) from Ann A to Ben B.",
    );
    await user.click(within(confirm).getByRole("button", { name: "Reassign" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    const post = sent.find((s) => s.method === "POST");
    expect(post?.body).toEqual({ account_ids: [acme.id], owner_id: BEN });
    expect(screen.getByTestId("reassign-notice")).toHaveTextContent("Moved 1 account to Ben B.");
    // the view is asked again
    await waitFor(() =>
      expect(sent.filter((s) => s.url.pathname === "/api/v1/team").length).toBeGreaterThan(1),
    );
  });

  it("reassigns accounts of the selected rows, listing their owners", async () => {
    const user = userEvent.setup();
    const sent = stub();
    renderApp("/team");
    await screen.findAllByTestId("team-row");
    const bulk = screen.getByRole("button", { name: "Reassign accounts…" });
    expect(bulk).toBeDisabled();
    // Eli's row owns nothing: it cannot be selected
    expect(screen.getByLabelText("Select Eli E")).toBeDisabled();
    await user.click(screen.getByLabelText("Select Ann A"));
    await user.click(screen.getByLabelText("Select Ben B"));
    expect(screen.getByTestId("team-selected")).toHaveTextContent("2 selected · 3 accounts");
    await user.click(bulk);
    const dialog = await screen.findByRole("dialog", { name: "Reassign accounts of 2 people" });
    const accounts = await within(dialog).findAllByTestId("reassign-account");
    expect(accounts.map((a) => a.textContent)).toEqual([
      expect.stringContaining("Acme CorpAnn A"),
      expect.stringContaining("GlobexAnn A"),
      expect.stringContaining("InitechBen B"),
    ]);
    expect(
      sent.find((s) => s.url.pathname === "/api/v1/accounts")?.url.searchParams.get("filter"),
    ).toBe(`status=active owner=${ANN},${BEN}`);
    // both owners can receive when several are reassigned from
    const target = within(dialog).getByLabelText("Reassign to…");
    expect(within(target).getAllByRole("option")).toHaveLength(4);
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });
});
