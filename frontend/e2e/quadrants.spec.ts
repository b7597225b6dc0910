import { resolve } from "node:path";
import { expect, test } from "@playwright/test";

const email = process.env.TEMPO_E2E_EMAIL || "demo@tempo.test";
const password = process.env.TEMPO_E2E_PASSWORD || "tempo-demo";

test("quadrants, an account's health and the scoring settings", async ({ page }, testInfo) => {
  const shot = (name: string) => resolve(testInfo.project.testDir, "..", "e2e-results", name);

  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/book(\?|$)/);

  // Quadrants: four tiles with accounts in them, and the scatter drawn on a canvas.
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Quadrants", exact: true })
    .click();
  await expect(page).toHaveURL(/\/quadrants(\?|$)/);
  await expect(page.getByRole("heading", { name: "Quadrants", level: 1 })).toBeVisible();
  const tiles = page.getByTestId("quadrant-tile");
  await expect(tiles).toHaveCount(4);
  await expect(tiles.first().getByTestId("tile-accounts")).toBeVisible();
  const counts = await tiles.getByTestId("tile-accounts").allTextContents();
  const accounts = counts.map((t) => Number(t.replace(/[^\d]/g, "")));
  expect(accounts.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  const arr = await tiles.getByTestId("tile-arr").allTextContents();
  expect(arr.some((t) => /[1-9]/.test(t))).toBe(true);
  await expect(page.locator("canvas").first()).toBeVisible();
  await expect(page.getByRole("region", { name: "Movers" })).toBeVisible();
  await page.screenshot({ path: shot("quadrants.png"), fullPage: true });

  // The first mover's account, or the Book's first account when nobody moved this week.
  const movers = page.getByTestId("mover-row");
  await expect(movers.first().or(page.getByText("No quadrant moves"))).toBeVisible();
  if ((await movers.count()) > 0) {
    await movers.first().getByRole("link").click();
  } else {
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Book", exact: true })
      .click();
    await page.getByTestId("account-row").first().getByRole("link").first().click();
  }
  await expect(page).toHaveURL(/\/accounts\/[^/?]+/);

  // The health panel with the Usage component and its sub-metrics.
  const panel = page.getByTestId("health-panel");
  await expect(panel).toBeVisible();
  await expect(panel.getByText("Health score")).toBeVisible();
  const usage = page.getByRole("region", { name: "Usage (health component)", exact: true });
  await expect(usage).toBeVisible();
  await expect(usage.getByText("Logins per seat")).toBeVisible();
  await expect(page.getByRole("region", { name: "What changed" })).toBeVisible();
  await page.screenshot({ path: shot("account-health.png"), fullPage: true });

  // Settings → Scoring: the active config and the validation report's AUC.
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Settings", exact: true })
    .click();
  await expect(page).toHaveURL(/\/settings(\?|#|$)/);
  await expect(page.getByTestId("active-version")).toContainText(/Active: v\d+/);
  const validation = page.getByTestId("validation-report");
  await expect(validation.getByTestId("auc-health_score")).toHaveText(/^(0|1)\.\d+$/, {
    timeout: 30_000,
  });
  await page.screenshot({ path: shot("settings.png"), fullPage: true });
});
