import { createMemoryHistory } from "@tanstack/react-router";
import { render } from "@testing-library/react";
import { vi } from "vitest";
import type { AccountDetail, AccountSummary, Meta, UserPublic } from "../api/client";
import { createQueryClient } from "../api/queryClient";
import { App } from "../app";
import { createAppRouter, installUnauthorizedRedirect } from "../router";

type Handler = (request: Request) => Response | Promise<Response>;

export function json(body: unknown, status = 200): Response {
  const contentType = status >= 400 ? "application/problem+json" : "application/json";
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": contentType } });
}

/**
 * Stub `fetch` (unit tests only): `routes` maps "GET /api/v1/meta" to a handler.
 * Unmatched requests answer 404 so a test fails loudly. Returns the spy.
 */
export function stubApi(routes: Record<string, Handler>) {
  const spy = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const handler = routes[`${request.method} ${url.pathname}`];
    if (!handler) {
      return json(
        { type: "about:blank", title: "Not Found", status: 404, detail: url.pathname },
        404,
      );
    }
    return handler(request);
  });
  vi.stubGlobal("fetch", spy);
  return spy;
}

/** The `index`-th request the stubbed fetch received. */
export function requestAt(spy: ReturnType<typeof stubApi>, index = 0): Request {
  const request = spy.mock.calls[index]?.[0];
  if (!(request instanceof Request)) throw new Error(`no request #${index}`);
  return request;
}

/** Render the real app (router + query client) at `path` with in-memory history. */
export function renderApp(path: string) {
  const queryClient = createQueryClient({ retry: false });
  const history = createMemoryHistory({ initialEntries: [path] });
  const router = createAppRouter({ queryClient, history });
  const uninstall = installUnauthorizedRedirect(router, queryClient);
  const view = render(<App router={router} queryClient={queryClient} />);
  return { ...view, router, queryClient, history, uninstall };
}

export const demoUser: UserPublic = {
  id: "6f1c1c5e-0000-4000-8000-000000000001",
  email: "demo@tempo.test",
  name: "Demo User",
  role: "csm",
};

export const demoMeta: Meta = {
  version: "0.1.0",
  reporting_currency: "USD",
  today: "2026-01-15",
  connectors: { stripe: false, segment: false, segment_group_accounts: false },
};

export function account(overrides: Partial<AccountSummary> = {}): AccountSummary {
  return {
    id: "a0000000-0000-4000-8000-000000000001",
    external_id: "ACME-001",
    name: "Acme Corp",
    segment: "Enterprise",
    plan: "Scale",
    icp_tier: "A",
    region: "EMEA",
    owner: { id: demoUser.id, email: demoUser.email, name: demoUser.name },
    arr: 120000,
    renewal_date: "2026-03-01",
    renewal_term: "annual",
    status: "active",
    flag: null,
    health_score: 82,
    band: "healthy",
    quadrant: "champions",
    feature_adoption: null,
    usage_change: null,
    open_tickets: null,
    last_touch_on: null,
    last_qbr_on: null,
    open_alerts: 0,
    ...overrides,
  };
}

/** The picture sections of `accounts:get`, empty unless given. */
export function pictureSections(
  overrides: Partial<AccountDetail> = {},
): Omit<
  AccountDetail,
  | keyof AccountSummary
  | "domains"
  | "industry"
  | "acquisition_channel"
  | "signup_date"
  | "onboarding_completed_at"
  | "seats_purchased"
  | "seat_limit"
  | "api_call_limit"
  | "contract_start"
  | "tags"
  | "contacts"
> {
  return {
    arr_trend: [],
    status_history: [],
    subscriptions: [],
    components: null,
    health_history: [],
    quadrant_moves: [],
    top_features: [],
    weekly_usage: [],
    tickets: [],
    surveys: [],
    touches: [],
    renewals: [],
    invoices: [],
    unpaid: null,
    alerts: [],
    tasks: [],
    notes: [],
    playbook_runs: [],
    timeline: [],
    team: [],
    can_edit: true,
    ...overrides,
  };
}
