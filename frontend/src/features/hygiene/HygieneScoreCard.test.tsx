import { QueryClientProvider } from "@tanstack/react-query";
import {
  createMemoryHistory,
  createRootRoute,
  createRouter,
  RouterProvider,
} from "@tanstack/react-router";
import { render, screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import { createQueryClient } from "../../api/queryClient";
import { TOKEN_KEY } from "../../api/token";
import type { ListScope } from "../../lib/scope";
import { parseSearch, stringifySearch } from "../../lib/searchParams";
import { json, stubApi } from "../../test/utils";
import { hygiene } from "./fixtures";
import { HygieneScoreCard } from "./HygieneScoreCard";
import type { Hygiene } from "./queries";

/** The card alone, in a router of its own (it links to /hygiene). */
function renderCard(scope: ListScope | "") {
  const rootRoute = createRootRoute({ component: () => <HygieneScoreCard scope={scope} /> });
  const router = createRouter({
    routeTree: rootRoute,
    history: createMemoryHistory({ initialEntries: ["/"] }),
    parseSearch,
    stringifySearch,
  });
  const queryClient = createQueryClient({ retry: false });
  return render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
}

function stub(answer: Hygiene = hygiene) {
  const asked: URLSearchParams[] = [];
  stubApi({
    "GET /api/v1/hygiene": (request) => {
      asked.push(new URL(request.url).searchParams);
      return json(answer);
    },
  });
  return asked;
}

describe("HygieneScoreCard", () => {
  beforeEach(() => {
    window.localStorage.setItem(TOKEN_KEY, "test-token");
  });

  it("shows the score of the scope, its two worst checks and links to the page", async () => {
    const asked = stub();
    renderCard("team");
    expect(await screen.findByTestId("hygiene-mini-score")).toHaveTextContent("87.4");
    expect(asked[0]?.get("scope")).toBe("team");
    expect(screen.getByText("Needs work")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "All checks" })).toHaveAttribute(
      "href",
      "/hygiene?scope=team",
    );
    // Past their threshold first, then by severity: the high renewal check, then silence.
    const items = within(screen.getByRole("list", { name: "Worst checks" })).getAllByRole(
      "listitem",
    );
    expect(items.map((i) => i.textContent)).toEqual([
      "Renewal date in the past 4% · 25 of 600",
      "No signal 14% · 120 of 850",
    ]);
    expect(within(items[0] as HTMLElement).getByRole("link")).toHaveAttribute(
      "href",
      "/hygiene?scope=team&open=renewal_past",
    );
  });

  it("asks for the caller's default scope when given none, and says when nothing fails", async () => {
    const asked = stub({ ...hygiene, score: 100, checks: [] });
    renderCard("");
    expect(await screen.findByTestId("hygiene-mini-score")).toHaveTextContent("100.0");
    expect(asked[0]?.get("scope")).toBeNull();
    expect(screen.getByText("Trustworthy")).toBeInTheDocument();
    expect(screen.getByText("No check fails.")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "All checks" })).toHaveAttribute("href", "/hygiene");
  });
});
