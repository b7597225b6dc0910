import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { TOKEN_KEY } from "../../api/token";
import { json, stubApi } from "../../test/utils";
import { BoardPackButton } from "./BoardPackButton";

describe("BoardPackButton", () => {
  let saved: { href: string; download: string }[];

  beforeEach(() => {
    window.localStorage.setItem(TOKEN_KEY, "test-token");
    saved = [];
    vi.stubGlobal(
      "URL",
      Object.assign(URL, { createObjectURL: () => "blob:pack", revokeObjectURL: () => {} }),
    );
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      saved.push({ href: this.getAttribute("href") ?? "", download: this.download });
    });
  });

  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it("downloads the PDF with the bearer token, showing progress while it renders", async () => {
    const user = userEvent.setup();
    let finish: (r: Response) => void = () => {};
    const requests: Request[] = [];
    stubApi({
      "GET /api/v1/metrics/board-pack.pdf": (request) => {
        requests.push(request);
        return new Promise<Response>((resolve) => {
          finish = resolve;
        });
      },
    });
    render(<BoardPackButton scope="team" />);
    await user.click(screen.getByRole("button", { name: "Board pack (PDF)" }));
    const busy = await screen.findByRole("button", { name: "Preparing the board pack…" });
    expect(busy).toBeDisabled();
    expect(
      screen.getByRole("progressbar", { name: "Rendering the board pack" }),
    ).toBeInTheDocument();
    const [request] = requests;
    expect(request?.headers.get("Authorization")).toBe("Bearer test-token");
    expect(new URL(request?.url ?? "").searchParams.get("scope")).toBe("team");

    finish(
      new Response("%PDF-1.4", {
        headers: {
          "Content-Type": "application/pdf",
          "Content-Disposition": 'attachment; filename="tempo-board-pack-2026-12-07.pdf"',
        },
      }),
    );
    await waitFor(() =>
      expect(saved).toEqual([{ href: "blob:pack", download: "tempo-board-pack-2026-12-07.pdf" }]),
    );
    expect(await screen.findByRole("button", { name: "Board pack (PDF)" })).toBeEnabled();
    expect(screen.queryByRole("progressbar")).not.toBeInTheDocument();
  });

  it("says why the board pack was not made", async () => {
    const user = userEvent.setup();
    stubApi({
      "GET /api/v1/metrics/board-pack.pdf": () =>
        json(
          {
            type: "about:blank",
            title: "Forbidden",
            status: 403,
            detail: "Role 'csm' may not do this",
          },
          403,
        ),
    });
    render(<BoardPackButton />);
    await user.click(screen.getByRole("button", { name: "Board pack (PDF)" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Role 'csm' may not do this");
    expect(saved).toEqual([]);
  });
});
