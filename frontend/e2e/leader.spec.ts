import { resolve } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { type APIRequestContext, expect, type Page, test } from "@playwright/test";

const password = process.env.TEMPO_E2E_PASSWORD || "tempo-demo";
// The demo CSM's lead, whom `tempo up` prints with the demo password (scripts/e2e.sh passes it).
const leaderEmail = process.env.TEMPO_E2E_LEADER_EMAIL || "leader01@demo.tempo.test";

type Headers = { Authorization: string };
type Row = { user_id: string | null; name: string | null; email: string | null; accounts: number };

async function leaderLogin(
  request: APIRequestContext,
): Promise<{ email: string; headers: Headers }> {
  const r = await request.post("/api/v1/auth/login", { data: { email: leaderEmail, password } });
  expect(r.status(), `${leaderEmail} signs in with the demo password`).toBe(200);
  return { email: leaderEmail, headers: { Authorization: `Bearer ${(await r.json()).token}` } };
}

/** Serious and critical WCAG 2.x A/AA findings of axe on the page, as "rule (impact): where". */
async function seriousViolations(page: Page): Promise<string[]> {
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0, { timeout: 20_000 });
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"])
    .analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

const money = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  minimumFractionDigits: 0,
  maximumFractionDigits: 0,
});

function personName(row: Row): string {
  return row.name?.trim() || row.email || "Unnamed";
}

test("a leader's first screen, their team, and a reassignment", async ({
  page,
  request,
}, testInfo) => {
  const shot = (name: string) => resolve(testInfo.project.testDir, "..", "e2e-results", name);
  const { email, headers } = await leaderLogin(request);

  // Sign in and land on Leadership.
  await page.goto("/login?redirect=%2Fleadership");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/leadership(\?|$)/);
  await expect(page.getByRole("heading", { name: "Leadership", level: 1 })).toBeVisible();

  // Their team's figures (a leader with reports opens on them; one without, on everyone's).
  await page.getByRole("button", { name: "Team", exact: true }).click();
  await expect(page).toHaveURL(/[?&]scope=team(&|$)/);
  await expect(page.getByRole("button", { name: "Team", exact: true })).toHaveAttribute(
    "aria-pressed",
    "true",
  );
  // The three figures are the API's for the same scope.
  const overview = await (
    await request.get("/api/v1/metrics/overview", { headers, params: { scope: "team" } })
  ).json();
  expect(overview.scope).toBe("team");
  const risk = page.getByTestId("overview-risk");
  await expect(risk.getByTestId("overview-risk-value")).toHaveAttribute(
    "title",
    money.format(overview.revenue_at_risk.value),
  );
  await expect(risk.getByTestId("overview-risk-accounts")).toHaveText(
    new Intl.NumberFormat("en-US").format(overview.revenue_at_risk.accounts),
  );
  const attention = page.getByTestId("overview-attention").getByTestId("attention-row");
  await expect(attention).toHaveCount(overview.attention.items.length);
  for (const [i, item] of overview.attention.items.entries()) {
    await expect(attention.nth(i).getByRole("link").first()).toHaveText(item.account_name);
  }
  await expect(
    page.getByTestId("overview-renewals-arr").locator("[title]").first(),
  ).toHaveAttribute("title", money.format(overview.renewals_next_quarter.next_quarter.arr));
  await expect(
    page.getByTestId("overview-expansion-value").locator("[title]").first(),
  ).toHaveAttribute("title", money.format(overview.expansion_pipeline.value));
  // The definition of a figure, from the keyboard.
  await page.getByRole("button", { name: "Revenue at risk", exact: true }).focus();
  await expect(risk.getByRole("tooltip")).toHaveText(overview.revenue_at_risk.definition);
  // Nothing wider than the window at 1,280 px.
  await page.setViewportSize({ width: 1280, height: 900 });
  const fits = await page.evaluate(() =>
    [document.documentElement, document.querySelector(".content")].every(
      (el) => !el || el.scrollWidth <= el.clientWidth,
    ),
  );
  expect(fits).toBe(true);
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: shot("leader-first-screen.png"), fullPage: true });

  // The Team view: one row per CSM of the team.
  const team = await (
    await request.get("/api/v1/team", { headers, params: { scope: "team" } })
  ).json();
  const csms: Row[] = team.rows.filter((r: Row & { role: string }) => r.role === "csm");
  expect(csms.length).toBeGreaterThan(0);
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Team", exact: true })
    .click();
  await expect(page).toHaveURL(/\/team(\?|$)/);
  await page.getByRole("button", { name: "My team", exact: true }).click();
  await expect(page).toHaveURL(/\/team\?scope=team$/);
  const rows = page.getByTestId("team-row");
  await expect(rows).toHaveCount(team.rows.length);
  for (const csm of csms) {
    await expect(rows.filter({ hasText: personName(csm) })).toHaveCount(1);
  }
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: shot("leader-team.png"), fullPage: true });

  // Reassign one account from one CSM of the team to a CSM of the other team (everyone's
  // view: a small demo's team may be one CSM), then move it back.
  const everyone = await (
    await request.get("/api/v1/team", { headers, params: { scope: "all" } })
  ).json();
  await page.getByRole("button", { name: "Everyone", exact: true }).click();
  await expect(page).toHaveURL(/\/team\?scope=all$/);
  await expect(rows).toHaveCount(everyone.rows.length);
  const from = csms.find((r) => r.accounts > 0) as Row;
  const to = everyone.rows.find(
    (r: Row & { role: string }) => r.role === "csm" && r.user_id !== from.user_id,
  ) as Row;
  expect(to, "another CSM to move an account to").toBeTruthy();
  await page.getByRole("button", { name: `Reassign ${personName(from)}'s accounts` }).click();
  const dialog = page.getByRole("dialog");
  const first = dialog.getByTestId("reassign-account").first();
  await expect(first).toBeVisible();
  await first.getByRole("checkbox").check();
  await dialog.getByLabel("Reassign to…").selectOption(to.user_id as string);
  await page.screenshot({ path: shot("leader-reassign.png") });
  await dialog.getByRole("button", { name: "Reassign…" }).click();
  const confirm = page.getByRole("dialog", { name: "Reassign 1 account?" });
  await expect(confirm.getByTestId("reassign-summary")).toContainText(
    `from ${personName(from)} to ${personName(to)}`,
  );
  const posted = page.waitForRequest(
    (r) => r.method() === "POST" && r.url().endsWith("/api/v1/accounts/reassign"),
  );
  await confirm.getByRole("button", { name: "Reassign", exact: true }).click();
  const accountId: string = (await posted).postDataJSON().account_ids[0];
  try {
    await expect(page.getByTestId("reassign-notice")).toHaveText(
      `Moved 1 account to ${personName(to)}.`,
    );
    const moved = await (await request.get(`/api/v1/accounts/${accountId}`, { headers })).json();
    expect(moved.owner?.id).toBe(to.user_id);
  } finally {
    const back = await request.post("/api/v1/accounts/reassign", {
      headers,
      data: { account_ids: [accountId], owner_id: from.user_id },
    });
    expect(back.status()).toBe(200);
  }
  const restored = await (await request.get(`/api/v1/accounts/${accountId}`, { headers })).json();
  expect(restored.owner?.id).toBe(from.user_id);
});
