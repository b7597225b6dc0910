import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, type TestInfo, test } from "@playwright/test";

const email = process.env.TEMPO_E2E_EMAIL || "demo@tempo.test";
const password = process.env.TEMPO_E2E_PASSWORD || "tempo-demo";
// A CSM with a book of their own (printed by `tempo up`); without one, the admin.
const csmEmail = process.env.TEMPO_E2E_CSM_EMAIL || "";

/** WCAG 2.0, 2.1 and 2.2, levels A and AA. */
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];
/** What fails the test; moderate and minor findings are attached to the report only. */
const BLOCKING = new Set(["serious", "critical"]);

async function signIn(page: Page) {
  await page.goto("/login");
  await expect(page).toHaveTitle("Sign in · Tempo");
  await page.getByLabel("Email").fill(csmEmail || email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/book(\?|$)/);
}

/** Wait until nothing on the page says it is still loading. */
async function settled(page: Page) {
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0, { timeout: 20_000 });
}

type AxeResults = Awaited<ReturnType<AxeBuilder["analyze"]>>;
type Violation = AxeResults["violations"][number];

function describeViolations(view: string, violations: Violation[]): string {
  const lines = violations.flatMap((v) => [
    `${v.id} (${v.impact}): ${v.help} — ${v.helpUrl}`,
    ...v.nodes.map((node) => `    at ${node.target.join(" ")}`),
  ]);
  return `${violations.length} serious/critical axe violation(s) on ${view}:\n${lines.join("\n")}`;
}

/** Run axe on the whole page; fail on serious and critical violations, attach everything. */
async function expectNoSeriousViolations(page: Page, view: string, testInfo: TestInfo) {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  await testInfo.attach(`axe-${view}.json`, {
    body: JSON.stringify(
      results.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.map((node) => node.target.join(" ")),
      })),
      null,
      2,
    ),
    contentType: "application/json",
  });
  const blocking = results.violations.filter((v) => BLOCKING.has(v.impact ?? ""));
  // Compared as "rule (impact)" lines: the message lists every element, the diff stays short.
  expect(
    blocking.map((v) => `${v.id} (${v.impact})`),
    describeViolations(view, blocking),
  ).toEqual([]);
}

/**
 * Load `path` afresh (focus at the top of the document): the first Tab lands on the skip link,
 * shown while focused; Enter moves focus to the main region and the next Tab stays inside it.
 */
async function expectSkipLinkFirst(page: Page, path: string) {
  await page.goto(path);
  await expect(page.getByRole("main")).toBeVisible();
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).not.toBeInViewport();

  await page.keyboard.press("Tab");
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();

  await page.keyboard.press("Enter");
  const main = page.getByRole("main");
  await expect(main).toBeFocused();
  await expect(main).toHaveAttribute("id", "main-content");
  await expect(skip).not.toBeInViewport();

  await page.keyboard.press("Tab");
  await expect
    .poll(() =>
      main.evaluate((el) => el !== document.activeElement && el.contains(document.activeElement)),
    )
    .toBe(true);
}

test.describe("accessibility of the shell and the main views", () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page);
  });

  test("Today", async ({ page }, testInfo) => {
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Today", exact: true })
      .click();
    await expect(page).toHaveURL(/\/today(\?|$)/);
    await expect(page).toHaveTitle("Today · Tempo");
    await expect(page.getByRole("heading", { name: "Today", level: 1 })).toBeVisible();
    await expect(
      page.getByTestId("queue-item").first().or(page.getByText("Nothing needs you today")),
    ).toBeVisible();
    await settled(page);
    await expectNoSeriousViolations(page, "today", testInfo);

    await expectSkipLinkFirst(page, "/today");
    await expect(page).toHaveTitle("Today · Tempo");
  });

  test("Book", async ({ page }, testInfo) => {
    await expect(page).toHaveTitle("Book · Tempo");
    await expect(page.getByRole("heading", { name: "Book", level: 1 })).toBeVisible();
    await expect(page.getByTestId("account-row").first()).toBeVisible();
    await settled(page);
    await expectNoSeriousViolations(page, "book", testInfo);

    await expectSkipLinkFirst(page, "/book");
    await expect(page).toHaveTitle("Book · Tempo");
  });

  test("the first account of the Book", async ({ page }, testInfo) => {
    const firstLink = page.getByTestId("account-row").first().getByRole("link").first();
    await expect(firstLink).toBeVisible();
    const name = (await firstLink.textContent())?.trim() ?? "";
    expect(name).not.toBe("");
    await firstLink.click();
    await expect(page).toHaveURL(/\/accounts\/[^/?]+/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
    await expect(page.getByRole("heading", { name: "Contacts" })).toBeVisible();
    await settled(page);
    await expectNoSeriousViolations(page, "account", testInfo);

    const url = new URL(page.url());
    await expectSkipLinkFirst(page, url.pathname + url.search);
    // The account page names itself (useDocumentTitle) once its account has loaded.
    await expect(page).toHaveTitle(`${name} · Tempo`);
  });

  test("the main navigation shows Import only to those who may import", async ({ page }) => {
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Sources", exact: true })).toBeVisible();
    const rolePill = page.getByRole("banner").locator(".pill");
    await expect(rolePill).toBeVisible();
    const role = (await rolePill.textContent())?.trim();
    // The server's INGEST permission (backend/app/auth/permissions.py): admins only.
    await expect(nav.getByRole("link", { name: "Import", exact: true })).toHaveCount(
      role === "Admin" ? 1 : 0,
    );
  });
});
