// The alert actions' "Snooze (rule default)", whose days are set in Settings → Alert quality.
// (It tests ../alerts/AlertActions.tsx; it lives here with the settings it reads.)
import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Schemas } from "../../api/client";
import { createQueryClient } from "../../api/queryClient";
import { TOKEN_KEY } from "../../api/token";
import { json, stubApi } from "../../test/utils";
import { AlertActions } from "../alerts/AlertActions";

const ID = "e0000000-0000-4000-8000-000000000001";

const snoozed: Schemas["AlertPublic"] = {
  id: ID,
  account_id: "a0000000-0000-4000-8000-000000000001",
  account_name: "Acme Corp",
  owner_id: null,
  arr: 120000,
  rule: "critical_ticket",
  severity: "high",
  status: "snoozed",
  title: "2 P1/P2 tickets open for more than 24 hours",
  facts: {},
  opened_at: "2026-03-01T08:00:00Z",
  acknowledged_at: null,
  snoozed_until: "2026-03-03T12:00:00Z",
  resolved_at: null,
  resolved_reason: null,
  last_evaluated_at: "2026-03-02T08:00:00Z",
};

function renderActions() {
  const sent: unknown[] = [];
  stubApi({
    [`POST /api/v1/alerts/${ID}/snooze`]: async (request) => {
      sent.push(await request.json());
      return json(snoozed);
    },
  });
  render(
    <QueryClientProvider client={createQueryClient({ retry: false })}>
      <AlertActions alertId={ID} title={snoozed.title} />
    </QueryClientProvider>,
  );
  return sent;
}

describe("Alert actions → Snooze (rule default)", () => {
  beforeEach(() => {
    window.localStorage.setItem(TOKEN_KEY, "test-token");
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("sends no date and says until when the server snoozed it", async () => {
    const user = userEvent.setup();
    const sent = renderActions();
    await user.click(screen.getByRole("button", { name: "Snooze…" }));
    const form = screen.getByRole("form", { name: "Snooze" });
    await user.click(within(form).getByRole("button", { name: "Snooze (rule default)" }));

    const done = await screen.findByText("Snoozed until Mar 3, 2026");
    expect(done).toHaveAttribute("title", "2026-03-03 12:00:00 UTC");
    expect(sent).toEqual([{}]);
    // Snoozed: no more actions, the form is closed.
    expect(screen.queryByRole("button", { name: "Snooze…" })).not.toBeInTheDocument();
    expect(screen.queryByRole("form", { name: "Snooze" })).not.toBeInTheDocument();
  });

  it("still sends a date for the fixed choices", async () => {
    const user = userEvent.setup();
    const sent = renderActions();
    await user.click(screen.getByRole("button", { name: "Snooze…" }));
    const before = Date.now();
    await user.click(screen.getByRole("button", { name: "1 day" }));
    await screen.findByText("Snoozed until Mar 3, 2026");
    const until = Date.parse((sent[0] as { until: string }).until);
    expect(until - before).toBeGreaterThanOrEqual(86_400_000);
    expect(until - before).toBeLessThan(86_400_000 + 60_000);
  });
});
