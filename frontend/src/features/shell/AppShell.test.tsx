import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { TOKEN_KEY } from "../../api/token";
import { resetDocumentTitles } from "../../lib/useDocumentTitle";
import { demoMeta, demoUser, json, renderApp, stubApi } from "../../test/utils";
import { ANNOUNCE_DELAY_MS } from "./RootLayout";

function stubShell(role = demoUser.role) {
  return stubApi({
    "GET /api/v1/auth/me": () => json({ ...demoUser, role }),
    "GET /api/v1/meta": () => json(demoMeta),
  });
}

describe("AppShell", () => {
  beforeEach(() => {
    window.localStorage.setItem(TOKEN_KEY, "test-token");
  });
  afterEach(() => {
    vi.useRealTimers();
    resetDocumentTitles();
  });

  it("makes the skip link the first tab stop, and moves focus into main with it", async () => {
    stubShell();
    const user = userEvent.setup();
    renderApp("/admin");
    await screen.findByRole("heading", { name: "Admin", level: 1 });

    const main = screen.getByRole("main");
    expect(main).toHaveAttribute("id", "main-content");
    expect(main).toHaveAttribute("tabindex", "-1");

    await user.tab();
    const skip = screen.getByRole("link", { name: "Skip to content" });
    expect(skip).toHaveFocus();
    expect(skip).toHaveAttribute("href", "#main-content");

    await user.keyboard("{Enter}");
    expect(main).toHaveFocus();
  });

  it("hides Import from roles that may not import", async () => {
    stubShell("csm");
    renderApp("/admin");
    const nav = await screen.findByRole("navigation", { name: "Main" });
    await screen.findByText("demo@tempo.test");
    expect(within(nav).getByRole("link", { name: "Sources" })).toBeInTheDocument();
    expect(within(nav).queryByRole("link", { name: "Import" })).not.toBeInTheDocument();
    expect(within(nav).getByRole("group", { name: "Operations" })).toBeInTheDocument();
  });

  it("shows Import to admins", async () => {
    stubShell("admin");
    renderApp("/admin");
    const nav = await screen.findByRole("navigation", { name: "Main" });
    expect(await within(nav).findByRole("link", { name: "Import" })).toHaveAttribute(
      "href",
      "/import",
    );
  });

  it("titles the document after the route, and announces client-side navigations", async () => {
    stubShell();
    const user = userEvent.setup();
    renderApp("/admin");
    await screen.findByRole("heading", { name: "Admin", level: 1 });
    expect(document.title).toBe("Admin · Tempo");
    const announcer = screen.getByTestId("route-announcer");
    expect(announcer).toHaveAttribute("role", "status");
    // Not on the first page: the browser reads its title already.
    await act(() => new Promise((done) => setTimeout(done, ANNOUNCE_DELAY_MS + 100)));
    expect(announcer).toBeEmptyDOMElement();

    await user.click(screen.getByRole("link", { name: "Settings" }));
    // (the lazy page's first import can take a while under the test transform)
    await waitFor(() => expect(document.title).toBe("Settings · Tempo"), { timeout: 5000 });
    await waitFor(() => expect(announcer).toHaveTextContent("Navigated to Settings"), {
      timeout: ANNOUNCE_DELAY_MS + 1000,
    });
  });

  it("titles the sign-in and not-found pages", async () => {
    window.localStorage.removeItem(TOKEN_KEY);
    stubShell();
    const { router } = renderApp("/login");
    await screen.findByRole("heading", { name: "Sign in" });
    expect(document.title).toBe("Sign in · Tempo");

    await act(() => router.navigate({ to: "/no/such/page" as "/" }));
    await screen.findByRole("heading", { name: "Page not found", level: 1 });
    expect(screen.getByRole("main")).toBeInTheDocument();
    expect(document.title).toBe("Page not found · Tempo");
  });
});
