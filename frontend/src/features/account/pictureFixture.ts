/** Test fixture (not part of the app): an account with every picture section filled. */
import type { AccountDetail, UserPublic } from "../../api/client";
import { account, demoMeta, demoUser, json, pictureSections, stubApi } from "../../test/utils";

export const ACCOUNT_ID = "a0000000-0000-4000-8000-000000000001";
export const ACCOUNT_PATH = `/api/v1/accounts/${ACCOUNT_ID}`;
export const OTHER_USER = "6f1c1c5e-0000-4000-8000-000000000002";

export const ALERT_HIGH = "c0000000-0000-4000-8000-000000000001";
export const ALERT_ACKED = "c0000000-0000-4000-8000-000000000002";
export const TASK_OVERDUE = "e0000000-0000-4000-8000-000000000001";
export const TASK_PLAY = "e0000000-0000-4000-8000-000000000002";
export const TASK_DONE = "e0000000-0000-4000-8000-000000000003";
export const NOTE_MINE = "f0000000-0000-4000-8000-000000000001";
export const NOTE_THEIRS = "f0000000-0000-4000-8000-000000000002";
export const RUN_ID = "d0000000-0000-4000-8000-000000000001";
export const PLAYBOOK_ESCALATION = "b1000000-0000-4000-8000-000000000001";
export const PLAYBOOK_QBR = "b1000000-0000-4000-8000-000000000002";
export const PLAYBOOK_OLD = "b1000000-0000-4000-8000-000000000003";

