import { resolve } from "node:path";
import { expect, test } from "@playwright/test";

const password = process.env.TEMPO_E2E_PASSWORD || "tempo-demo";
const adminEmail = process.env.TEMPO_E2E_EMAIL || "demo@tempo.test";
// A CSM with a book of their own (printed by `tempo up`).
const csmEmail = process.env.TEMPO_E2E_CSM_EMAIL || "";

test.describe("the CSM's day", () => {
  test.skip(!csmEmail, "needs TEMPO_E2E_CSM_EMAIL (scripts/e2e.sh sets it)");

  test("every queue item of the demo book carries a play", async ({ request }) => {
    const login = await request.post("/api/v1/auth/login", {
      data: { email: adminEmail, password },
    });
    const headers = { Authorization: `Bearer ${(await login.json()).token}` };
    const missing: string[] = [];
    let seen = 0;
    for (let page = 1; ; page++) {
      const r = await request.get("/api/v1/queue", {
        params: { scope: "all", page, page_size: 200 },
        headers,
      });
      expect(r.status()).toBe(200);
      const body = await r.json();
      for (const item of body.items) {
        seen++;
        if (!item.play) missing.push(`${item.account.name}: ${item.alerts[0].rule}`);
      }
      if (page * 200 >= body.total) break;
    }
    expect(seen).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });

  test("open the top item, log a call, start its play, do a named task, copy the email", async ({
    page,
    context,
  }, testInfo) => {
    const shot = (name: string) => resolve(testInfo.project.testDir, "..", "e2e-results", name);
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);

    await page.goto("/login");
    await page.getByLabel("Email").fill(csmEmail);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/book(\?|$)/);

    // Today opens on the CSM's own book.
    await page.goto("/today");
    await expect(page).toHaveTitle("Today · Tempo");
    await expect(page.getByRole("button", { name: "Mine", exact: true })).toHaveAttribute(
      "aria-pressed",
      "true",
    );
    const item = page.getByTestId("queue-item").first();
    await expect(item).toBeVisible();
    const name = (await item.getByTestId("queue-account").innerText()).trim();

    // The top item: its play and the account's context, without opening the account.
    await item.getByRole("button", { name: `Show details for ${name}` }).click();
    const details = item.getByTestId("queue-details");
    await expect(details.getByTestId("play-name")).not.toBeEmpty();
    await expect(details.getByTestId("queue-item-context")).toBeVisible();
    const playName = (await details.getByTestId("play-name").innerText()).trim();

    // Log a call from the item: two clicks to the dialog's form, Call preselected.
    await details.getByRole("button", { name: /^Log work/ }).click();
    const dialog = page.getByRole("dialog", { name: `Log work · ${name}` });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole("radio", { name: "Call" })).toBeChecked();
    const contacts = dialog.getByRole("checkbox");
    if ((await contacts.count()) > 0) await contacts.first().check();
    await dialog.getByLabel("Notes").fill("Walked through the open tickets and the renewal.");
    const logged = page.waitForResponse(
      (r) => r.request().method() === "POST" && /\/touchpoints$/.test(r.url()),
    );
    await dialog.getByRole("button", { name: "Log call" }).click();
    expect((await logged).status()).toBe(201);
    await expect(details.getByTestId("touch-logged")).toContainText("Call logged");
    await page.screenshot({ path: shot("csm-day-logged.png"), fullPage: true });

    // The play: start it, or it is running already and shows how far it is.
    const start = details.getByRole("button", { name: "Start play" });
    if (await start.isVisible()) {
      await start.click();
      await expect(details.getByTestId("play-started")).toBeVisible();
    } else {
      await expect(details.getByTestId("play-progress")).toContainText(/\d+ of \d+ tasks? done/);
    }
    const tasks = details.getByRole("list", { name: `Tasks of ${playName}` });
    await expect(tasks).toBeVisible();
    // Complete one open task (each names the person or thing it is about). When an earlier run
    // of this journey (same data directory) did them all, open the first one again.
    const open = tasks
      .getByRole("listitem")
      .filter({ has: page.getByRole("checkbox", { checked: false }) });
    if ((await open.count()) === 0) {
      const reopened = page.waitForResponse((r) => r.request().method() === "PATCH");
      await tasks.getByRole("checkbox").first().uncheck();
      await reopened;
    }
    const row = open.first();
    const taskTitle = (await row.locator(".task-title").innerText()).trim();
    expect(taskTitle.length).toBeGreaterThan(10);
    const box = tasks
      .getByRole("listitem")
      .filter({ hasText: taskTitle })
      .first()
      .getByRole("checkbox");
    const patched = page.waitForResponse(
      (r) => r.request().method() === "PATCH" && /\/api\/v1\/tasks\/[^/]+$/.test(r.url()),
    );
    await box.check();
    expect((await patched).status()).toBe(200);
    await expect(box).toBeChecked();

    // Copy the email: recipient, subject and body.
    await details.getByRole("button", { name: "Copy email" }).click();
    await expect(details.getByText("Copied")).toBeVisible();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(/^To: .+\nSubject: .+\n\n/);
    await expect(details.getByTestId("mailto")).toHaveAttribute("href", /^mailto:/);

    // The account: last touch is today and health is there, with the call in the timeline.
    await page.goto("/book");
    await page.getByRole("link", { name, exact: true }).first().click();
    await expect(page).toHaveTitle(`${name} · Tempo`);
    await expect(page.getByTestId("fact-last-touch")).toHaveText("today", { timeout: 20_000 });
    await page.screenshot({ path: shot("csm-day-account.png"), fullPage: true });
  });
});
