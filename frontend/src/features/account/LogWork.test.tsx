import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { AccountDetail } from "../../api/client";
import { TOKEN_KEY } from "../../api/token";
import { demoUser, json, renderApp } from "../../test/utils";
import { READ_ONLY_REASON } from "./access";
import { contactsInOrder, occurredAt } from "./LogTouchDialog";
import { ACCOUNT_ID, ACCOUNT_PATH, fullPicture, stubPicture } from "./pictureFixture";
import { RESCORE_POLL, type Touchpoint } from "./touches";

vi.mock("../../ui/Chart", () => ({
  Chart: ({ label }: { label: string }) => <div role="img" aria-label={label} />,
}));

const DANA = "c1000000-0000-4000-8000-000000000001";
const ELI = "c1000000-0000-4000-8000-000000000002";
const GONE = "c1000000-0000-4000-8000-000000000009";
const TOUCHES = `${ACCOUNT_PATH}/touchpoints`;

/** Acme with two contacts, Eli listed first although Dana is the primary one. */
function picture(overrides: Partial<AccountDetail> = {}): AccountDetail {
  return fullPicture({
    contacts: [
      {
        id: ELI,
        name: "Eli Ek",
        email: "eli@acme.example",
        title: null,
        role: null,
        is_primary: false,
      },
      {
        id: DANA,
        name: "Dana Diaz",
        email: "dana@acme.example",
        title: "VP Operations",
        role: "champion",
        is_primary: true,
      },
    ],
    ...overrides,
  });
}

function touchpoint(overrides: Partial<Touchpoint> = {}): Touchpoint {
  return {
    id: "70000000-0000-4000-8000-000000000001",
    account_id: ACCOUNT_ID,
    source_id: "tempo:70000000-0000-4000-8000-000000000001",
    kind: "meeting",
    occurred_at: "2026-01-15T10:30:00Z",
    sentiment: "negative",
    summary: "Budget review: they want fewer seats",
    contact_ids: [DANA, ELI],
    csm_id: demoUser.id,
    csm_email: demoUser.email,
    created_at: "2026-01-15T10:31:00Z",
    ...overrides,
  };
}

/** The older touch the picture already has (Jan 10), with a contact since removed. */
const earlier = touchpoint({
  id: "70000000-0000-4000-8000-000000000000",
  kind: "call",
  occurred_at: "2026-01-10T15:00:00Z",
  sentiment: "positive",
  summary: "Walked through the roadmap.",
  contact_ids: [DANA, GONE],
});

async function openAccount() {
  const view = renderApp(`/accounts/${ACCOUNT_ID}`);
  await waitFor(() =>
    expect(screen.getByTestId("fact-last-touch")).toHaveTextContent("5 days ago"),
  );
  await screen.findByRole("button", { name: /^Log work/ });
  return view;
}

