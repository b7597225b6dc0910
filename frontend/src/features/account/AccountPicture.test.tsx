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
import type { AccountHealth, InvoiceView } from "./queries";

vi.mock("../../ui/Chart", () => ({
  Chart: ({ label }: { label: string }) => <div role="img" aria-label={label} />,
}));

/** `health:get` with the sentiment component only (what the Sentiment card reads). */
const sentimentHealth: AccountHealth = {
  account_id: ACCOUNT_ID,
  as_of: "2026-01-15",
  config_version: 1,
  stored: true,
  health_score: 82,
  band: "healthy",
  usage_axis: 72,
  health_axis: 86,
  quadrant: "champions",
  coverage: 1,
  churn_probability: 0.05,
  arr: 120000,
  computed_at: "2026-01-15T03:00:00Z",
  components: [
    {
      name: "sentiment",
      label: "Sentiment",
      score: 70,
      weight: 0.2,
      effective_weight: 0.2,
      coverage: 1,
      context: { nps_respondents: 2, csat_responses: 3 },
      sub_metrics: [
        {
          name: "nps",
          label: "NPS",
          unit: "score",
          description: "Latest NPS answer of each respondent within 180 days, averaged (0-10)",
          raw: 8.5,
          score: 80,
          weight: 0.5,
          effective_weight: 0.5,
        },
        {
          name: "nps_trend",
          label: "NPS trend",
          unit: "score",
          description: "Mean NPS of the last 90 days minus the 90 days before",
          raw: null,
          score: null,
          weight: 0.2,
          effective_weight: 0,
        },
        {
          name: "csat",
          label: "CSAT (90 d)",
          unit: "score",
          description: "Mean CSAT (1-5) over the last 90 days",
          raw: 3.6667,
          score: 67,
          weight: 0.3,
          effective_weight: 0.5,
        },
      ],
    },
  ],
};

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

  it("shows each line's unit price in its own currency and its ARR in the reporting currency", async () => {
    const picture = fullPicture();
    stubPicture({
      picture: {
        ...picture,
        subscriptions: [
          {
            product: "Platform",
            plan: "Scale",
            quantity: 1,
            unit_amount: 1000,
            interval: "month",
            currency: "EUR",
            arr: 13_200,
            start_date: "2025-06-01",
            end_date: null,
            cancellation_reason: null,
          },
          ...picture.subscriptions,
        ],
        invoices: [
          { ...(picture.invoices[0] as InvoiceView), amount: 1000, currency: "EUR" },
          ...picture.invoices.slice(1),
        ],
      },
    });
    await openAccount();
    const contract = await card("Contract");
    const [eur, usd] = within(within(contract).getByRole("table", { name: "Subscriptions" }))
      .getAllByRole("row")
      .slice(1) as [HTMLElement, HTMLElement];
    // "€1,000 / month · ARR $13,200", and that the ARR was converted.
    expect(cells(eur)).toEqual([
      "Platform",
      "Scale",
      "1",
      "€1,000/ month",
      "$13,200from EUR",
      "Jun 1, 2025 – ongoing",
    ]);
    expect(within(eur).getByText("$13,200", { exact: false })).toHaveAttribute(
      "title",
      "In USD, the reporting currency, at today's EUR rate",
    );
    // A line in the reporting currency says nothing more.
    expect(cells(usd)[3]).toBe("$1,200/ year");
    expect(cells(usd)[4]).toBe("$120,000");
    expect(within(usd).queryByTestId("fx-note")).not.toBeInTheDocument();
    expect(within(contract).getByTestId("subscriptions-currency")).toHaveTextContent(
      "Unit prices in each line's currency · ARR in USD at today's rates",
    );
    // Invoices in their own currency; what is unpaid, in the reporting currency.
    expect(
      within(contract)
        .getAllByTestId("invoice-row")
        .map((r) => cells(r)[3]),
    ).toEqual(["€1,000", "$2,000"]);
    expect(screen.getByTestId("unpaid")).toHaveTextContent("Unpaid $5,000 (USD) in 2 invoices");
  });

  it("shows when the account became a customer, churned and came back", async () => {
    stubPicture({
      picture: fullPicture({
        status_history: [
          { on: "2023-04-02", event: "new", status: "active", confirmed: true },
          { on: "2024-02-01", event: "churn", status: "churned", confirmed: true },
          { on: "2024-03-01", event: "reactivation", status: "active", confirmed: true },
          { on: "2026-01-05", event: "churn", status: "churned", confirmed: false },
        ],
      }),
    });
    await openAccount();
    const contract = await card("Contract");
    const history = within(contract).getByRole("list", { name: "Status history" });
    expect(
      within(history)
        .getAllByTestId("status-change")
        .map((c) => c.textContent),
    ).toEqual([
      "New customer Apr 2, 2023",
      "Churned Feb 1, 2024",
      "Reactivated Mar 1, 2024",
      "ARR at 0 since Jan 5, 2026, may still return (30-day window)",
    ]);
    expect(within(history).getByText("Churned")).toHaveClass("pill-red");
    expect(within(history).getByText("ARR at 0")).toHaveClass("pill-amber");
  });

  it("labels the listed survey averages and the health score's own NPS and CSAT", async () => {
    stubPicture({
      routes: {
        [`GET ${ACCOUNT_PATH}/health`]: () => json(sentimentHealth),
      },
    });
    await openAccount();
    // (The health panel's sentiment component is a "Sentiment" region too.)
    const sentiment = await screen.findByTestId("sentiment-card");
    expect(within(sentiment).getByTestId("listed-csat")).toHaveTextContent(
      "CSAT avg 2 (last 1 answer)",
    );
    const scored = await within(sentiment).findByTestId("scored-sentiment");
    expect(scored).toHaveTextContent("In the health score:NPS 8.5CSAT (90 d) 3.7");
    expect(within(scored).getByTestId("scored-csat")).toHaveAttribute(
      "title",
      "Mean CSAT (1-5) over the last 90 days",
    );
    // The same figure as the health panel's CSAT sub-metric.
    const csatRow = screen.getAllByTestId("sub-metric").find((r) => r.dataset.metric === "csat");
    expect(csatRow).toHaveTextContent("CSAT (90 d)3.7");
  });

  it("shows DAU, WAU, MAU and stickiness up to yesterday, with 12 weeks of WAU", async () => {
    stubPicture();
    await openAccount();
    const usage = await card("Usage & ARR trends");
    const strip = await within(usage).findByTestId("active-users");
    expect(within(strip).getByText("to Jan 14, 2026, UTC days")).toBeInTheDocument();
    expect(within(strip).getByTestId("active-dau")).toHaveTextContent("DAU31");
    expect(within(strip).getByTestId("active-wau")).toHaveTextContent("WAU58");
    expect(within(strip).getByTestId("active-mau")).toHaveTextContent("MAU84");
    expect(within(strip).getByTestId("active-stickiness")).toHaveTextContent("Stickiness32.5%");
    expect(within(strip).getByText("Stickiness")).toHaveAttribute(
      "title",
      "Average daily active users over the 30 days (27.3) ÷ MAU: how many of the month's users come back each day",
    );
    expect(
      within(strip).getByRole("img", {
        name: "Weekly active users, 12 weeks: 40 in the week to Oct 29, 2025, 58 in the week to Jan 14, 2026",
      }),
    ).toBeInTheDocument();
    expect(within(strip).queryByText("No user was active in the last 30 days.")).toBeNull();
  });

  it("says so when nobody was active in 30 days", async () => {
    stubPicture({
      picture: fullPicture({
        active_users: {
          as_of: "2026-01-14",
          dau: 0,
          wau: 0,
          mau: 0,
          average_dau: 0,
          dau_mau_ratio: null,
          weeks: [],
        },
      }),
    });
    await openAccount();
    const strip = await within(await card("Usage & ARR trends")).findByTestId("active-users");
    expect(within(strip).getByTestId("active-stickiness")).toHaveTextContent("Stickiness—");
    expect(within(strip).getByText("No user was active in the last 30 days.")).toBeInTheDocument();
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
    // The card's averages say what they are averages of.
    expect(within(sentiment).getByTestId("survey-stats")).toHaveTextContent(
      "NPS avg 9 (last 1 answer)CSAT avg 2 (last 1 answer)",
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
