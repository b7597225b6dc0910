import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import type { ImportKindFields, ImportPreset, ImportPreview } from "../../api/client";
import { TOKEN_KEY } from "../../api/token";
import { demoMeta, demoUser, json, renderApp, stubApi } from "../../test/utils";

const FIELDS: ImportKindFields[] = [
  {
    kind: "tickets",
    fields: [
      { name: "subject", required: false, description: "str | None" },
      { name: "id", required: true, description: "str" },
      { name: "account", required: true, description: "str" },
      { name: "opened_at", required: true, description: "datetime" },
    ],
  },
];

const PRESETS: ImportPreset[] = [
  {
    key: "ravenstack-tickets",
    kind: "tickets",
    name: "RavenStack support tickets",
    description: "ravenstack_support_tickets.csv",
    mapping: { id: "ticket_id", account: "account_id", opened_at: "submitted_at" },
  },
];

const PREVIEW: ImportPreview = {
  columns: ["ticket_id", "account_id", "Opened"],
  sample: [{ ticket_id: "T-1", account_id: "ACME-001", Opened: "2026-01-02" }],
  rows: 1,
  suggested_mapping: { id: "ticket_id", account: "account_id" },
};

function stubImport() {
  const previews: string[] = [];
  stubApi({
    "GET /api/v1/auth/me": () => json(demoUser),
    "GET /api/v1/meta": () => json(demoMeta),
    "GET /api/v1/import/presets": () => json(PRESETS),
    "GET /api/v1/import/fields": () => json(FIELDS),
    "POST /api/v1/import/tickets/preview": (request) => {
      previews.push(request.headers.get("Content-Type") ?? "");
      return json(PREVIEW);
    },
  });
  return { previews };
}

const csv = () => new File(["ticket_id,account_id,Opened\nT-1,ACME-001,2026-01-02\n"], "t.csv");

describe("Import wizard", () => {
  beforeEach(() => {
    window.localStorage.setItem(TOKEN_KEY, "test-token");
  });

  it("previews the file, prefills the suggestion and blocks until required fields are mapped", async () => {
    const { previews } = stubImport();
    renderApp("/import?kind=tickets");

    expect(await screen.findByRole("combobox", { name: "Kind of data" })).toHaveValue("tickets");
    const next = screen.getByRole("button", { name: "Next: preview and map" });
    expect(next).toBeDisabled();
    await userEvent.upload(screen.getByLabelText("File to import"), csv());
    await userEvent.click(next);

    expect(await screen.findByRole("heading", { name: "Map columns" })).toBeInTheDocument();
    expect(previews[0]).toMatch(/^multipart\/form-data; boundary=/);
    expect(screen.getByLabelText(/^id/)).toHaveValue("c:ticket_id");
    expect(screen.getByRole("status")).toHaveTextContent(
      "Map every required field before validating: opened_at.",
    );
    const validate = screen.getByRole("button", { name: "Validate (dry run)" });
    expect(validate).toBeDisabled();

    // Required fields first.
    const fields = screen
      .getAllByTestId("mapping-row")
      .map((row) => within(row).getByRole("rowheader").querySelector("label")?.textContent);
    expect(fields).toEqual(["id", "account", "opened_at", "subject"]);

    await userEvent.selectOptions(screen.getByLabelText(/^opened_at/), "c:Opened");
    expect(screen.queryByRole("status")).not.toBeInTheDocument();
    expect(validate).toBeEnabled();
  });

  it("fixes kind and mapping from a preset", async () => {
    stubImport();
    const { router } = renderApp("/import");
    const preset = await screen.findByRole("combobox", { name: "Preset" });
    await screen.findByRole("option", { name: "RavenStack support tickets" });
    await userEvent.selectOptions(preset, "ravenstack-tickets");

    const kind = screen.getByRole("combobox", { name: "Kind of data" });
    expect(kind).toHaveValue("tickets");
    expect(kind).toBeDisabled();
    expect(router.state.location.href).toBe("/import?kind=tickets");

    await userEvent.upload(screen.getByLabelText("File to import"), csv());
    await userEvent.click(screen.getByRole("button", { name: "Next: preview and map" }));
    await screen.findByRole("heading", { name: "Map columns" });
    // The preset names a column this file lacks: flagged, and validation stays blocked.
    expect(
      screen.getByText("opened_at: this file has no column “submitted_at”"),
    ).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Validate (dry run)" })).toBeDisabled();
  });
});