/** The whole picture of Acme Corp on 2026-01-15 (demoMeta's today). */
export function fullPicture(overrides: Partial<AccountDetail> = {}): AccountDetail {
  return {
    ...account({
      feature_adoption: 0.5,
      usage_change: -0.2,
      open_tickets: 3,
      last_touch_on: "2026-01-10",
      last_qbr_on: null,
      open_alerts: 2,
    }),
    domains: ["acme.example"],
    industry: "Manufacturing",
    acquisition_channel: null,
    signup_date: "2023-04-02",
    onboarding_completed_at: null,
    seats_purchased: 120,
    seat_limit: 150,
    api_call_limit: null,
    contract_start: "2024-03-01",
    tags: [],
    contacts: [],
    ...pictureSections({
      arr_trend: [
        { date: "2025-01-01", arr: 100000 },
        { date: "2026-01-01", arr: 120000 },
        { date: "2026-01-15", arr: 120000 },
      ],
      subscriptions: [
        {
          product: "Platform",
          plan: "Scale",
          quantity: 100,
          unit_amount: 1200,
          interval: "year",
          currency: "USD",
          arr: 120000,
          start_date: "2024-03-01",
          end_date: null,
          cancellation_reason: null,
        },
      ],
      health_history: [
        {
          as_of: "2026-01-14",
          health_score: 80,
          usage_axis: 70,
          health_axis: 85,
          band: "healthy",
          quadrant: "champions",
          config_version: 1,
          active_users: 40,
          feature_adoption: 0.5,
          user_days: 600,
        },
        {
          as_of: "2026-01-15",
          health_score: 82,
          usage_axis: 72,
          health_axis: 86,
          band: "healthy",
          quadrant: "champions",
          config_version: 1,
          active_users: 42,
          feature_adoption: 0.5,
          user_days: 620,
        },
      ],
      top_features: [
        {
          key: "dashboards",
          name: "Dashboards",
          is_core: true,
          events: 4865,
          user_days: 583,
          minutes: 2534.4,
        },
        { key: "api", name: "API", is_core: false, events: 805, user_days: 160, minutes: 0 },
      ],
      active_users: {
        as_of: "2026-01-14",
        dau: 31,
        wau: 58,
        mau: 84,
        average_dau: 27.3,
        dau_mau_ratio: 0.325,
        weeks: Array.from({ length: 12 }, (_, i) => ({
          ending:
            [
              "2025-10-29",
              "2025-11-05",
              "2025-11-12",
              "2025-11-19",
              "2025-11-26",
              "2025-12-03",
              "2025-12-10",
              "2025-12-17",
              "2025-12-24",
              "2025-12-31",
              "2026-01-07",
              "2026-01-14",
            ][i] ?? "",
          users: i === 11 ? 58 : 40 + i,
        })),
      },
      weekly_usage: [
        { week: "2026-01-05", events: 1200, minutes: 900 },
        { week: "2026-01-12", events: 800, minutes: 700 },
      ],
      tickets: [
        {
          id: "10000000-0000-4000-8000-000000000001",
          source_id: "zd-1001",
          priority: 1,
          status: "open",
          subject: "Outage this morning: need an RCA",
          product_area: "Performance",
          opened_at: "2026-01-10T08:00:00Z",
          age_days: 5,
          escalated: true,
          sla_due_at: "2026-01-10T12:00:00Z",
          sla_breached: true,
        },
        {
          id: "10000000-0000-4000-8000-000000000002",
          source_id: "zd-1002",
          priority: 2,
          status: "pending",
          subject: "Export to CSV truncates rows",
          product_area: "Reporting",
          opened_at: "2026-01-14T08:00:00Z",
          age_days: 1,
          escalated: false,
          sla_due_at: "2026-01-16T08:00:00Z",
          sla_breached: false,
        },
        {
          id: "10000000-0000-4000-8000-000000000003",
          source_id: "zd-1003",
          priority: 3,
          status: "open",
          subject: null,
          product_area: null,
          opened_at: "2025-12-16T08:00:00Z",
          age_days: 30,
          escalated: false,
          sla_due_at: null,
          sla_breached: false,
        },
      ],
      surveys: [
        {
          kind: "nps",
          score: 9,
          responded_at: "2026-01-12T10:00:00Z",
          contact_email: "pat@acme.example",
          comment: "Great support",
        },
        {
          kind: "csat",
          score: 2,
          responded_at: "2026-01-05T10:00:00Z",
          contact_email: null,
          comment: null,
        },
      ],
      touches: [
        {
          kind: "call",
          occurred_at: "2026-01-10T15:00:00Z",
          sentiment: "positive",
          summary: "Walked through the roadmap.",
          csm_email: "demo@tempo.test",
        },
      ],
      renewals: [
        {
          id: "20000000-0000-4000-8000-000000000003",
          renewal_date: "2027-03-01",
          arr_up_for_renewal: 130000,
          forecast: null,
          suggested_forecast: null,
          outcome: null,
          closed_at: null,
          days_to_renewal: 410,
          term: "annual",
          source: "billing",
        },
        {
          id: "20000000-0000-4000-8000-000000000002",
          renewal_date: "2026-03-01",
          arr_up_for_renewal: 120000,
          forecast: "risk",
          suggested_forecast: "churn",
          outcome: null,
          closed_at: null,
          days_to_renewal: 45,
          term: "annual",
          source: "crm",
        },
        {
          id: "20000000-0000-4000-8000-000000000001",
          renewal_date: "2025-03-01",
          arr_up_for_renewal: 100000,
          forecast: null,
          suggested_forecast: null,
          outcome: "renewed",
          closed_at: "2025-02-20T00:00:00Z",
          days_to_renewal: -320,
          term: "annual",
          source: "crm",
        },
      ],
      invoices: [
        {
          id: "30000000-0000-4000-8000-000000000002",
          source_id: "in-0002",
          amount: 3000,
          currency: "USD",
          status: "open",
          issued_at: "2025-12-01T00:00:00Z",
          due_at: "2026-01-01T00:00:00Z",
          paid_at: null,
          days_overdue: 14,
        },
        {
          id: "30000000-0000-4000-8000-000000000001",
          source_id: "in-0001",
          amount: 2000,
          currency: "USD",
          status: "paid",
          issued_at: "2025-11-01T00:00:00Z",
          due_at: "2025-12-01T00:00:00Z",
          paid_at: "2025-11-20T00:00:00Z",
          days_overdue: null,
        },
      ],
      unpaid: { count: 2, amount: 5000, oldest_due_at: "2026-01-01T00:00:00Z" },
      alerts: [
        {
          id: ALERT_HIGH,
          rule: "critical_ticket",
          severity: "high",
          status: "open",
          title: "1 P1/P2 ticket open for more than 24 hours",
          facts: { urgent_open: 1, oldest_open_days: 5 },
          opened_at: "2026-01-14T09:00:00Z",
          snoozed_until: null,
        },
        {
          id: ALERT_ACKED,
          rule: "ticket_surge",
          severity: "medium",
          status: "acknowledged",
          title: "Ticket surge: 3.7x the usual volume",
          facts: {},
          opened_at: "2026-01-12T09:00:00Z",
          snoozed_until: null,
        },
      ],
      tasks: [
        {
          id: TASK_OVERDUE,
          account_id: ACCOUNT_ID,
          playbook_run_id: null,
          title: "Call the champion",
          assignee_id: demoUser.id,
          due_date: "2026-01-10",
          status: "open",
          completed_at: null,
        },
        {
          id: TASK_PLAY,
          account_id: ACCOUNT_ID,
          playbook_run_id: RUN_ID,
          title: "Escalate the ticket to the support lead",
          assignee_id: demoUser.id,
          due_date: "2026-01-16",
          status: "open",
          completed_at: null,
        },
        {
          id: TASK_DONE,
          account_id: ACCOUNT_ID,
          playbook_run_id: RUN_ID,
          title: "Update the customer",
          assignee_id: demoUser.id,
          due_date: "2026-01-12",
          status: "done",
          completed_at: "2026-01-11T10:00:00Z",
        },
      ],
      notes: [
        {
          id: NOTE_MINE,
          body: "Champion leaves in March.",
          created_at: "2026-01-13T10:00:00Z",
          author_id: demoUser.id,
          author: "Demo User",
        },
        {
          id: NOTE_THEIRS,
          body: "Budget review in Q2.",
          created_at: "2026-01-02T10:00:00Z",
          author_id: OTHER_USER,
          author: "Sam Lead",
        },
      ],
      playbook_runs: [
        {
          id: RUN_ID,
          playbook_id: PLAYBOOK_ESCALATION,
          playbook_name: "Critical ticket escalation",
          status: "active",
          outcome: null,
          started_at: "2026-01-11T09:00:00Z",
          completed_at: null,
          health_at_start: 80,
          tasks_open: 1,
          tasks_total: 2,
        },
      ],
      timeline: [
        {
          at: "2026-01-14T09:00:00Z",
          kind: "alert",
          title: "1 P1/P2 ticket open for more than 24 hours",
          tone: "bad",
        },
        { at: "2026-01-12T10:00:00Z", kind: "nps", title: "NPS 9: Great support", tone: "good" },
        {
          at: "2026-01-10T15:00:00Z",
          kind: "touch",
          title: "Call: Walked through the roadmap.",
          tone: "neutral",
        },
      ],
    }),
    ...overrides,
  };
}

