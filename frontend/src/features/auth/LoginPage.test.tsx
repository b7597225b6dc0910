import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { TOKEN_KEY } from "../../api/token";
import { demoMeta, demoUser, json, renderApp, requestAt, stubApi } from "../../test/utils";
import { DEVICE_TOKENS_KEY, getDeviceToken, setDeviceToken } from "./deviceToken";

async function fillAndSubmit(email = "demo@tempo.test", password = "wrong-password") {
  const user = userEvent.setup();
  await user.type(await screen.findByLabelText("Email"), email);
  await user.type(screen.getByLabelText("Password"), password);
  await user.click(screen.getByRole("button", { name: "Sign in" }));
}

describe("Login", () => {
  it("redirects unauthenticated visitors to /login, remembering the target", async () => {
    stubApi({});
    const { router } = renderApp("/accounts/123");
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/login");
    expect(router.state.location.search).toEqual({ redirect: "/accounts/123" });
  });

  it("shows the server's problem detail on 401 and stays on the page", async () => {
    const fetchSpy = stubApi({
      "POST /api/v1/auth/login": () =>
        json(
          {
            type: "about:blank",
            title: "Unauthorized",
            status: 401,
            detail: "Invalid email or password.",
          },
          401,
        ),
    });
    const { router } = renderApp("/login");
    await fillAndSubmit();

    expect(await screen.findByRole("alert")).toHaveTextContent("Invalid email or password.");
    expect(router.state.location.pathname).toBe("/login");
    expect(screen.getByRole("button", { name: "Sign in" })).toBeEnabled();
    expect(window.localStorage.getItem(TOKEN_KEY)).toBeNull();

    const request = requestAt(fetchSpy);
    expect(await request.json()).toEqual({ email: "demo@tempo.test", password: "wrong-password" });
  });

  it("explains rate limiting when the server sends no detail", async () => {
    stubApi({
      "POST /api/v1/auth/login": () => json({ title: "Too Many Requests", status: 429 }, 429),
    });
    renderApp("/login");
    await fillAndSubmit();
    expect(await screen.findByRole("alert")).toHaveTextContent("Too Many Requests");
  });

  it("disables the button while submitting, then stores the token and goes to the target", async () => {
    let release: (r: Response) => void = () => {};
    stubApi({
      "POST /api/v1/auth/login": () =>
        new Promise<Response>((resolve) => {
          release = resolve;
        }),
      "GET /api/v1/auth/me": () => json(demoUser),
      "GET /api/v1/meta": () => json(demoMeta),
      "GET /api/v1/accounts": () => json({ items: [], total: 0, page: 1, page_size: 25 }),
    });
    const { router } = renderApp("/login?redirect=%2Fbook%3Fpage_size%3D25");
    await fillAndSubmit("demo@tempo.test", "tempo-demo");

    const busy = await screen.findByRole("button", { name: "Signing in…" });
    expect(busy).toBeDisabled();

    release(
      json({
        token: "tok-123",
        expires_at: "2030-01-01T00:00:00Z",
        user: demoUser,
        device_token: "tpd_this-browser",
      }),
    );

    await waitFor(() => expect(router.state.location.pathname).toBe("/book"));
    expect(router.state.location.href).toBe("/book?page_size=25");
    expect(window.localStorage.getItem(TOKEN_KEY)).toBe("tok-123");
    // The device token is kept for this email, surviving sign-out, for the next sign-in.
    expect(JSON.parse(window.localStorage.getItem(DEVICE_TOKENS_KEY) ?? "{}")).toEqual({
      "demo@tempo.test": "tpd_this-browser",
    });
    expect(await screen.findByRole("heading", { name: "Book" })).toBeInTheDocument();
  });

  it("sends the device token kept from an earlier sign-in with that email", async () => {
    setDeviceToken("Demo@Tempo.test", "tpd_known");
    setDeviceToken("someone-else@tempo.test", "tpd_theirs");
    const fetchSpy = stubApi({
      "POST /api/v1/auth/login": () =>
        json({ title: "Too many requests", status: 429, detail: "Try again in 8 seconds" }, 429),
    });
    renderApp("/login");
    await fillAndSubmit("demo@tempo.test", "right-password");

    expect(await screen.findByRole("alert")).toHaveTextContent("Try again in 8 seconds");
    expect(await requestAt(fetchSpy).json()).toEqual({
      email: "demo@tempo.test",
      password: "right-password",
      device_token: "tpd_known",
    });
    // A refused sign-in keeps the token it had.
    expect(getDeviceToken("demo@tempo.test")).toBe("tpd_known");
  });
});
