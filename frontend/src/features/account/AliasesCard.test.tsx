import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { AccountDetail, UserPublic } from "../../api/client";
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
import type { AccountAlias } from "./queries";

const detail: AccountDetail = {
  ...pictureSections(),
  ...account(),
  domains: [],
  industry: null,
  acquisition_channel: null,
  signup_date: null,
  onboarding_completed_at: null,
  seats_purchased: null,
  seat_limit: null,
  api_call_limit: null,
  contract_start: null,
  tags: [],
  contacts: [],
};
const ALIASES_PATH = `/api/v1/accounts/${detail.id}/aliases`;
const admin: UserPublic = { ...demoUser, role: "admin" };

function alias(overrides: Partial<AccountAlias> = {}): AccountAlias {
  return {
    id: "b0000000-0000-4000-8000-000000000001",
    account_id: detail.id,
    source: "stripe",
    key: "cus_ACME42",
    created_at: "2026-01-10T08:30:00Z",
    ...overrides,
  };
}

type Answer = Response | ((request: Request) => Response | Promise<Response>);

function stubAccount({
  user = admin,
  aliases = [alias()],
  create,
}: {
  user?: UserPublic;
  aliases?: AccountAlias[];
  create?: Answer;
} = {}) {
  const calls = { lists: 0, creates: [] as unknown[], deletes: [] as string[] };
  let current = aliases;
  const spy = stubApi({
    "GET /api/v1/auth/me": () => json(user),
    "GET /api/v1/meta": () => json(demoMeta),
    [`GET /api/v1/accounts/${detail.id}`]: () => json(detail),
    [`GET ${ALIASES_PATH}`]: () => {
      calls.lists += 1;
      return json(current);
    },
    [`POST ${ALIASES_PATH}`]: async (request) => {
      const body = (await request.json()) as { source: string; key: string };
      calls.creates.push(body);
      if (create) return typeof create === "function" ? create(request) : create;
      const created = alias({ id: "b0000000-0000-4000-8000-000000000002", ...body });
      current = [...current, created];
      return json({ alias: created, replayed: 3 }, 201);
    },
    ...Object.fromEntries(
      aliases.map((a) => [
        `DELETE ${ALIASES_PATH}/${a.id}`,
        (request: Request) => {
          calls.deletes.push(new URL(request.url).pathname);
          current = current.filter((c) => c.id !== a.id);
          return new Response(null, { status: 204 });
        },
      ]),
    ),
  });
  return { spy, calls };
}

async function findCard() {
  return screen.findByRole("region", { name: "Identity / Aliases" });
}

