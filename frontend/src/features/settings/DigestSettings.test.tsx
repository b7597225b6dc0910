import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { UserPublic } from "../../api/client";
import { TOKEN_KEY } from "../../api/token";
import { demoMeta, demoUser, json, renderApp, stubApi } from "../../test/utils";
import type { Delivery, DigestChannel } from "./DigestSettings";

const leader: UserPublic = { ...demoUser, role: "leader", email: "lead@tempo.test" };
const csm: UserPublic = { ...demoUser, role: "csm", email: "casey@tempo.test" };

function delivery(overrides: Partial<Delivery> = {}): Delivery {
  return {
    id: "d0000000-0000-4000-8000-000000000001",
    channel_id: null,
    channel: "email",
    target: "lead@tempo.test",
    event_type: "digest.weekly",
    status: "pending",
    attempts: 0,
    next_attempt_at: "2026-12-07T08:00:00Z",
    last_error: null,
    last_status_code: null,
    created_at: "2026-12-07T08:00:00Z",
    delivered_at: null,
    ...overrides,
  };
}

const slackChannel: DigestChannel = {
  id: "c0000000-0000-4000-8000-000000000001",
  name: "#cs-leads",
  kind: "slack",
  destination: "hooks.slack.com",
  takes_digest: true,
  is_active: true,
};

function previewHtml(scope: string) {
  return `<!DOCTYPE html><html><body><h1>Tempo weekly digest</h1><p>scope ${scope}</p></body></html>`;
}

function stubDigest({
  user = leader,
  test,
  statuses = ["pending", "delivered"],
}: {
  user?: UserPublic;
  test?: (body: unknown) => Response;
  statuses?: Delivery["status"][];
} = {}) {
  const calls = { previews: [] as URL[], tests: [] as unknown[], polls: 0 };
  const spy = stubApi({
    "GET /api/v1/auth/me": () => json(user),
    "GET /api/v1/meta": () => json(demoMeta),
    "GET /api/v1/digest/preview": (request) => {
      const url = new URL(request.url);
      calls.previews.push(url);
      // The server's default: a CSM's own accounts, this leader's team.
      const scope = url.searchParams.get("scope") ?? (user.role === "csm" ? "mine" : "team");
      return new Response(previewHtml(scope), {
        headers: { "Content-Type": "text/html; charset=utf-8", "X-Scope": scope },
      });
    },
    "GET /api/v1/digest/channels": () => json([slackChannel]),
    "POST /api/v1/digest/test": async (request) => {
      const body = await request.json();
      calls.tests.push(body);
      if (test) return test(body);
      return json([delivery({ target: user.email })], 202);
    },
    [`GET /api/v1/digest/deliveries/${delivery().id}`]: () => {
      const status = statuses[Math.min(calls.polls, statuses.length - 1)] ?? "pending";
      calls.polls += 1;
      return json(
        delivery({
          target: user.email,
          status,
          last_error: status === "failed" ? "HTTP 500" : null,
        }),
      );
    },
  });
  return { calls, spy };
}

describe("Settings → Digest", () => {
  beforeEach(() => {
    window.localStorage.setItem(TOKEN_KEY, "test-token");
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("shows this week's digest in a sandboxed frame, for the chosen accounts", async () => {
    const user = userEvent.setup();
    const { calls } = stubDigest();
    renderApp("/settings#digest");
    const tab = await screen.findByRole("link", { name: "Digest" }, { timeout: 5000 });
    expect(tab).toHaveAttribute("aria-current", "page");
    const frame = await screen.findByTitle("Digest preview");
    expect(frame).toHaveAttribute("sandbox", "");
    // The server's default for the caller (a leader with reports: their team), as it answers.
    expect(frame.getAttribute("srcdoc")).toContain("scope team");
    expect(calls.previews[0]?.searchParams.get("format")).toBe("html");
    expect(calls.previews[0]?.searchParams.has("scope")).toBe(false);
    const select = screen.getByLabelText("Accounts in the preview");
    await waitFor(() => expect(select).toHaveValue("team"));
    await user.selectOptions(select, "all");
    await waitFor(() =>
      expect(screen.getByTitle("Digest preview").getAttribute("srcdoc")).toContain("scope all"),
    );
    expect(calls.previews.at(-1)?.searchParams.get("scope")).toBe("all");
    expect(select).toHaveValue("all");
  });

  it("sends me a test and follows it until it is delivered", async () => {
    const user = userEvent.setup();
    const { calls } = stubDigest();
    renderApp("/settings#digest");
    expect(
      await screen.findByText(
        "By email to lead@tempo.test: the digest you would get",
        {},
        { timeout: 5000 },
      ),
    ).toBeVisible();
    await user.click(screen.getByRole("button", { name: "Send me a test" }));
    await waitFor(() => expect(calls.tests).toEqual([{}]));
    expect(await screen.findByText("Sending to lead@tempo.test…")).toBeInTheDocument();
    expect(
      await screen.findByText("Delivered to lead@tempo.test.", {}, { timeout: 5000 }),
    ).toBeInTheDocument();
    const polls = calls.polls;
    await new Promise((r) => setTimeout(r, 1800));
    expect(calls.polls).toBe(polls); // delivered: no more asking
  });

  it("says why a test cannot be sent", async () => {
    const user = userEvent.setup();
    stubDigest({
      test: () =>
        json(
          {
            type: "about:blank",
            title: "Validation error",
            status: 422,
            detail: "Email is not set up on this server: set TEMPO_SMTP_HOST",
          },
          422,
        ),
    });
    renderApp("/settings#digest");
    await user.click(
      await screen.findByRole("button", { name: "Send me a test" }, { timeout: 5000 }),
    );
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "The test was not sent: Email is not set up on this server: set TEMPO_SMTP_HOST",
    );
  });

  it("lets leaders send a test to a channel and shows a failed delivery", async () => {
    const user = userEvent.setup();
    const { calls } = stubDigest({ statuses: ["failed"] });
    renderApp("/settings#digest");
    const box = await screen.findByTestId("digest-channel-test", {}, { timeout: 5000 });
    const send = within(box).getByRole("button", { name: "Send a test to channel" });
    expect(send).toBeDisabled();
    const select = within(box).getByLabelText(/Send a test to a channel/);
    await within(box).findByRole("option", { name: "#cs-leads · Slack · hooks.slack.com" });
    await user.selectOptions(select, slackChannel.id);
    await user.click(send);
    await waitFor(() => expect(calls.tests).toEqual([{ channel_id: slackChannel.id }]));
    expect(await within(box).findByRole("alert")).toHaveTextContent(
      "Not delivered to lead@tempo.test: HTTP 500. Tempo tries again by itself",
    );
  });

  it("offers CSMs a test to themselves only", async () => {
    const { spy } = stubDigest({ user: csm });
    renderApp("/settings#digest");
    await screen.findByRole("button", { name: "Send me a test" }, { timeout: 5000 });
    expect(await screen.findByTitle("Digest preview")).toHaveAttribute(
      "srcdoc",
      expect.stringContaining("scope mine"),
    );
    expect(screen.queryByTestId("digest-channel-test")).not.toBeInTheDocument();
    const asked = spy.mock.calls.map(([r]) => new URL((r as Request).url).pathname);
    expect(asked).not.toContain("/api/v1/digest/channels");
  });
});
