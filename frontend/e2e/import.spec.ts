import { resolve } from "node:path";
import { expect, test } from "@playwright/test";

const email = process.env.TEMPO_E2E_EMAIL || "demo@tempo.test";
const password = process.env.TEMPO_E2E_PASSWORD || "tempo-demo";
// A CSM with a book of their own (printed by `tempo up`): CSMs may not import.
const csmEmail = process.env.TEMPO_E2E_CSM_EMAIL || "";

test("a Salesforce export is recognised on drop and validated with its footer skipped", async ({
  page,
}, testInfo) => {
  const shot = (name: string) => resolve(testInfo.project.testDir, "..", "e2e-results", name);
  // A Salesforce account report as Salesforce exports it: quoted cells, US dates, a footer.
  const salesforce = resolve(
    testInfo.project.testDir,
    "../../backend/tests/imports/exports/salesforce_accounts.csv",
  );
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/book(\?|$)/);

  await page.goto("/import");
  await expect(page.getByRole("option", { name: "Salesforce accounts" })).toBeAttached();
  await page.getByLabel("File to import").setInputFiles(salesforce);
  await expect(page.getByTestId("detected-on-drop")).toContainText(
    "salesforce_accounts.csv looks like a Salesforce accounts export",
  );
  await expect(page.getByRole("combobox", { name: "Kind of data" })).toHaveValue("accounts");

  await page.getByRole("button", { name: "Next: preview and map" }).click();
  await expect(page.getByRole("heading", { name: "Map columns" })).toBeVisible();
  // what each field takes, in words
  const nameRow = page
    .getByTestId("mapping-row")
    .filter({ has: page.locator("label", { hasText: /^name$/ }) });
  await expect(nameRow.getByTestId("field-hint")).toHaveText("text; required");
  for (const hint of await page.getByTestId("field-hint").allTextContents()) {
    expect(hint).not.toMatch(/app\.|\||None|Optional|<class/);
  }
  await page.getByRole("button", { name: "Validate (dry run)" }).click();

  const report = page.getByTestId("import-report");
  await expect(report).toBeVisible();
  await expect(report.getByText("Dry run: nothing written")).toBeVisible();
  // 14 data rows; the blank lines and the five footer lines are skipped, not rejected; one
  // row lacks its Account ID
  const count = (label: string) =>
    report
      .locator(".facts > div", { has: page.locator("dt", { hasText: new RegExp(`^${label}$`) }) })
      .locator("dd");
  await expect(count("Rows")).toHaveText("14");
  await expect(count("Skipped")).toHaveText("7");
  await expect(count("Rejected")).toHaveText("1");
  await page.screenshot({ path: shot("import-salesforce.png"), fullPage: true });
});

test("a CSM is told who imports before choosing any file", async ({ page }) => {
  test.skip(!csmEmail, "set TEMPO_E2E_CSM_EMAIL to a CSM's login");
  await page.goto("/login");
  await page.getByLabel("Email").fill(csmEmail);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/book(\?|$)/);

  await page.goto("/import");
  const refusal = page.getByTestId("import-not-allowed");
  await expect(refusal).toContainText("Importing is for admins");
  await expect(refusal).toContainText("ask an admin to import the file for you");
  await expect(page.getByLabel("File to import")).toHaveCount(0);
});
