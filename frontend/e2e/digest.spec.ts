import { resolve } from "node:path";
import { type APIRequestContext, expect, test } from "@playwright/test";

/**
 * The weekly digest from Settings → Digest, as a leader: the preview shows the seven
 * leadership metrics; "Send me a test" reaches the local SMTP server as an HTML email with
 * its charts inline, and "Send a test to channel" the local Slack-compatible receiver as
 * Block Kit blocks. scripts/e2e.sh starts both receivers (TEMPO_E2E_RECEIVER_URL) and points
 * Tempo's SMTP relay and outbound allow-list at them.
 */

const tempo = (process.env.TEMPO_E2E_URL || "http://127.0.0.1:8000").replace(/\/+$/, "");
const receivers = (process.env.TEMPO_E2E_RECEIVER_URL || "").replace(/\/+$/, "");
const adminEmail = process.env.TEMPO_E2E_EMAIL || "demo@tempo.test";
const adminPassword = process.env.TEMPO_E2E_PASSWORD || "tempo-demo";

const LABELS = [
  "ARR",
  "NRR (TTM)",
  "GRR (TTM)",
  "Logo churn (monthly)",
  "Revenue churn (monthly)",
  "Expansion ARR (monthly)",
  "Net new ARR, existing customers",
];

type Email = {
  rcpt_tos: string[];
  subject: string;
  content_type: string;
  html: string | null;
  text: string | null;
  parts: { content_type: string; content_id: string | null; size: number }[];
};
type Post = { path: string; json: { text?: string; blocks?: unknown[] } | null };
type Received = { emails: Email[]; posts: Post[] };

async function received(api: APIRequestContext): Promise<Received> {
  const r = await api.get(`${receivers}/received`);
  expect(r.ok()).toBe(true);
  return (await r.json()) as Received;
}

test.skip(!receivers, "needs the local receivers scripts/e2e.sh starts (TEMPO_E2E_RECEIVER_URL)");

test("a leader previews the digest and sends tests by email and to Slack", async ({
  page,
  playwright,
}, testInfo) => {
  const shot = (name: string) => resolve(testInfo.project.testDir, "..", "e2e-results", name);
  const api = await playwright.request.newContext({ baseURL: tempo });
  const login = await api.post("/api/v1/auth/login", {
    data: { email: adminEmail, password: adminPassword },
  });
  expect(login.ok(), await login.text()).toBe(true);
  const admin = { Authorization: `Bearer ${(await login.json()).token}` };

  // A leader of our own (the demo's leaders have no password) and a Slack channel on the receiver.
  const stamp = Date.now();
  const leaderEmail = `digest-lead-${stamp}@demo.tempo.test`;
  const leaderPassword = "tempo-demo-lead";
  const created = await api.post("/api/v1/users", {
    headers: admin,
    data: { email: leaderEmail, name: "Dana Digest", role: "leader", password: leaderPassword },
  });
  expect(created.status(), await created.text()).toBe(201);
  const channelName = `Digest e2e ${stamp}`;
  const channel = await api.post("/api/v1/notifications/channels", {
    headers: admin,
    data: {
      name: channelName,
      kind: "slack",
      target: `${receivers}/slack/${stamp}`,
      events: ["digest.weekly"],
    },
  });
  expect(channel.status(), await channel.text()).toBe(201);

  // Sign in as the leader, open Settings → Digest.
  await page.goto("/login");
  await page.getByLabel("Email").fill(leaderEmail);
  await page.getByLabel("Password").fill(leaderPassword);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
  await page.goto("/settings#digest");
  await expect(page.getByRole("link", { name: "Digest" })).toHaveAttribute("aria-current", "page");

  // The preview: the email as its recipients see it, the seven metrics first. A leader nobody
  // reports to gets every account by default, as the select says once the preview is in.
  const preview = page.frameLocator('iframe[title="Digest preview"]');
  await expect(preview.getByRole("heading", { name: "Tempo weekly digest" })).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByLabel("Accounts in the preview")).toHaveValue("all");
  await expect(preview.getByText(/· Every account$/)).toBeVisible();
  for (const label of LABELS) {
    await expect(preview.getByText(label, { exact: true })).toBeVisible();
  }
  await expect(preview.getByRole("img", { name: /ARR by month/ })).toBeVisible();
  await page.screenshot({ path: shot("digest-settings.png"), fullPage: true });

  // Send me a test: an HTML email to the leader's address with the charts inline.
  await page.getByRole("button", { name: "Send me a test" }).click();
  await expect(page.getByText(`Delivered to ${leaderEmail}.`)).toBeVisible({ timeout: 30_000 });

  // Send a test to the Slack channel.
  const box = page.getByTestId("digest-channel-test");
  await box
    .getByLabel(/Send a test to a channel/)
    .selectOption({ label: `${channelName} · Slack · 127.0.0.1` });
  await box.getByRole("button", { name: "Send a test to channel" }).click();
  await expect(box.getByText("Delivered to 127.0.0.1.")).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: shot("digest-tests-sent.png"), fullPage: true });

  const got = await received(api);
  const mail = got.emails.find((m) => m.rcpt_tos.includes(leaderEmail));
  expect(mail, "an email to the leader").toBeTruthy();
  if (!mail) return;
  expect(mail.subject).toMatch(/^\[Test\] Tempo weekly digest/);
  expect(mail.content_type).toBe("multipart/alternative");
  expect(mail.html).toBeTruthy();
  for (const label of LABELS) expect(mail.html).toContain(`>${label}<`);
  expect(mail.html).toContain('src="cid:arr-chart@tempo"');
  const images = mail.parts.filter((p) => p.content_type === "image/png");
  expect(images.map((p) => p.content_id)).toContain("<arr-chart@tempo>");
  expect(images.every((p) => p.size > 0 && p.size < 20_000)).toBe(true);
  expect(mail.parts.map((p) => p.content_type)).toContain("text/plain");

  const post = got.posts.find((p) => p.path === `/slack/${stamp}`);
  expect(post?.json?.blocks, "Slack blocks").toBeTruthy();
  const blocks = JSON.stringify(post?.json?.blocks);
  for (const label of LABELS) expect(blocks).toContain(`*${label}*`);
  expect(post?.json?.text).toMatch(/^Tempo weekly digest \(test\)/);
});
