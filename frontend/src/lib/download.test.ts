import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../api/errors";
import { TOKEN_KEY } from "../api/token";
import { json, requestAt, stubApi } from "../test/utils";
import { attachmentName, downloadFile } from "./download";

describe("downloadFile", () => {
  let saved: { href: string; download: string; attached: boolean }[];
  let made: Blob[];
  let revoked: string[];
  const { createObjectURL, revokeObjectURL } = URL;

  beforeEach(() => {
    window.localStorage.setItem(TOKEN_KEY, "test-token");
    saved = [];
    made = [];
    revoked = [];
    URL.createObjectURL = (blob: Blob) => {
      made.push(blob);
      return `blob:file-${made.length}`;
    };
    URL.revokeObjectURL = (url: string) => {
      revoked.push(url);
    };
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      saved.push({
        href: this.getAttribute("href") ?? "",
        download: this.download,
        attached: document.body.contains(this),
      });
    });
    vi.useFakeTimers({ toFake: ["setTimeout"] });
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
    URL.createObjectURL = createObjectURL;
    URL.revokeObjectURL = revokeObjectURL;
  });

  it("fetches with the bearer token and saves the file under the server's name", async () => {
    const spy = stubApi({
      "GET /api/v1/hygiene/checks/missing%3Asegment/accounts": () =>
        new Response("name,arr\r\nAcme,1200\r\n", {
          headers: {
            "Content-Type": "text/csv",
            "Content-Disposition": 'attachment; filename="tempo-hygiene-2026-01-15.csv"',
          },
        }),
    });
    await downloadFile(
      "/api/v1/hygiene/checks/{key}/accounts",
      { path: { key: "missing:segment" }, query: { scope: "team", format: "csv" } },
      "fallback.csv",
    );

    const request = requestAt(spy);
    expect(request.headers.get("Authorization")).toBe("Bearer test-token");
    expect(Object.fromEntries(new URL(request.url).searchParams)).toEqual({
      scope: "team",
      format: "csv",
    });
    expect(saved).toEqual([
      { href: "blob:file-1", download: "tempo-hygiene-2026-01-15.csv", attached: true },
    ]);
    expect(await made[0]?.text()).toBe("name,arr\r\nAcme,1200\r\n");
    expect(document.querySelector("a[download]")).toBeNull();

    // The object URL is let go a moment later, once the browser has started the download.
    expect(revoked).toEqual([]);
    vi.advanceTimersByTime(1000);
    expect(revoked).toEqual(["blob:file-1"]);
  });

  it("uses the fallback name when the server gives none", async () => {
    stubApi({
      "GET /api/v1/metrics/board-pack.pdf": () =>
        new Response("%PDF-1.4", { headers: { "Content-Type": "application/pdf" } }),
    });
    await downloadFile("/api/v1/metrics/board-pack.pdf", {}, "tempo-board-pack.pdf");
    expect(saved).toEqual([
      { href: "blob:file-1", download: "tempo-board-pack.pdf", attached: true },
    ]);
  });

  it("throws the API's problem and saves nothing", async () => {
    stubApi({
      "GET /api/v1/accounts/export": () =>
        json(
          {
            type: "about:blank",
            title: "Unprocessable Content",
            status: 422,
            detail: "format: choose csv or xlsx",
          },
          422,
        ),
    });
    const failure = downloadFile(
      "/api/v1/accounts/export",
      { query: { format: "csv" } },
      "tempo-book.csv",
    );
    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({
      status: 422,
      message: "format: choose csv or xlsx",
    });
    expect(saved).toEqual([]);
    expect(made).toEqual([]);
  });
});

describe("attachmentName", () => {
  it("reads the quoted file name of a Content-Disposition header", () => {
    expect(attachmentName('attachment; filename="renewals-2026-01-15.ndjson"')).toBe(
      "renewals-2026-01-15.ndjson",
    );
    expect(attachmentName("attachment")).toBeNull();
    expect(attachmentName(null)).toBeNull();
  });
});
