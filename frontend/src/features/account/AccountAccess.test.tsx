import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { AccountDetail, UserPublic } from "../../api/client";
import { TOKEN_KEY } from "../../api/token";
import { demoUser, renderApp } from "../../test/utils";
import { READ_ONLY_REASON } from "./access";
import { ACCOUNT_ID, fullPicture, OTHER_USER, stubPicture, TASK_OVERDUE } from "./pictureFixture";

vi.mock("../../ui/Chart", () => ({
  Chart: ({ label }: { label: string }) => <div role="img" aria-label={label} />,
}));

const BEN = { id: OTHER_USER, email: "ben@tempo.test", name: "Ben Dubois" };

/** Ben's account: the signed-in CSM (demoUser) is neither its owner nor on its team. */
function bensAccount(overrides: Partial<AccountDetail> = {}): AccountDetail {
  const picture = fullPicture({ owner: BEN, can_edit: false, ...overrides });
  return {
    ...picture,
    // Ben's task, and one Ben handed to the signed-in CSM (its assignee ticks it anyway)
    tasks: picture.tasks.map((t) => (t.id === TASK_OVERDUE ? { ...t, assignee_id: BEN.id } : t)),
  };
}

async function card(name: string) {
  return screen.findByRole("region", { name });
}

async function openAccount() {
  renderApp(`/accounts/${ACCOUNT_ID}`);
  await waitFor(() =>
    expect(screen.getByTestId("fact-last-touch")).toHaveTextContent("5 days ago"),
  );
  // me has loaded: the page rendered for the user's role (a CSM: the flag picker shows)
  await screen.findByRole("group", { name: "Flag" });
}

function expectLocked(element: HTMLElement) {
  expect(element).toBeDisabled();
  expect(element.getAttribute("title") ?? "").toContain(READ_ONLY_REASON);
}

