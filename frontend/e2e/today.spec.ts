import { resolve } from "node:path";
import { expect, type Locator, test } from "@playwright/test";

const email = process.env.TEMPO_E2E_EMAIL || "demo@tempo.test";
const password = process.env.TEMPO_E2E_PASSWORD || "tempo-demo";
// A CSM with a book of their own (printed by `tempo up`); without one, the admin's team view.
const csmEmail = process.env.TEMPO_E2E_CSM_EMAIL || "";

/** The first checkbox in `scope` that is neither ticked nor disabled, or null. */
async function firstOpenBox(scope: Locator): Promise<Locator | null> {
  const boxes = scope.getByRole("checkbox");
  const n = await boxes.count();
  for (let i = 0; i < n; i++) {
    const box = boxes.nth(i);
    if (!(await box.isChecked()) && (await box.isEnabled())) return box;
  }
  return null;
}

test("today: the ranked queue, a play started and a task done", async ({ page }, testInfo) => {
  const shot = (name: string) => resolve(testInfo.project.testDir, "..", "e2e-results", name);

  await page.goto("/login");
  await page.getByLabel("Email").fill(csmEmail || email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/book(\?|$)/);

  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Today", exact: true })
    .click();
  await expect(page).toHaveURL(/\/today(\?|$)/);
  await expect(page.getByRole("heading", { name: "Today", level: 1 })).toBeVisible();

  if (csmEmail) {
    // A CSM lands on their own queue.
    await expect(page.getByRole("button", { name: "Mine", exact: true })).toHaveAttribute(
      "aria-pressed",
      "true",
    );
  } else {
    // The demo admin owns no accounts: look at everyone's queue.
    await page.getByRole("button", { name: "Everyone", exact: true }).click();
    await expect(page).toHaveURL(/[?&]scope=all(&|$)/);
  }
  const items = page.getByTestId("queue-item");
  await expect(items.first()).toBeVisible();
  await expect(items.first().getByTestId("queue-reason")).toContainText("ARR");
  await expect(page.getByTestId("total-at-stake")).toHaveText(/\$[\d.]+[KMB]?/);
  await expect(page.getByTestId("queue-total")).toHaveText(/^[1-9][\d,]*items?$/);

  // Expand the first item with a suggested play.
  const item = items.filter({ has: page.getByTestId("play-pill") }).first();
  await expect(item).toBeVisible();
  await item.getByRole("button", { name: /^Show details for / }).click();
  await expect(page).toHaveURL(/[?&]item=(risk|opportunity)-/);
  const details = item.getByTestId("queue-details");
  await expect(details).toBeVisible();
  await expect(details.getByRole("textbox", { name: "Email" })).not.toBeEmpty();

  // Start it; when scoring started it already, its progress and running tasks are shown instead.
  const start = details.getByRole("button", { name: "Start play" });
  const progress = details.getByTestId("play-progress");
  await expect(start.or(progress)).toBeVisible();
  if (await start.isVisible()) {
    await start.click();
    await expect(details.getByTestId("play-started")).toBeVisible();
  } else {
    await expect(progress).toContainText(/^Running since /);
  }
  const runTasks = details.getByRole("list", { name: /^Tasks of / });
  await expect(runTasks).toBeVisible();

  const patched = () =>
    page.waitForResponse(
      (r) => r.request().method() === "PATCH" && /\/api\/v1\/tasks\/[^/]+$/.test(r.url()),
    );

  // Complete the first open task of the run, or else one of My tasks. When earlier runs of
  // this journey (same data directory) completed them all, open the first one again first.
  let box =
    (await firstOpenBox(runTasks)) ??
    (await firstOpenBox(page.getByRole("region", { name: "My tasks" })));
  if (!box) {
    box = runTasks.getByRole("checkbox").first();
    const reopened = patched();
    await box.uncheck();
    expect((await reopened).status()).toBe(200);
  }
  const saved = patched();
  await box.check();
  expect((await saved).status()).toBe(200);
  await expect(box).toBeChecked();
  await expect(box).toBeEnabled();

  // The list from the top (the expanded item is first or near it), then the play itself.
  await page.getByRole("main").evaluate((el) => el.scrollTo(0, 0));
  await page.screenshot({ path: shot("today.png"), fullPage: true });
  await details.getByRole("region", { name: "Suggested play" }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: shot("today-play.png") });
});
