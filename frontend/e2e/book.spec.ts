import { resolve } from "node:path";
import { expect, test } from "@playwright/test";

const email = process.env.TEMPO_E2E_EMAIL || "demo@tempo.test";
const password = process.env.TEMPO_E2E_PASSWORD || "tempo-demo";

test("sign in, browse the book, sort by ARR and open an account", async ({ page }, testInfo) => {
  // Screenshots go to frontend/e2e-results/ whatever the working directory.
  const shot = (name: string) => resolve(testInfo.project.testDir, "..", "e2e-results", name);

  // Unauthenticated visitors are sent to /login.
  await page.goto("/");
  await expect(page).toHaveURL(/\/login(\?|$)/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();

  // Lands on the Book with data.
  await expect(page).toHaveURL(/\/book(\?|$)/);
  await expect(page.getByRole("heading", { name: "Book", level: 1 })).toBeVisible();
  const rows = page.getByTestId("account-row");
  await expect(rows.first()).toBeVisible();
  await expect(page.getByTestId("book-range")).toHaveText(/^[\d,]+–[\d,]+ of [\d,]+$/);

  // Default sort is ARR descending; one click on the header flips it.
  const arrHeader = page.getByRole("columnheader", { name: "ARR" });
  await expect(arrHeader).toHaveAttribute("aria-sort", "descending");
  await arrHeader.getByRole("button", { name: "ARR" }).click();
  await expect(page).toHaveURL(/[?&]sort=arr(&|$)/);
  await expect(arrHeader).toHaveAttribute("aria-sort", "ascending");
  await expect(page.getByRole("table").locator("tbody")).not.toHaveCSS("opacity", "0.6");
  await expect(rows.first()).toBeVisible();

  await page.screenshot({ path: shot("book.png"), fullPage: true });

  // Open the first account and see its name in the header.
  const firstLink = rows.first().getByRole("link").first();
  const name = (await firstLink.textContent())?.trim() ?? "";
  expect(name).not.toBe("");
  await firstLink.click();
  await expect(page).toHaveURL(/\/accounts\/[^/?]+/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page.getByRole("heading", { name: "Contacts" })).toBeVisible();
  await page.screenshot({ path: shot("account.png"), fullPage: true });

  // The back-link returns to the book with its sort preserved.
  await page.getByRole("link", { name: "← Book" }).click();
  await expect(page).toHaveURL(/\/book\?(.*&)?sort=arr(&|$)/);
});
