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

test("filter the book to renewals in 60 days, at risk, no QBR in 90 days, and export it", async ({
  page,
}, testInfo) => {
  const shot = (name: string) => resolve(testInfo.project.testDir, "..", "e2e-results", name);
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/book(\?|$)/);
  await expect(page.getByTestId("account-row").first()).toBeVisible();

  const addFilter = async (field: string, op: string, value: string, pick: boolean) => {
    await page.getByRole("button", { name: "+ Add filter" }).click();
    const form = page.getByRole("form", { name: "Add a filter" });
    await form.getByLabel("Field").selectOption({ label: field });
    await form.getByLabel("Operator").selectOption({ label: op });
    if (pick) await form.getByLabel("Value").selectOption(value);
    else await form.getByLabel("Value").fill(value);
    await form.getByRole("button", { name: "Add" }).click();
  };
  await addFilter("Days to renewal", "at most", "60", false);
  await addFilter("Health band", "is", "at_risk", true);
  await addFilter("Days since last QBR", "more than", "90", false);

  const chips = page.getByTestId("filter-chip");
  await expect(chips).toHaveText([
    "Renewal in ≤ 60 days×",
    "Health band is at risk×",
    "Last QBR > 90 days ago×",
  ]);
  await expect(page).toHaveURL(/filter=renewal_in%3C%3D60(\+|%20)band%3Dat_risk(\+|%20)qbr%3E90/);
  await expect(page.getByRole("table").locator("tbody")).not.toHaveCSS("opacity", "0.6");
  const range = (await page.getByTestId("book-range").textContent()) ?? "";
  const total = Number(range.split(" of ")[1]?.replace(/,/g, ""));
  expect(total).toBeGreaterThan(0);

  // Every row shown matches: at risk, renewal within 60 days.
  const rows = page.getByTestId("account-row");
  await expect(rows.first()).toBeVisible();
  for (const text of await rows.allTextContents()) expect(text).toContain("At risk");
  await page.screenshot({ path: shot("book-filtered.png"), fullPage: true });

  // Export: the CSV holds exactly the filtered rows.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: /^Export CSV/ }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^tempo-book-\d{4}-\d{2}-\d{2}\.csv$/);
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  const lines = Buffer.concat(chunks)
    .toString("utf8")
    .replace(/^\uFEFF/, "")
    .trim()
    .split(/\r\n/);
  expect(lines[0]).toMatch(
    /^External ID,Account,Segment,Plan,Owner,ARR,Renewal date,Renewal term,Health,Band/,
  );
  expect(lines.length - 1).toBe(total);
  for (const line of lines.slice(1)) expect(line).toContain(",at_risk,");
});
