import { resolve } from "node:path";
import { expect, test } from "@playwright/test";

const email = process.env.TEMPO_E2E_EMAIL || "demo@tempo.test";
const password = process.env.TEMPO_E2E_PASSWORD || "tempo-demo";

test("leadership, renewals, cohorts and product", async ({ page }, testInfo) => {
  const shot = (name: string) => resolve(testInfo.project.testDir, "..", "e2e-results", name);
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/book(\?|$)/);

  // Leadership: the KPIs from the revenue engine, and the movements by quarter.
  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link", { name: "Leadership", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Leadership", level: 1 })).toBeVisible();
  await expect(page.getByTestId("kpi-value").first()).toHaveText(/^\$[\d.]+[KMB]?$/);
  await expect(page.getByTestId("period-row").first()).toBeVisible();
  await page.getByRole("button", { name: "Quarter", exact: true }).click();
  await expect(page).toHaveURL(/[?&]interval=quarter(&|$)/);
  await expect(page.getByTestId("due-row").first()).toBeVisible();
  await page.screenshot({ path: shot("leadership.png"), fullPage: true });

  // Renewals: set the first open renewal's forecast.
  await nav.getByRole("link", { name: "Renewals", exact: true }).click();
  const row = page.getByTestId("renewal-row").first();
  await expect(row).toBeVisible();
  const forecast = row.getByRole("combobox", { name: /^Forecast for / });
  const saved = page.waitForResponse(
    (r) => r.request().method() === "PATCH" && /\/api\/v1\/renewals\/[^/]+$/.test(r.url()),
  );
  await forecast.selectOption("risk");
  expect((await saved).status()).toBe(200);
  await expect(forecast).toHaveValue("risk");
  await page.screenshot({ path: shot("renewals.png"), fullPage: true });

  // Cohorts and Product render their analytics.
  await nav.getByRole("link", { name: "Cohorts", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Cohorts", level: 1 })).toBeVisible();
  await expect(page.getByRole("table", { name: /retention/i }).first()).toBeVisible({
    timeout: 30_000,
  });
  await page.screenshot({ path: shot("cohorts.png"), fullPage: true });
  await nav.getByRole("link", { name: "Product", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Product", level: 1 })).toBeVisible();
  await expect(page.getByTestId("complaint-row").first()).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: shot("product.png"), fullPage: true });
});