describe("Account access", () => {
  beforeEach(() => {
    window.localStorage.setItem(TOKEN_KEY, "test-token");
  });

  it("tells a CSM that someone else's account is read-only and disables every write control", async () => {
    const user = userEvent.setup();
    const server = stubPicture({ picture: bensAccount() });
    await openAccount();

    const note = await screen.findByTestId("read-only-note");
    expect(note).toHaveTextContent(
      "Read-only: Ben Dubois's account. You change the accounts you own or are on the team of",
    );

    // the flag: shown, every choice disabled and saying why
    const picker = await screen.findByRole("group", { name: "Flag" });
    expect(picker).toBeDisabled();
    for (const choice of within(picker).getAllByRole("button")) expectLocked(choice);

    // every alert's actions
    const alerts = await card("Open alerts");
    const actions = within(alerts).getAllByRole("button");
    expect(actions.map((b) => b.textContent)).toEqual([
      "Acknowledge",
      "Snooze…",
      "Resolve…",
      "Snooze…",
      "Resolve…",
    ]);
    for (const button of actions) expectLocked(button);

    // Add task, and the tasks: Ben's is locked, the one assigned to the CSM is theirs to tick
    const tasks = await card("Tasks");
    const addTask = within(tasks).getByRole("form", { name: "Add task" });
    expectLocked(within(addTask).getByRole("textbox", { name: "Task" }));
    expectLocked(within(addTask).getByLabelText("Due date"));
    expectLocked(within(addTask).getByRole("button", { name: "Add task" }));
    const [bens, handed] = within(tasks).getAllByRole("checkbox");
    expect(bens).toBeDisabled();
    expect(bens?.closest("label")).toHaveAttribute("title", READ_ONLY_REASON);
    expect(handed).toBeEnabled();
    expect(handed?.closest("label")).not.toHaveAttribute("title");

    // Start a play: disabled, and clicking opens nothing
    const plays = await card("Plays");
    const start = within(plays).getByRole("button", { name: "Start a play…" });
    expectLocked(start);
    await user.click(start);
    expect(within(plays).queryByRole("form", { name: "Start a play" })).not.toBeInTheDocument();

    // notes: adding, and deleting even one's own
    const notes = await card("Notes");
    const addNote = within(notes).getByRole("form", { name: "Add note" });
    expectLocked(within(addNote).getByRole("textbox", { name: "Note" }));
    expectLocked(within(addNote).getByRole("button", { name: "Add note" }));
    expectLocked(within(notes).getByRole("button", { name: "Delete note of Jan 13, 2026" }));

    await user.click(within(picker).getByRole("button", { name: "Red flag" }));
    expect(server.writes()).toEqual([]);
  });

  it("names the account team next to the owner, and leaves everything enabled for whoever may edit", async () => {
    stubPicture({
      picture: fullPicture({
        owner: BEN,
        can_edit: true,
        team: [
          { user_id: demoUser.id, email: demoUser.email, name: demoUser.name, role: "Second CSM" },
          {
            user_id: "6f1c1c5e-0000-4000-8000-000000000009",
            email: "sol@tempo.test",
            name: null,
            role: null,
          },
        ],
      }),
    });
    await openAccount();

    const team = await screen.findByTestId("account-team");
    expect(team).toHaveTextContent("Demo User, sol@tempo.test");
    expect(within(team).getByText("Demo User")).toHaveAttribute(
      "title",
      "demo@tempo.test · Second CSM",
    );
    expect(screen.queryByTestId("read-only-note")).not.toBeInTheDocument();

    const picker = await screen.findByRole("group", { name: "Flag" });
    expect(picker).toBeEnabled();
    for (const choice of within(picker).getAllByRole("button")) {
      expect(choice).toBeEnabled();
      expect(choice.getAttribute("title")).not.toContain(READ_ONLY_REASON);
    }
    for (const button of within(await card("Open alerts")).getAllByRole("button")) {
      expect(button).toBeEnabled();
      expect(button).not.toHaveAttribute("title");
    }
    const tasks = await card("Tasks");
    expect(within(tasks).getByRole("textbox", { name: "Task" })).toBeEnabled();
    for (const box of within(tasks).getAllByRole("checkbox")) expect(box).toBeEnabled();
    expect(
      within(await card("Plays")).getByRole("button", { name: "Start a play…" }),
    ).toBeEnabled();
    const notes = await card("Notes");
    expect(within(notes).getByRole("textbox", { name: "Note" })).toBeEnabled();
    expect(
      within(notes).getByRole("button", { name: "Delete note of Jan 13, 2026" }),
    ).toBeEnabled();
  });

  it("shows no team when there is none, and a plain header on an account of one's own", async () => {
    stubPicture({ picture: fullPicture() });
    await openAccount();
    await screen.findByRole("group", { name: "Flag" });
    expect(screen.queryByTestId("account-team")).not.toBeInTheDocument();
    expect(screen.queryByTestId("read-only-note")).not.toBeInTheDocument();
  });

  it("says an unassigned account is read-only without naming an owner", async () => {
    stubPicture({ picture: bensAccount({ owner: null }) });
    await openAccount();
    expect(await screen.findByTestId("read-only-note")).toHaveTextContent(
      "Read-only: an unassigned account. You change the accounts you own or are on the team of.",
    );
  });

  it("gives a viewer no note and no controls: they change no account anywhere", async () => {
    const viewer: UserPublic = { ...demoUser, role: "viewer" };
    stubPicture({ user: viewer, picture: bensAccount() });
    renderApp(`/accounts/${ACCOUNT_ID}`);
    await waitFor(() => expect(screen.getByText("Viewer")).toBeInTheDocument());
    await card("Open alerts");
    expect(screen.queryByTestId("read-only-note")).not.toBeInTheDocument();
    expect(screen.queryByRole("group", { name: "Flag" })).not.toBeInTheDocument();
    expect(screen.queryByRole("form", { name: "Add note" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Start a play…" })).not.toBeInTheDocument();
    for (const box of within(await card("Tasks")).getAllByRole("checkbox")) {
      expect(box).toBeDisabled();
    }
  });
});
