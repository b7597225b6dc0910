import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { type APIRequestContext, expect, type Page, type TestInfo, test } from "@playwright/test";

/**
 * Embeddable tiles, seen from another site: a tiny host server on its own port serves a page
 * that loads <tempo-tile> from Tempo. Origins are compared exactly, so everything is
 * http://127.0.0.1:<port> (never localhost).
 */

const tempo = (process.env.TEMPO_E2E_URL || "http://127.0.0.1:8000").replace(/\/+$/, "");
const email = process.env.TEMPO_E2E_EMAIL || "demo@tempo.test";
const password = process.env.TEMPO_E2E_PASSWORD || "tempo-demo";
const EXPIRED_TEXT = "This view has expired — the page that shows it needs to refresh it.";

type Issued = { token: string; expires_at: string; configuration_id: string };
type HostEvent = { type: string; detail: Record<string, unknown>; at: number };
type Host = {
  origin: string;
  serve: (path: string, html: string) => void;
  handle: (path: string, answer: () => Promise<string>) => void;
  close: () => Promise<void>;
};

/** A host site on a free local port: pages it is given, and JSON endpoints of its own server. */
async function startHost(): Promise<Host> {
  const pages = new Map<string, string>();
  const endpoints = new Map<string, () => Promise<string>>();
  const server: Server = createServer((req, res) => {
    const path = (req.url || "/").split("?")[0];
    const endpoint = endpoints.get(path);
    if (endpoint) {
      endpoint().then(
        (body) => res.writeHead(200, { "Content-Type": "application/json" }).end(body),
        (error) => res.writeHead(500, { "Content-Type": "text/plain" }).end(String(error)),
      );
      return;
    }
    const page = pages.get(path);
    if (page === undefined) {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
    res.end(page);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    serve: (path, html) => pages.set(path, html),
    handle: (path, answer) => endpoints.set(path, answer),
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

const fixtures = { component: "", iframe: "" };

function fill(template: string, values: Record<string, string>): string {
  return Object.entries(values).reduce(
    (html, [name, value]) => html.replaceAll(`{{${name}}}`, value),
    template,
  );
}

const hostPage = (values: Record<string, string>) => fill(fixtures.component, values);

let api: APIRequestContext;
let adminToken = "";
let accountId = "";
let host: Host;
let stranger: Host;

async function issue(origins: string[], ttlSeconds: number): Promise<Issued> {
  const response = await api.post("/api/v1/embed-tokens", {
    headers: { Authorization: `Bearer ${adminToken}` },
    data: { tiles: ["health"], account_ids: [accountId], origins, ttl_seconds: ttlSeconds },
  });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as Issued;
}

async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = resolve(testInfo.project.testDir, "..", "e2e-results", name);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

const events = (page: Page) =>
  page.evaluate(() => (window as unknown as { tempoEvents: HostEvent[] }).tempoEvents);

const iframeHeight = (page: Page) =>
  page.locator("tempo-tile iframe").evaluate((f) => Math.round(f.getBoundingClientRect().height));

test.beforeAll(async ({ playwright }, testInfo) => {
  const read = (name: string) =>
    readFileSync(resolve(testInfo.project.testDir, "fixtures", name), "utf8");
  fixtures.component = read("embed-host.html");
  fixtures.iframe = read("embed-host-iframe.html");
  api = await playwright.request.newContext({ baseURL: tempo });
  const login = await api.post("/api/v1/auth/login", { data: { email, password } });
  expect(login.ok(), await login.text()).toBe(true);
  adminToken = (await login.json()).token;
  const accounts = await api.get("/api/v1/accounts?page_size=1", {
    headers: { Authorization: `Bearer ${adminToken}` },
  });
  expect(accounts.ok()).toBe(true);
  accountId = (await accounts.json()).items[0].id;
  host = await startHost();
  stranger = await startHost();
});

test.afterAll(async () => {
  await host?.close();
  await stranger?.close();
  await api?.dispose();
});

test("a host page shows the health tile, sized by tempo:resize", async ({ page }, testInfo) => {
  const issued = await issue([host.origin], 600);
  host.serve(
    "/portal",
    hostPage({
      TEMPO: tempo,
      HOST: host.origin,
      TOKEN: issued.token,
      CONFIG: issued.configuration_id,
      ACCOUNT: accountId,
      THEME: "light",
    }),
  );
  await page.goto(`${host.origin}/portal`);

  const frame = page.frameLocator("tempo-tile iframe");
  await expect(frame.locator("html")).toHaveAttribute("data-state", "ok");
  await expect(frame.locator(".tile__title")).toHaveText("Health");
  await expect(frame.locator(".tile__value")).toHaveText(/\d/);
  await expect(frame.locator(".tile__reason")).not.toBeEmpty();
  await expect(frame.locator(".tile__spark polyline")).toBeVisible();
  // The token went in by the handshake (set after the element was on the page), never in a URL.
  const src = await page.locator("tempo-tile iframe").getAttribute("src");
  expect(src).not.toContain("token=");
  await expect.poll(async () => (await events(page)).map((e) => e.type)).toContain("tempo-ready");

  // The iframe is as tall as the tile inside it.
  const contentHeight = () =>
    frame.locator("html").evaluate((h) => Math.round(h.getBoundingClientRect().height));
  await expect
    .poll(async () => Math.abs((await iframeHeight(page)) - (await contentHeight())))
    .toBeLessThanOrEqual(1);
  const wide = await iframeHeight(page);
  expect(wide).toBeGreaterThan(60);
  await shot(page, testInfo, "embed-host.png");

  // Narrower: the sparkline and the text wrap, the iframe grows; wider again, it shrinks back.
  await page.locator("#slot").evaluate((slot: HTMLElement) => {
    slot.style.width = "200px";
  });
  await expect.poll(() => iframeHeight(page)).toBeGreaterThan(wide + 20);
  const narrow = await iframeHeight(page);
  await expect.poll(async () => Math.abs(narrow - (await contentHeight()))).toBeLessThanOrEqual(1);
  await shot(page, testInfo, "embed-host-narrow.png");
  await page.locator("#slot").evaluate((slot: HTMLElement) => {
    slot.style.width = "420px";
  });
  await expect.poll(() => iframeHeight(page)).toBe(wide);

  // A theme attribute rebuilds the frame (the token now rides in its fragment): dark.
  await page.locator("#card").evaluate((card) => card.classList.add("dark"));
  await page.locator("tempo-tile").evaluate((tile) => tile.setAttribute("theme", "dark"));
  await expect(frame.locator("html")).toHaveAttribute("data-theme", "dark");
  await expect(frame.locator("html")).toHaveAttribute("data-state", "ok");
  expect(await page.locator("tempo-tile iframe").getAttribute("src")).toMatch(
    /theme=dark.*#token=/,
  );
  // ...and the tile took it out of its address at once.
  await expect.poll(() => frame.locator("html").evaluate(() => location.hash)).toBe("");
  const background = await frame
    .locator(".tile")
    .evaluate((tile) => getComputedStyle(tile).backgroundColor);
  expect(background).toBe("rgb(17, 24, 39)");
  await expect.poll(() => iframeHeight(page)).toBe(wide);
  await shot(page, testInfo, "embed-host-dark.png");

  // The deep link opens the account in Tempo in a new tab (a new browsing context: no opener)
  // and tells the host where the reader went.
  const link = frame.locator(".tile__link");
  const href = await link.getAttribute("href");
  expect(href).toContain(`/accounts/${accountId}`);
  expect(await link.getAttribute("target")).toBe("_blank");
  expect(await link.getAttribute("rel")).toContain("noopener");
  const popup = page.waitForEvent("popup");
  await link.click();
  await (await popup).close();
  await expect
    .poll(async () => (await events(page)).find((e) => e.type === "tempo-navigate")?.detail.url)
    .toBe(href);
});

test("a host whose origin the token does not name gets no tile", async ({ page }, testInfo) => {
  const issued = await issue([host.origin], 600);
  const values = {
    TEMPO: tempo,
    HOST: stranger.origin,
    TOKEN: issued.token,
    CONFIG: issued.configuration_id,
    ACCOUNT: accountId,
    THEME: "light",
  };
  stranger.serve("/portal", hostPage(values));

  // Tempo answers the shell with frame-ancestors naming only the token's origin...
  const shell = await api.get(
    `/embed/tiles/health/${accountId}?config=${issued.configuration_id}&format=html`,
  );
  expect(shell.ok()).toBe(true);
  expect(shell.headers()["content-security-policy"]).toContain(`frame-ancestors ${host.origin}`);
  expect(shell.headers()["content-security-policy"]).not.toContain(stranger.origin);

  // ...so the browser refuses to show it inside the stranger's page.
  const framed = page.waitForResponse((r) => r.url().startsWith(`${tempo}/embed/tiles/health/`));
  await page.goto(`${stranger.origin}/portal`);
  await framed;
  await page.waitForTimeout(1500);
  const frame = page.frameLocator("tempo-tile iframe");
  await expect(frame.locator(".tile")).toHaveCount(0);
  await expect(frame.locator("#tempo-root")).toHaveCount(0);
  expect(await events(page)).toEqual([]);
  await shot(page, testInfo, "embed-wrong-origin.png");

  // Were the header lost on the way, the tile's own script still refuses the stranger and
  // posts it nothing.
  await page.route(`${tempo}/embed/tiles/**`, async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers["content-security-policy"];
    await route.fulfill({ response, headers });
  });
  await page.goto(`${stranger.origin}/portal`);
  await expect(frame.locator("html")).toHaveAttribute("data-state", "forbidden");
  await expect(frame.getByText("This tile is not allowed on this site.")).toBeVisible();
  await expect(frame.getByText(stranger.origin)).toBeVisible();
  await expect(frame.locator(".tile")).toHaveCount(0);
  await page.waitForTimeout(500);
  expect(await events(page)).toEqual([]);
  await shot(page, testInfo, "embed-forbidden-origin.png");
  await page.unroute(`${tempo}/embed/tiles/**`);
});

test("a short-lived token warns the host, then shows the expired state", async ({
  page,
}, testInfo) => {
  const issued = await issue([host.origin], 3);
  host.serve(
    "/short",
    hostPage({
      TEMPO: tempo,
      HOST: host.origin,
      TOKEN: issued.token,
      CONFIG: issued.configuration_id,
      ACCOUNT: accountId,
      THEME: "auto",
    }),
  );
  await page.goto(`${host.origin}/short`);
  const frame = page.frameLocator("tempo-tile iframe");

  // Less than a minute is left from the start: the warning comes at once.
  await expect
    .poll(async () => (await events(page)).map((e) => e.type), { timeout: 5_000 })
    .toContain("tempo-token-expiring");
  const warning = (await events(page)).find((e) => e.type === "tempo-token-expiring");
  expect(Date.parse(String(warning?.detail.expiresAt))).toBe(Date.parse(issued.expires_at));

  await expect(frame.locator("html")).toHaveAttribute("data-state", "expired", { timeout: 8_000 });
  const expiredAt = Date.now();
  await expect(frame.getByText(EXPIRED_TEXT)).toBeVisible();
  await expect(frame.locator(".tile")).toHaveCount(0);
  expect(warning?.at).toBeLessThan(expiredAt);
  expect(warning?.at).toBeLessThan(Date.parse(issued.expires_at));
  await shot(page, testInfo, "embed-expired.png");

  // The refresh flow: the host asks its server for a new token and hands it over.
  const fresh = await issue([host.origin], 600);
  await page.locator("tempo-tile").evaluate((tile, token) => {
    (tile as HTMLElement & { token: string }).token = token;
  }, fresh.token);
  await expect(frame.locator("html")).toHaveAttribute("data-state", "ok");
  await expect(frame.locator(".tile__title")).toHaveText("Health");
  await shot(page, testInfo, "embed-refreshed.png");

  // theme="auto" follows the reader's colour scheme.
  await page.emulateMedia({ colorScheme: "dark" });
  await expect
    .poll(() => frame.locator(".tile").evaluate((tile) => getComputedStyle(tile).backgroundColor))
    .toBe("rgb(17, 24, 39)");
  await shot(page, testInfo, "embed-auto-dark.png");
});

test("a bare iframe: the handshake, tempo:resize, and tokens refreshed before they expire", async ({
  page,
}, testInfo) => {
  // The host's own server issues tokens (here living 6 s: refreshed over and over).
  const first = await issue([host.origin], 6);
  let issuedByHost = 0;
  host.handle("/tempo-token", async () => {
    issuedByHost += 1;
    return JSON.stringify({ token: (await issue([host.origin], 6)).token });
  });
  host.serve(
    "/bare",
    fill(fixtures.iframe, { TEMPO: tempo, ACCOUNT: accountId, CONFIG: first.configuration_id }),
  );
  await page.goto(`${host.origin}/bare`);

  const frame = page.frameLocator("#tempo-health");
  await expect(frame.locator("html")).toHaveAttribute("data-state", "ok");
  await expect(frame.locator(".tile__title")).toHaveText("Health");
  const messages = () =>
    page.evaluate(
      () => (window as unknown as { tempoMessages: Record<string, unknown>[] }).tempoMessages,
    );
  const seen = await messages();
  expect(seen[0]).toMatchObject({ type: "tempo:ready", needsToken: true });
  expect(seen.find((m) => m.type === "tempo:ready" && m.needsToken === false)).toMatchObject({
    state: "ok",
  });

  // The host set the iframe's height from tempo:resize: it fits the tile exactly.
  const box = page.locator("#tempo-health");
  await expect
    .poll(async () => {
      const outer = await box.evaluate((f) => Math.round(f.getBoundingClientRect().height));
      const inner = await frame
        .locator("html")
        .evaluate((h) => Math.round(h.getBoundingClientRect().height));
      return Math.abs(outer - inner);
    })
    .toBeLessThanOrEqual(1);
  expect(await box.evaluate((f) => Math.round(f.getBoundingClientRect().height))).not.toBe(140);

  // Every state the tile goes through from now on.
  await frame.locator("html").evaluate((html) => {
    const states: string[] = [];
    (window as unknown as { states: string[] }).states = states;
    new MutationObserver(() => states.push(html.dataset.state || "")).observe(html, {
      attributes: true,
      attributeFilter: ["data-state"],
    });
  });
  // Well past the first token's life: each warning brought a new token, the tile never expired,
  // and warnings came a few seconds apart, not in a loop.
  await page.waitForTimeout(9_000);
  await expect(frame.locator("html")).toHaveAttribute("data-state", "ok");
  const states = await frame
    .locator("html")
    .evaluate(() => (window as unknown as { states: string[] }).states);
  expect(states).not.toContain("expired");
  const warnings = (await messages()).filter((m) => m.type === "tempo:token-expiring");
  expect(warnings.length).toBeGreaterThanOrEqual(2);
  expect(warnings.length).toBeLessThanOrEqual(6);
  expect(issuedByHost).toBeGreaterThanOrEqual(3);
  await shot(page, testInfo, "embed-bare-iframe.png");
});
