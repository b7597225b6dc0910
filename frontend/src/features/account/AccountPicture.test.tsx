import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { TOKEN_KEY } from "../../api/token";
import {
  account,
  demoMeta,
  demoUser,
  json,
  pictureSections,
  renderApp,
  stubApi,
} from "../../test/utils";
import { ACCOUNT_ID, ACCOUNT_PATH, fullPicture, stubPicture } from "./pictureFixture";

vi.mock("../../ui/Chart", () => ({
  Chart: ({ label }: { label: string }) => <div role="img" aria-label={label} />,
}));

async function card(name: string) {
  return screen.findByRole("region", { name });
}

/** Render the account and wait until the reporting day (meta) has arrived. */
async function openAccount() {
  const view = renderApp(`/accounts/${ACCOUNT_ID}`);
  await waitFor(() =>
    expect(screen.getByTestId("fact-last-touch")).toHaveTextContent("5 days ago"),
  );
  return view;
}

function cells(row: HTMLElement): string[] {
  return within(row)
    .getAllByRole("cell")
    .map((c) => c.textContent ?? "");
}

describe("Account picture", () => {
  beforeEach(() => {
    window.localStorage.setItem(TOKEN_KEY, "test-token");
  });

  it("shows the book facts in the header", async () => {
    stubPicture({ picture: fullPicture({ last_qbr_on: "2025-10-07" }) });
    await openAccount();
    expect(screen.getByTestId("fact-adoption")).toHaveTextContent("50%");
    expect(screen.getByTestId("fact-usage-change")).toHaveTextContent("−20%");
    expect(screen.getByTestId("fact-usage-change")).toHaveClass("negative");
    expect(screen.getByTestId("fact-open-alerts")).toHaveTextContent("2");
    expect(screen.getByTestId("fact-open-tickets")).toHaveTextContent("3");
    expect(screen.getByTestId("fact-last-qbr")).toHaveTextContent("100 days ago");
  });

  it("lists open tickets, marking breached SLAs and P1/P2", async () => {
    stubPicture();
    await openAccount();
    const tickets = await card("Open tickets");
    expect(within(tickets).getByTestId("tickets-summary")).toHaveTextContent(
      "3 open · 2 P1/P2 · 1 SLA breached",
    );
    const [p1, p2, p3] = within(tickets).getAllByTestId("ticket-row") as [
      HTMLElement,
      HTMLElement,
      HTMLElement,
    ];
    expect(cells(p1)).toEqual([
      "P1",
      "Outage this morning: need an RCAzd-1001 · Performance · Open",
      "5 days",
      "SLA breachedEscalated",
    ]);
    expect(p1).toHaveClass("ticket-urgent", "ticket-breached");
    expect(within(p1).getByText("SLA breached")).toHaveClass("pill-red");
    expect(cells(p2)).toEqual([
      "P2",
      "Export to CSV truncates rowszd-1002 · Reporting · Pending",
      "1 day",
      "Due Jan 16, 2026",
    ]);
    expect(p2).toHaveClass("ticket-urgent");
    expect(p2).not.toHaveClass("ticket-breached");
    expect(cells(p3)).toEqual(["P3", "zd-1003zd-1003 · Open", "30 days", "—"]);
    expect(p3).not.toHaveClass("ticket-urgent");
  });

  it("shows the next renewal, past outcomes, what is unpaid and overdue invoices", async () => {
    stubPicture();
    await openAccount();
    const renewal = await card("Renewal");
    expect(within(renewal).getByTestId("next-renewal")).toHaveTextContent(
      "Mar 1, 2026in 45 d · annual$120Kup for renewalRiskforecast",
    );
    // The header reads the same next renewal, term and source.
    expect(screen.getByTestId("fact-renewal")).toHaveTextContent("Mar 1, 2026in 45 d · annual");
    expect(within(screen.getByTestId("fact-renewal")).getByTestId("renewal-term")).toHaveAttribute(
      "title",
      "From the CRM contract date",
    );
    expect(within(renewal).getByTestId("unpaid")).toHaveTextContent(
      "Unpaid $5,000 in 2 invoices · oldest due Jan 1, 2026 (14 days overdue)",
    );
    expect(within(renewal).getAllByTestId("renewal-row").map(cells)).toEqual([
      ["Mar 1, 2027in 410 d", "Annual", "$130,000", "—", "Open"],
      ["Mar 1, 2026in 45 d", "Annual", "$120,000", "Risk", "Open"],
      ["Mar 1, 2025320 d ago", "Annual", "$100,000", "—", "Renewed"],
    ]);
    expect(
      within(within(renewal).getAllByTestId("renewal-row")[0] as HTMLElement).getByTestId(
        "renewal-term",
      ),
    ).toHaveAttribute("title", "Next billing cycle");

    const contract = await card("Contract");
    expect(within(contract).getAllByTestId("invoice-row").map(cells)).toEqual([
      ["in-0002", "Dec 1, 2025", "Jan 1, 2026", "$3,000", "14 days overdue", "—"],
      ["in-0001", "Nov 1, 2025", "Dec 1, 2025", "$2,000", "Paid", "Nov 20, 2025"],
    ]);
    expect(within(contract).getByText("14 days overdue")).toHaveClass("pill-red");
    expect(
      within(within(contract).getByRole("table", { name: "Subscriptions" }))
        .getAllByRole("cell")
        .map((c) => c.textContent),
    ).toEqual(["Platform", "Scale", "100", "$1,200/ year", "$120,000", "Mar 1, 2024 – ongoing"]);
  });

  it("charts ARR, usage and surveys, and lists top features, surveys and touches", async () => {
    stubPicture();
    await openAccount();
    const usage = await card("Usage & ARR trends");
    expect(
      await within(usage).findByRole("img", {
        name: "ARR from $100,000 on Jan 1, 2025 to $120,000 on Jan 15, 2026",
      }),
    ).toBeInTheDocument();
    expect(
      within(usage).getByRole("img", {
        name: "Active users and feature adoption over 2 days; latest 42 active users, 50% adoption",
      }),
    ).toBeInTheDocument();
    expect(
      within(usage).getByRole("img", { name: "Events per week over 2 weeks, 2,000 in total" }),
    ).toBeInTheDocument();
    expect(within(usage).getAllByTestId("feature-row").map(cells)).toEqual([
      ["Dashboards Core", "4,865", "583", "2,534"],
      ["API ", "805", "160", "0"],
    ]);

    const sentiment = await card("Sentiment");
    expect(
      await within(sentiment).findByRole("img", {
        name: "Survey scores over time: 1 NPS and 1 CSAT responses",
      }),
    ).toBeInTheDocument();
    expect(within(sentiment).getByTestId("survey-stats")).toHaveTextContent(
      "NPS avg 9 (1)CSAT avg 2 (1)",
    );
    const [nps, csat] = within(sentiment).getAllByTestId("survey") as [HTMLElement, HTMLElement];
    expect(nps).toHaveTextContent("NPS 9Jan 12, 2026 · pat@acme.example“Great support”");
    expect(within(nps).getByText("NPS 9")).toHaveClass("pill-green");
    expect(within(csat).getByText("CSAT 2")).toHaveClass("pill-red");
    expect(within(sentiment).getByTestId("touch")).toHaveTextContent(
      "CallJan 10, 2026 · demo@tempo.test · positiveWalked through the roadmap.",
    );
  });

  it("lists the timeline newest first with each event's tone", async () => {
    const user = userEvent.setup();
    const many = Array.from({ length: 20 }, (_, i) => ({
      at: `2025-12-${String(31 - i).padStart(2, "0")}T10:00:00Z`,
      kind: "ticket",
      title: `P3 ticket opened: #${i}`,
      tone: "neutral" as const,
    }));
    const picture = fullPicture();
    stubPicture({ picture: { ...picture, timeline: [...picture.timeline, ...many] } });
    await openAccount();
    const timeline = await card("Timeline");
    const events = within(timeline).getAllByTestId("timeline-event");
    expect(events).toHaveLength(15);
    expect(events.slice(0, 3).map((e) => [e.textContent, e.dataset.tone])).toEqual([
      ["Jan 14, 2026AlertBad: 1 P1/P2 ticket open for more than 24 hours", "bad"],
      ["Jan 12, 2026NPSGood: NPS 9: Great support", "good"],
      ["Jan 10, 2026TouchNeutral: Call: Walked through the roadmap.", "neutral"],
    ]);
    expect(events[0]).toHaveClass("tl-bad");
    expect(events[1]).toHaveClass("tl-good");
    await user.click(within(timeline).getByRole("button", { name: "Show all 23" }));
    expect(within(timeline).getAllByTestId("timeline-event")).toHaveLength(23);
  });

  it("says what is missing when the account has no picture yet", async () => {
    stubPicture({
      picture: {
        ...fullPicture(),
        ...pictureSections(),
        // No renewal record, so no next renewal either.
        ...account({ renewal_date: null, renewal_term: null }),
      },
    });
    renderApp(`/accounts/${ACCOUNT_ID}`);
    await card("Open alerts");
    for (const text of [
      "No open alerts",
      "No open tickets",
      "No tasks",
      "No plays yet",
      "No notes yet",
      "No renewals",
      "No upcoming renewal on record.",
      "No subscriptions",
      "No invoices",
      "No survey responses",
      "No touches",
      "No ARR in the last 12 months",
      "Not enough scored days",
      "No usage in 12 weeks",
      "No feature use in 28 days",
      "Nothing happened yet",
    ]) {
      expect(screen.getByText(text)).toBeInTheDocument();
    }
    expect(screen.getByTestId("unpaid")).toHaveTextContent("Paid up No unpaid invoices");
    expect(screen.getByTestId("fact-last-touch")).toHaveTextContent("Never");
  });

  it("shows every card loading until the account arrives", async () => {
    let release: (() => void) | undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    stubApi({
      "GET /api/v1/auth/me": () => json(demoUser),
      "GET /api/v1/meta": () => json(demoMeta),
      [`GET ${ACCOUNT_PATH}`]: async () => {
        await gate;
        return json(fullPicture());
      },
      [`GET ${ACCOUNT_PATH}/aliases`]: () => json([]),
    });
    renderApp(`/accounts/${ACCOUNT_ID}`);
    for (const name of ["open alerts", "open tickets", "renewal", "tasks", "plays", "timeline"]) {
      expect(await screen.findByText(`Loading ${name}…`)).toBeInTheDocument();
    }
    release?.();
    expect(await screen.findByRole("heading", { level: 1, name: "Acme Corp" })).toBeInTheDocument();
    expect(screen.queryByText("Loading open alerts…")).not.toBeInTheDocument();
    expect(within(await card("Open alerts")).getAllByTestId("alert")).toHaveLength(2);
  });
});
