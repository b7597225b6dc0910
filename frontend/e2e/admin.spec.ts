import { type APIRequestContext, expect, test } from "@playwright/test";

const email = process.env.TEMPO_E2E_EMAIL || "demo@tempo.test";
const password = process.env.TEMPO_E2E_PASSWORD || "tempo-demo";

type Feature = {
  id: number;
  key: string;
  name: string;
  is_core: boolean;
  plans: string[];
  accounts_30d: number;
};
type Summary = {
  id: string;
  external_id: string;
  plan: string | null;
  feature_adoption: number | null;
};
type Usage = { raw: number | null; context: Record<string, number | null> };

async function adminHeaders(request: APIRequestContext): Promise<Record<string, string>> {
  const login = await request.post("/api/v1/auth/login", { data: { email, password } });
  expect(login.ok()).toBeTruthy();
  return { Authorization: `Bearer ${(await login.json()).token}` };
}

/** The account's feature adoption as its latest health answers it, with the core counts behind it. */
async function adoption(
  request: APIRequestContext,
  headers: Record<string, string>,
  accountId: string,
) {
  const health = await request.get(`/api/v1/accounts/${accountId}/health`, { headers });
  expect(health.status()).toBe(200);
  const usage = (await health.json()).components.find((c: { name: string }) => c.name === "usage");
  const metric = usage.sub_metrics.find((m: { name: string }) => m.name === "feature_adoption");
  return { raw: metric.raw, context: usage.context } as Usage;
}

const percent = (value: number) =>
  new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 }).format(value);

test("an ingest-only key sends data and reads nothing; a feature made core moves adoption", async ({
  page,
  request,
}) => {
  test.setTimeout(240_000);
  const headers = await adminHeaders(request);

  // Beforehand, through the API: a non-core feature, and an account on a plan that has it,
  // which used it in the last four weeks and has not adopted every core feature.
  const catalogue = await (await request.get("/api/v1/features", { headers })).json();
  const features = (catalogue.items as Feature[])
    .filter((f) => !f.is_core && f.accounts_30d > 0)
    .sort((a, b) => a.plans.length - b.plans.length || b.accounts_30d - a.accounts_30d);
  const book = await request.get("/api/v1/accounts", {
    params: { scope: "all", page_size: 200, sort: "-arr" },
    headers,
  });
  expect(book.status()).toBe(200);
  const accounts = (await book.json()).items as Summary[];
  let chosen: { feature: Feature; account: Summary } | null = null;
  let looked = 0;
  search: for (const account of accounts) {
    if (account.feature_adoption === null || account.feature_adoption >= 1) continue;
    const onPlan = features.filter((f) => !f.plans.length || f.plans.includes(account.plan ?? ""));
    if (!onPlan.length) continue;
    if (++looked > 60) break;
    const detail = await (await request.get(`/api/v1/accounts/${account.id}`, { headers })).json();
    const used = new Set((detail.top_features as { key: string }[]).map((f) => f.key));
    for (const feature of onPlan) {
      if (used.has(feature.key)) {
        chosen = { feature, account };
        break search;
      }
    }
  }
  if (!chosen) throw new Error("no account of the demo book uses a non-core feature it has");
  const { feature, account } = chosen;
  const before = await adoption(request, headers, account.id);
  const coreUsed = Number(before.context.core_used);
  const coreAvailable = Number(before.context.core_available);
  expect(before.raw).toBeCloseTo(coreUsed / coreAvailable, 6);

  // The admin creates a key with only the ingest scope and reads it from the dialog.
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/book(\?|$)/);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
  await expect(page).toHaveTitle("Admin · Tempo");
  await page.getByRole("link", { name: "API keys" }).click();
  await expect(page).toHaveURL(/\/admin\?tab=keys$/);
  await page.getByRole("button", { name: "New API key" }).click();
  const dialog = page.getByRole("dialog", { name: "New API key" });
  const keyName = `E2E ingest ${Date.now()}`;
  await dialog.getByLabel("Name").fill(keyName);
  await dialog.getByRole("checkbox", { name: /^ingest/ }).check();
  await expect(dialog.getByLabel("Role")).toBeDisabled();
  await dialog.getByRole("button", { name: "Create key" }).click();
  const shown = page.getByRole("dialog", { name: `Key created: ${keyName}` });
  const key = await shown.getByTestId("new-api-key").inputValue();
  expect(key).toMatch(/^tk_[a-z0-9]{8}_/);
  await shown.getByRole("button", { name: "Done" }).click();
  const row = page.getByRole("row").filter({ hasText: keyName });
  await expect(row.getByText("ingest", { exact: true })).toBeVisible();
  await expect(row.getByText("never")).toBeVisible();

  // With it: one event in (to no feature, so adoption stays as it was), the book refused.
  const asKey = { Authorization: `Bearer ${key}` };
  const sent = await request.post("/api/v1/ingest/events", {
    headers: asKey,
    data: {
      items: [
        {
          id: `e2e-admin-${Date.now()}`,
          account: account.external_id,
          event: "e2e.admin.check",
          timestamp: new Date().toISOString(),
        },
      ],
    },
  });
  expect(sent.status()).toBeGreaterThanOrEqual(200);
  expect(sent.status()).toBeLessThan(300);
  expect((await sent.json()).accepted).toBe(1);
  const refused = await request.get("/api/v1/accounts", { headers: asKey });
  expect(refused.status()).toBe(403);

  // The feature made core on the Features tab, then a rescore, followed to its end.
  await page.getByRole("link", { name: "Features" }).click();
  const core = page.getByRole("checkbox", { name: `${feature.name} is core` });
  await expect(core).not.toBeChecked();
  await core.check();
  await expect(page.getByText("Adoption uses this at the next rescore.")).toBeVisible();
  await expect(core).toBeChecked();
  await page.getByRole("button", { name: "Rescore now" }).click();
  await expect(page.getByTestId("rescore-progress")).toContainText("Rescored:", {
    timeout: 180_000,
  });

  // Through the API: one more core feature available, and used.
  const after = await adoption(request, headers, account.id);
  expect(after.context.core_available).toBe(coreAvailable + 1);
  expect(after.context.core_used).toBe(coreUsed + 1);
  expect(after.raw).toBeCloseTo((coreUsed + 1) / (coreAvailable + 1), 6);
  expect(after.raw).not.toBeCloseTo(before.raw ?? -1, 6);

  // And in the UI: the account's health shows the new value.
  await page.goto(`/accounts/${account.id}`);
  const cell = page
    .locator('[data-testid="sub-metric"][data-metric="feature_adoption"] td')
    .first();
  await expect(cell).toHaveText(percent(after.raw ?? 0));
});
