import { afterEach, describe, expect, it, vi } from "vitest";
import { json, requestAt, stubApi } from "../test/utils";
import { api, setUnauthorizedHandler } from "./client";
import { ApiError, errorMessage, unwrap } from "./errors";
import { TOKEN_KEY } from "./token";

describe("api client", () => {
  let restore: () => void = () => {};
  afterEach(() => restore());

  it("sends the stored bearer token", async () => {
    window.localStorage.setItem(TOKEN_KEY, "abc");
    const spy = stubApi({
      "GET /api/v1/meta": () =>
        json({ version: "1", reporting_currency: "EUR", today: "2026-01-01" }),
    });
    const meta = await unwrap(api.GET("/api/v1/meta"));
    expect(meta.reporting_currency).toBe("EUR");
    expect(requestAt(spy).headers.get("Authorization")).toBe("Bearer abc");
  });

  it("sends no Authorization header without a token", async () => {
    const spy = stubApi({ "GET /api/v1/meta": () => json({}) });
    await api.GET("/api/v1/meta");
    expect(requestAt(spy).headers.has("Authorization")).toBe(false);
  });

  it("clears the token and calls the unauthorized handler on 401", async () => {
    window.localStorage.setItem(TOKEN_KEY, "expired");
    const onUnauthorized = vi.fn();
    restore = setUnauthorizedHandler(onUnauthorized);
    stubApi({ "GET /api/v1/auth/me": () => json({ title: "Unauthorized", status: 401 }, 401) });

    await expect(unwrap(api.GET("/api/v1/auth/me"))).rejects.toBeInstanceOf(ApiError);
    expect(window.localStorage.getItem(TOKEN_KEY)).toBeNull();
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it("treats a 401 from login as bad credentials, not an expired session", async () => {
    const onUnauthorized = vi.fn();
    restore = setUnauthorizedHandler(onUnauthorized);
    stubApi({
      "POST /api/v1/auth/login": () =>
        json({ title: "Unauthorized", status: 401, detail: "Nope" }, 401),
    });
    const error = await unwrap(
      api.POST("/api/v1/auth/login", { body: { email: "a@b.c", password: "x" } }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toBe("Nope");
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it("turns FastAPI validation errors into a readable message", async () => {
    stubApi({
      "GET /api/v1/accounts": () =>
        json(
          {
            detail: [
              { loc: ["query", "page_size"], msg: "Input should be less than or equal to 200" },
            ],
          },
          422,
        ),
    });
    const error = await unwrap(
      api.GET("/api/v1/accounts", { params: { query: { page_size: 500 } } }),
    ).catch((e: unknown) => e);
    expect((error as ApiError).status).toBe(422);
    expect((error as ApiError).message).toBe(
      "page_size: Input should be less than or equal to 200",
    );
  });

  it("only blames the network for fetch failures", () => {
    expect(errorMessage(new TypeError("Failed to fetch"))).toMatch(/Can't reach the Tempo server/);
    expect(errorMessage(new TypeError("x.map is not a function"))).toBe("x.map is not a function");
  });
});