describe("Log work on the account page", () => {
  const poll = { ...RESCORE_POLL };
  beforeEach(() => {
    window.localStorage.setItem(TOKEN_KEY, "test-token");
    RESCORE_POLL.intervalMs = 20;
  });
  afterEach(() => {
    Object.assign(RESCORE_POLL, poll);
  });

  it("names the page after the account and shows its owner with their email on hover", async () => {
    stubPicture({ picture: picture(), routes: { [`GET ${TOUCHES}`]: () => json([earlier]) } });
    await openAccount();
    expect(document.title).toBe("Acme Corp · Tempo");
    const owner = screen.getByText("Owner").nextElementSibling as HTMLElement;
    expect(owner).toHaveTextContent("Demo User");
    expect(within(owner).getByTitle(demoUser.email)).toHaveTextContent("Demo User");
  });

  it("catches up with a touch logged just before the page opened, then stops reloading", async () => {
    // The touch of Jan 15 is stored; the rescore that counts it has not run yet.
    const stub = stubPicture({
      picture: picture(),
      routes: { [`GET ${TOUCHES}`]: () => json([touchpoint(), earlier]) },
    });
    renderApp(`/accounts/${ACCOUNT_ID}`);
    await waitFor(() =>
      expect(screen.getByTestId("fact-last-touch")).toHaveTextContent("5 days ago"),
    );
    const loadsBefore = stub.pictureLoads();
    stub.setPicture(picture({ last_touch_on: "2026-01-15" }));
    await waitFor(() => expect(screen.getByTestId("fact-last-touch")).toHaveTextContent("today"));
    const caughtUp = stub.pictureLoads();
    expect(caughtUp).toBeGreaterThan(loadsBefore);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(stub.pictureLoads()).toBe(caughtUp);
  });

  it("lists who took part in each touch of the timeline", async () => {
    stubPicture({ picture: picture(), routes: { [`GET ${TOUCHES}`]: () => json([earlier]) } });
    await openAccount();
    const timeline = await screen.findByRole("region", { name: "Timeline" });
    await waitFor(() =>
      expect(within(timeline).getAllByTestId("timeline-event")[2]).toHaveTextContent(
        "Jan 10, 2026CallNeutral: Walked through the roadmap. · with Dana Diaz, 1 former contact",
      ),
    );
  });

  it("logs a meeting with the people who took part, then follows the rescore", async () => {
    const user = userEvent.setup();
    const logged = touchpoint();
    const timeline = [
      {
        at: logged.occurred_at,
        kind: "touch",
        title: "Meeting: Budget review: they want fewer seats",
        tone: "bad" as const,
      },
      ...fullPicture().timeline,
    ];
    // After the touch is logged the picture has it at once; the rescore lands on the third load.
    let posted = false;
    let loadsAfter = 0;
    const server = stubPicture({
      picture: picture(),
      routes: {
        [`GET ${ACCOUNT_PATH}`]: () => {
          if (!posted) return json(picture());
          loadsAfter += 1;
          return json(
            loadsAfter < 3
              ? picture({ timeline })
              : picture({ timeline, last_touch_on: "2026-01-15", health_score: 74 }),
          );
        },
        [`GET ${TOUCHES}`]: () => json(posted ? [logged, earlier] : [earlier]),
        [`POST ${TOUCHES}`]: () => {
          posted = true;
          return json(logged, 201);
        },
      },
    });
    await openAccount();

    await user.click(screen.getByRole("button", { name: /^Log work/ }));
    const dialog = screen.getByRole("dialog", { name: "Log work · Acme Corp" });
    // A call today unless changed; the primary contact first.
    expect(within(dialog).getByRole("radio", { name: "Call" })).toBeChecked();
    expect(within(dialog).getByRole("radio", { name: "Call" })).toHaveFocus();
    const when = within(dialog).getByLabelText("When");
    expect(when).toHaveValue("2026-01-15");
    expect(when).toHaveAttribute("max", "2026-01-15");
    expect(within(dialog).getByRole("radio", { name: "Not set" })).toBeChecked();
    const people = within(within(dialog).getByRole("group", { name: "Who took part" }))
      .getAllByRole("checkbox")
      .map((box) => box.closest("label")?.textContent);
    expect(people).toEqual(["Dana Diaz · VP OperationsPrimary", "Eli Ek"]);

    await user.click(within(dialog).getByRole("radio", { name: "Meeting" }));
    await user.click(within(dialog).getByRole("checkbox", { name: "Eli Ek" }));
    await user.click(within(dialog).getByRole("checkbox", { name: /Dana Diaz/ }));
    await user.click(within(dialog).getByRole("radio", { name: "Negative" }));
    await user.type(
      within(dialog).getByRole("textbox", { name: "Notes" }),
      "  Budget review: they want fewer seats ",
    );
    await user.click(within(dialog).getByRole("button", { name: "Log meeting" }));

    await waitFor(() =>
      expect(server.writes()).toEqual([
        {
          method: "POST",
          path: TOUCHES,
          body: {
            kind: "meeting",
            // in the list's order, the primary contact first
            contact_ids: [DANA, ELI],
            sentiment: "negative",
            summary: "Budget review: they want fewer seats",
          },
        },
      ]),
    );
    expect(await screen.findByTestId("touch-logged")).toHaveTextContent(
      "Meeting logged · Jan 15, 2026 · 2 contacts",
    );
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    // The timeline has it, with who took part.
    const timelineCard = screen.getByRole("region", { name: "Timeline" });
    await waitFor(() =>
      expect(within(timelineCard).getAllByTestId("timeline-event")[0]).toHaveTextContent(
        "Jan 15, 2026MeetingBad: Budget review: they want fewer seats · with Dana Diaz, Eli Ek",
      ),
    );
    // The picture is reloaded until the rescore counted the touch, then no more.
    await waitFor(() => expect(screen.getByTestId("fact-last-touch")).toHaveTextContent("today"));
    expect(screen.getByText("74")).toBeInTheDocument();
    expect(loadsAfter).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(loadsAfter).toBe(3);
  });

  it("logs a touch of an earlier day at noon, and refuses a day ahead", async () => {
    const user = userEvent.setup();
    const server = stubPicture({
      picture: picture(),
      routes: {
        [`GET ${TOUCHES}`]: () => json([]),
        [`POST ${TOUCHES}`]: () =>
          json(
            touchpoint({ kind: "call", occurred_at: "2026-01-12T12:00:00Z", contact_ids: [] }),
            201,
          ),
      },
    });
    await openAccount();
    await user.click(screen.getByRole("button", { name: /^Log work/ }));
    const dialog = screen.getByRole("dialog", { name: "Log work · Acme Corp" });
    const when = within(dialog).getByLabelText("When");

    fireEvent.change(when, { target: { value: "2026-01-16" } });
    await user.click(within(dialog).getByRole("button", { name: "Log call" }));
    expect(within(dialog).getByText(/can't be in the future/)).toHaveTextContent(
      "The day can't be in the future: log work once it happened.",
    );
    expect(when).toHaveAttribute("aria-invalid", "true");
    expect(server.writes()).toEqual([]);

    fireEvent.change(when, { target: { value: "2026-01-12" } });
    await user.click(within(dialog).getByRole("button", { name: "Log call" }));
    await waitFor(() =>
      expect(server.writes()).toEqual([
        {
          method: "POST",
          path: TOUCHES,
          body: {
            kind: "call",
            contact_ids: [],
            occurred_at: new Date("2026-01-12T12:00:00").toISOString(),
          },
        },
      ]),
    );
    expect(await screen.findByTestId("touch-logged")).toHaveTextContent(
      /^Call logged · Jan 12, 2026$/,
    );
  });

  it("shows the server's refusal in the dialog and keeps what was typed", async () => {
    const user = userEvent.setup();
    stubPicture({
      picture: picture(),
      routes: {
        [`GET ${TOUCHES}`]: () => json([]),
        [`POST ${TOUCHES}`]: () =>
          json(
            {
              type: "about:blank",
              title: "Validation error",
              status: 422,
              detail: "contact_ids.0: not a contact of this account",
            },
            422,
          ),
      },
    });
    await openAccount();
    await user.click(screen.getByRole("button", { name: /^Log work/ }));
    const dialog = screen.getByRole("dialog", { name: "Log work · Acme Corp" });
    await user.click(within(dialog).getByRole("checkbox", { name: "Eli Ek" }));
    await user.type(within(dialog).getByRole("textbox", { name: "Notes" }), "Check-in");
    await user.click(within(dialog).getByRole("button", { name: "Log call" }));
    expect(await within(dialog).findByRole("alert")).toHaveTextContent(
      "Couldn't log the work: contact_ids.0: not a contact of this account",
    );
    expect(within(dialog).getByRole("textbox", { name: "Notes" })).toHaveValue("Check-in");
    expect(within(dialog).getByRole("checkbox", { name: "Eli Ek" })).toBeChecked();
    expect(screen.queryByTestId("touch-logged")).not.toBeInTheDocument();
  });

  it("opens with L, except while typing", async () => {
    const user = userEvent.setup();
    stubPicture({ picture: picture(), routes: { [`GET ${TOUCHES}`]: () => json([]) } });
    await openAccount();

    await user.click(await screen.findByRole("textbox", { name: "Note" }));
    await user.keyboard("l");
    expect(screen.getByRole("textbox", { name: "Note" })).toHaveValue("l");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();

    (document.activeElement as HTMLElement).blur();
    await user.keyboard("{Control>}l{/Control}");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    await user.keyboard("l");
    const dialog = screen.getByRole("dialog", { name: "Log work · Acme Corp" });
    // In the dialog, L is text again.
    await user.type(within(dialog).getByRole("textbox", { name: "Notes" }), "lll");
    expect(screen.getAllByRole("dialog")).toHaveLength(1);
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    await user.keyboard("L");
    expect(screen.getByRole("dialog", { name: "Log work · Acme Corp" })).toBeInTheDocument();
  });

  it("is disabled on someone else's account and absent for a viewer", async () => {
    const user = userEvent.setup();
    stubPicture({
      picture: picture({ can_edit: false }),
      routes: { [`GET ${TOUCHES}`]: () => json([]) },
    });
    const view = await openAccount();
    const button = screen.getByRole("button", { name: /^Log work/ });
    expect(button).toBeDisabled();
    expect(button).toHaveAttribute("title", READ_ONLY_REASON);
    await user.keyboard("l");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    view.unmount();

    stubPicture({
      picture: picture(),
      user: { ...demoUser, role: "viewer" },
      routes: { [`GET ${TOUCHES}`]: () => json([]) },
    });
    renderApp(`/accounts/${ACCOUNT_ID}`);
    await waitFor(() =>
      expect(screen.getByTestId("fact-last-touch")).toHaveTextContent("5 days ago"),
    );
    await screen.findByTestId("current-user");
    await user.keyboard("l");
    expect(screen.queryByRole("button", { name: /^Log work/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });
});

describe("log work helpers", () => {
  it("orders contacts primary first, then by name", () => {
    const c = (
      id: string,
      name: string | null,
      is_primary = false,
      email: string | null = null,
    ) => ({
      id,
      name,
      email,
      title: null,
      role: null,
      is_primary,
    });
    expect(
      contactsInOrder([
        c("1", "Zoe"),
        c("2", null, false, "ann@x.example"),
        c("3", "Yuri", true),
        c("4", "Bob"),
      ]).map((x) => x.id),
    ).toEqual(["3", "2", "4", "1"]);
  });

  it("sends no time for today (the server's now) and noon for an earlier day", () => {
    expect(occurredAt("2026-01-15", "2026-01-15")).toBeUndefined();
    expect(occurredAt("2026-01-14", "2026-01-15")).toBe(
      new Date(2026, 0, 14, 12, 0, 0).toISOString(),
    );
  });
});