export interface Sent {
  method: string;
  path: string;
  body: unknown;
}

type Handler = (request: Request) => Response | Promise<Response>;

/**
 * Stub the API around one account: `picture` is what `accounts:get` answers (change it with
 * `setPicture`), `routes` add or replace handlers. Every request is recorded in `sent`, with its
 * JSON body; `pictureLoads()` counts the `accounts:get` calls (one more after a refresh).
 */
export function stubPicture({
  picture = fullPicture(),
  user = demoUser,
  routes = {},
}: {
  picture?: AccountDetail;
  user?: UserPublic;
  routes?: Record<string, Handler>;
} = {}) {
  const sent: Sent[] = [];
  let current = picture;
  let loads = 0;
  const all: Record<string, Handler> = {
    "GET /api/v1/auth/me": () => json(user),
    "GET /api/v1/meta": () => json(demoMeta),
    [`GET ${ACCOUNT_PATH}`]: () => {
      loads += 1;
      return json(current);
    },
    [`GET ${ACCOUNT_PATH}/aliases`]: () => json([]),
    ...routes,
  };
  const recorded = Object.fromEntries(
    Object.entries(all).map(([key, handler]) => [
      key,
      async (request: Request) => {
        const text = request.method === "GET" ? "" : await request.clone().text();
        sent.push({
          method: request.method,
          path: new URL(request.url).pathname,
          body: text ? JSON.parse(text) : undefined,
        });
        return handler(request);
      },
    ]),
  );
  stubApi(recorded);
  return {
    sent,
    /** Requests other than GET, in order. */
    writes: () => sent.filter((s) => s.method !== "GET"),
    pictureLoads: () => loads,
    setPicture: (next: AccountDetail) => {
      current = next;
    },
    picture: () => current,
  };
}
