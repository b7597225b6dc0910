import { screen } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import type { AccountDetail } from "../../api/client";
import { TOKEN_KEY } from "../../api/token";
import {
  account,
  demoMeta,
  demoUser,
  json,
  pictureSections,
  renderApp,
  stubApi,
} from "../../test/utils";
import { rememberBookSearch } from "../book/lastSearch";

const detail: AccountDetail = {
  ...pictureSections(),
  ...account({ flag: "yellow" }),
  domains: ["acme.example", "acme.io"],
  industry: "Manufacturing",
  acquisition_channel: "partner_referral",
  signup_date: "2023-04-02",
  onboarding_completed_at: "2023-05-01T10:00:00Z",
  seats_purchased: 120,
  seat_limit: 150,
  api_call_limit: 1000000,
  contract_start: "2024-03-01",
  tags: ["strategic"],
  contacts: [
    {
      id: "c1",
      name: "Pat Primary",
      email: "pat@acme.example",
      title: "VP Operations",
      role: "champion",
      is_primary: true,
    },
  ],
};

describe("Account", () => {
  beforeEach(() => {
    window.localStorage.setItem(TOKEN_KEY, "test-token");
  });

  it("shows the header, profile and contacts, with a back-link keeping the book's state", async () => {
    rememberBookSearch({ page: 3, sort: "name" });
    stubApi({
      "GET /api/v1/auth/me": () => json(demoUser),
      "GET /api/v1/meta": () => json(demoMeta),
      [`GET /api/v1/accounts/${detail.id}`]: () => json(detail),
      [`GET /api/v1/accounts/${detail.id}/aliases`]: () => json([]),
    });
    renderApp(`/accounts/${detail.id}`);

    expect(await screen.findByRole("heading", { level: 1, name: "Acme Corp" })).toBeInTheDocument();
    expect(screen.getByText("ACME-001")).toBeInTheDocument();
    expect(screen.getByText("$120,000")).toBeInTheDocument();
    expect(screen.getByText("Yellow flag")).toBeInTheDocument();
    expect(screen.getByText("acme.example, acme.io")).toBeInTheDocument();
    expect(screen.getByText("Partner referral")).toBeInTheDocument();
    expect(screen.getByText("1,000,000")).toBeInTheDocument();
    expect(screen.getByText("Pat Primary")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "pat@acme.example" })).toHaveAttribute(
      "href",
      "mailto:pat@acme.example",
    );
    expect(screen.getByRole("link", { name: "← Book" })).toHaveAttribute(
      "href",
      "/book?page=3&sort=name",
    );
  });

  it("says so when the account does not exist", async () => {
    stubApi({
      "GET /api/v1/auth/me": () => json(demoUser),
      "GET /api/v1/meta": () => json(demoMeta),
    });
    renderApp("/accounts/00000000-0000-4000-8000-000000000000");
    expect(await screen.findByText("Account not found")).toBeInTheDocument();
  });
});