describe("Account aliases", () => {
  beforeEach(() => {
    window.localStorage.setItem(TOKEN_KEY, "test-token");
  });

  it("lists the account's aliases, read-only for non-admins", async () => {
    stubAccount({
      user: demoUser,
      aliases: [
        alias(),
        alias({ id: "b0000000-0000-4000-8000-000000000003", source: "domain", key: "acme.io" }),
      ],
    });
    renderApp(`/accounts/${detail.id}`);

    const card = await findCard();
    const rows = await within(card).findAllByTestId("alias-row");
    expect(
      rows.map((r) =>
        within(r)
          .getAllByRole("cell")
          .map((c) => c.textContent),
      ),
    ).toEqual([
      ["stripe", "cus_ACME42", "Jan 10, 2026"],
      ["domain", "acme.io", "Jan 10, 2026"],
    ]);
    expect(within(card).queryByRole("form", { name: "Add alias" })).not.toBeInTheDocument();
    expect(within(card).queryByRole("button", { name: /Remove/ })).not.toBeInTheDocument();
  });

  it("explains what aliases are for when there are none", async () => {
    stubAccount({ aliases: [] });
    renderApp(`/accounts/${detail.id}`);
    const card = await findCard();
    expect(await within(card).findByText("No aliases yet")).toBeInTheDocument();
    expect(within(card).getByText(/Stripe customer id, domain, Zendesk org…/)).toBeInTheDocument();
  });

  it("adds an alias, shows the replay count and refreshes aliases, unmatched records and sources", async () => {
    const { calls } = stubAccount();
    const { queryClient } = renderApp(`/accounts/${detail.id}`);
    const invalidate = vi.spyOn(queryClient, "invalidateQueries");

    const card = await findCard();
    const form = await within(card).findByRole("form", { name: "Add alias" });
    const source = within(form).getByRole("combobox", { name: "Source" });
    const suggestions = [
      ...(document.getElementById(source.getAttribute("list") ?? "")?.children ?? []),
    ];
    expect(suggestions.map((o) => (o as HTMLOptionElement).value)).toEqual([
      "domain",
      "stripe",
      "segment",
      "zendesk",
      "hubspot",
      "salesforce",
      "subscription",
      "external_id",
    ]);
    const add = within(form).getByRole("button", { name: "Add alias" });
    expect(add).toBeDisabled();

    await userEvent.type(source, " zendesk ");
    await userEvent.type(within(form).getByRole("textbox", { name: "Key" }), "ORG-77");
    const listsBefore = calls.lists;
    await userEvent.click(add);

    expect(
      await within(card).findByText("Added; 3 unmatched records replayed"),
    ).toBeInTheDocument();
    expect(calls.creates).toEqual([{ source: "zendesk", key: "ORG-77" }]);
    expect(await within(card).findByText("ORG-77")).toBeInTheDocument();
    expect(calls.lists).toBeGreaterThan(listsBefore);
    const keys = invalidate.mock.calls.map(([filters]) => filters?.queryKey);
    expect(keys).toEqual(expect.arrayContaining([["accounts"], ["unmatched"], ["sources"]]));
  });

  it("shows the server's detail when the key belongs to another account", async () => {
    stubAccount({
      create: json(
        {
          type: "about:blank",
          title: "Conflict",
          status: 409,
          detail: "stripe:cus_OTHER already belongs to another account",
        },
        409,
      ),
    });
    renderApp(`/accounts/${detail.id}`);

    const form = await within(await findCard()).findByRole("form", { name: "Add alias" });
    await userEvent.type(within(form).getByRole("combobox", { name: "Source" }), "stripe");
    await userEvent.type(within(form).getByRole("textbox", { name: "Key" }), "cus_OTHER");
    await userEvent.click(within(form).getByRole("button", { name: "Add alias" }));

    expect(await within(await findCard()).findByRole("alert")).toHaveTextContent(
      "Couldn't add the alias: stripe:cus_OTHER already belongs to another account",
    );
    expect(screen.queryByTestId("alias-notice")).not.toBeInTheDocument();
  });

  it("lists each field error of a 422", async () => {
    stubAccount({
      create: json(
        {
          title: "Validation error",
          status: 422,
          errors: [
            { loc: ["body", "source"], msg: "String should have at most 50 characters" },
            { loc: ["body", "key"], msg: "String should have at least 1 character" },
          ],
        },
        422,
      ),
    });
    renderApp(`/accounts/${detail.id}`);

    const form = await within(await findCard()).findByRole("form", { name: "Add alias" });
    await userEvent.type(within(form).getByRole("combobox", { name: "Source" }), "x");
    await userEvent.type(within(form).getByRole("textbox", { name: "Key" }), "y");
    await userEvent.click(within(form).getByRole("button", { name: "Add alias" }));

    const alert = await within(await findCard()).findByRole("alert");
    expect(
      within(alert)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual([
      "source: String should have at most 50 characters",
      "key: String should have at least 1 character",
    ]);
  });

  it("asks for confirmation before deleting an alias", async () => {
    const { calls } = stubAccount();
    renderApp(`/accounts/${detail.id}`);

    const card = await findCard();
    await userEvent.click(
      await within(card).findByRole("button", { name: "Remove alias stripe cus_ACME42" }),
    );
    const dialog = screen.getByRole("dialog", { name: "Remove alias" });
    expect(dialog).toHaveTextContent("cus_ACME42");

    await userEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(calls.deletes).toEqual([]);

    await userEvent.click(
      within(card).getByRole("button", { name: "Remove alias stripe cus_ACME42" }),
    );
    await userEvent.click(
      within(screen.getByRole("dialog", { name: "Remove alias" })).getByRole("button", {
        name: "Remove",
      }),
    );

    await waitFor(() => expect(calls.deletes).toEqual([`${ALIASES_PATH}/${alias().id}`]));
    expect(await within(card).findByText("No aliases yet")).toBeInTheDocument();
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });
});
