import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import type {
  ImportKindFields,
  ImportPreset,
  ImportPreview,
  ImportReport,
  UserPublic,
} from "../../api/client";
import { TOKEN_KEY } from "../../api/token";
import { demoMeta, demoUser, json, renderApp, stubApi } from "../../test/utils";

const FIELDS: ImportKindFields[] = [
  {
    kind: "tickets",
    fields: [
      { name: "subject", required: false, type: "text", description: "text; optional" },
      { name: "id", required: true, type: "text", description: "text; required" },
      {
        name: "account",
        required: true,
        type: "text",
        description:
          "the account's key: its external id, unless account_key_type names another key; required",
      },
      {
        name: "opened_at",
        required: true,
        type: "timestamp",
        description: "date (YYYY-MM-DD) or date-time; required",
      },
      {
        name: "status",
        required: false,
        type: "choice",
        description: "one of open, pending, solved, closed; optional, default open",
        choices: ["open", "pending", "solved", "closed"],
      },
    ],
  },
  {
    kind: "accounts",
    fields: [
      { name: "external_id", required: true, type: "text", description: "text; required" },
      { name: "name", required: true, type: "text", description: "text; required" },
    ],
  },
];

const ADMIN: UserPublic = { ...demoUser, role: "admin" };

const PRESETS: ImportPreset[] = [
  {
    key: "ravenstack-tickets",
    kind: "tickets",
    name: "RavenStack support tickets",
    description: "ravenstack_support_tickets.csv",
    mapping: { id: "ticket_id", account: "account_id", opened_at: "submitted_at" },
    values: {},
    reads: ["first_response_time_minutes"],
  },
];

const PREVIEW: ImportPreview = {
  columns: ["ticket_id", "account_id", "Opened", "state", "notes"],
  sample: [
    { ticket_id: "T-1", account_id: "ACME-001", Opened: "2026-01-02", state: "New", notes: "" },
  ],
  rows: 3,
  suggested_mapping: { id: "ticket_id", account: "account_id" },
  detected_preset: null,
  preset_mapping: null,
  unmapped_columns: ["Opened", "state", "notes"],
  skipped: 2,
  skipped_rows: [
    { row: 5, reason: "blank line" },
    { row: 6, reason: 'report footer: "Grand Totals (3 records)"' },
  ],
  distinct_values: { state: ["New", "On-hold", "Solved"], notes: ["x"] },
};

/** The header row matches the RavenStack preset: the server resolved its mapping to this file. */
const DETECTED: ImportPreview = {
  ...PREVIEW,
  detected_preset: "ravenstack-tickets",
  preset_mapping: { id: "ticket_id", account: "account_id", opened_at: "Opened" },
  unmapped_columns: ["state", "notes"],
};

const REPORT: ImportReport = {
  kind: "tickets",
  dry_run: true,
  rows: 3,
  accepted: 3,
  updated: 0,
  duplicates: 0,
  merged: 0,
  unmatched: 0,
  replayed: 0,
  accounts_created: 0,
  skipped: 2,
  skipped_rows: PREVIEW.skipped_rows,
  rejected: [],
  warnings: [
    {
      row: 3,
      id: "T-2",
      field: "csat",
      message: 'csat: "meh" (column "score") left out: Input should be a valid integer',
    },
    {
      row: 4,
      id: "T-1",
      field: null,
      message: "duplicate id T-1: also on row 2, which is imported",
    },
  ],
  mapping: { id: "ticket_id" },
  values: {},
  unmapped_columns: ["notes"],
};

function stubImport({
  preview = PREVIEW,
  detected = null,
  user = ADMIN,
}: {
  preview?: ImportPreview;
  detected?: string | null;
  user?: UserPublic;
} = {}) {
  const previews: string[] = [];
  const previewForms: FormData[] = [];
  const runs: FormData[] = [];
  const answerPreview = async (request: Request) => {
    previews.push(request.headers.get("Content-Type") ?? "");
    previewForms.push(await request.formData());
    return json(preview);
  };
  const fetched = stubApi({
    "GET /api/v1/auth/me": () => json(user),
    "GET /api/v1/meta": () => json(demoMeta),
    "GET /api/v1/import/presets": () => json(PRESETS),
    "GET /api/v1/import/fields": () => json(FIELDS),
    "POST /api/v1/import/detect": () =>
      json({
        detected_preset: detected,
        kind: detected ? "tickets" : null,
        columns: ["ticket_id", "account_id", "Opened", "state", "notes"],
        rows: 1,
      }),
    "POST /api/v1/import/tickets/preview": answerPreview,
    "POST /api/v1/import/accounts/preview": answerPreview,
    "POST /api/v1/import/tickets": async (request) => {
      runs.push(await request.formData());
      return json(REPORT);
    },
  });
  return { previews, previewForms, runs, fetched };
}

const csv = () =>
  new File(["ticket_id,account_id,Opened,state,notes\nT-1,ACME-001,2026-01-02,New,\n"], "t.csv");

async function previewFile(path: string) {
  renderApp(path);
  const next = await screen.findByRole("button", { name: "Next: preview and map" });
  await userEvent.upload(screen.getByLabelText("File to import"), csv());
  await userEvent.click(next);
  await screen.findByRole("heading", { name: "Map columns" });
}

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
    // (the shell has a status region of its own: the route announcer)
    const blocked = () =>
      screen.queryAllByRole("status").filter((e) => e.id === "mapping-blocked")[0] ?? null;
    expect(blocked()).toHaveTextContent("Map every required field before validating: opened_at.");
    const validate = screen.getByRole("button", { name: "Validate (dry run)" });
    expect(validate).toBeDisabled();

    // Required fields first.
    const fields = screen
      .getAllByTestId("mapping-row")
      .map((row) => within(row).getByRole("rowheader").querySelector("label")?.textContent);
    expect(fields).toEqual(["id", "account", "opened_at", "subject", "status"]);

    await userEvent.selectOptions(screen.getByLabelText(/^opened_at/), "c:Opened");
    expect(blocked()).toBeNull();
    expect(validate).toBeEnabled();
  });

  it("says in words what each field takes, and offers value mapping for optional text", async () => {
    stubImport();
    await previewFile("/import?kind=tickets");

    const hints = Object.fromEntries(
      screen
        .getAllByTestId("mapping-row")
        .map((row) => [
          within(row).getByRole("rowheader").querySelector("label")?.textContent,
          within(row).getByTestId("field-hint").textContent,
        ]),
    );
    expect(hints.opened_at).toBe("date (YYYY-MM-DD) or date-time; required");
    expect(hints.status).toBe("one of open, pending, solved, closed; optional, default open");
    expect(hints.subject).toBe("text; optional");

    await userEvent.selectOptions(screen.getByLabelText(/^subject/), "c:notes");
    expect(screen.getByRole("button", { name: "Map values (1)" })).toBeInTheDocument();
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

  it("applies the preset the header row matches, and can drop it", async () => {
    const { previewForms } = stubImport({ preview: DETECTED });
    await previewFile("/import?kind=tickets");

    expect(previewForms[0]?.get("preset")).toBeNull();
    expect(screen.getByTestId("detected-preset")).toHaveTextContent(
      "This looks like a RavenStack support tickets export: its mapping is applied.",
    );
    // The server's resolution of the preset for this file: "Opened", not "submitted_at".
    expect(screen.getByLabelText(/^opened_at/)).toHaveValue("c:Opened");
    expect(screen.getByRole("button", { name: "Validate (dry run)" })).toBeEnabled();
    expect(screen.getByTestId("unmapped-columns")).toHaveTextContent("Not imported (2)");

    await userEvent.click(screen.getByRole("button", { name: "Map columns myself" }));
    expect(screen.queryByTestId("detected-preset")).not.toBeInTheDocument();
    expect(screen.getByLabelText(/^opened_at/)).toHaveValue("");
  });

  it("chooses the preset and kind as soon as a known export is dropped", async () => {
    const { previewForms } = stubImport({ detected: "ravenstack-tickets" });
    renderApp("/import");
    await screen.findByRole("option", { name: "RavenStack support tickets" });
    await userEvent.upload(screen.getByLabelText("File to import"), csv());

    expect(await screen.findByTestId("detected-on-drop")).toHaveTextContent(
      "t.csv looks like a RavenStack support tickets export: its preset is chosen.",
    );
    expect(screen.getByRole("combobox", { name: "Preset" })).toHaveValue("ravenstack-tickets");
    expect(screen.getByRole("combobox", { name: "Kind of data" })).toHaveValue("tickets");
    await userEvent.click(screen.getByRole("button", { name: "Next: preview and map" }));
    await screen.findByRole("heading", { name: "Map columns" });
    expect(previewForms[0]?.get("preset")).toBe("ravenstack-tickets");
  });

  it("leaves an unknown file to the user", async () => {
    stubImport();
    renderApp("/import");
    await screen.findByRole("option", { name: "RavenStack support tickets" });
    await userEvent.upload(screen.getByLabelText("File to import"), csv());
    expect(await screen.findByText("Choose what the file contains.")).toBeInTheDocument();
    expect(screen.queryByTestId("detected-on-drop")).not.toBeInTheDocument();
    expect(screen.getByRole("combobox", { name: "Preset" })).toHaveValue("");
  });

  it("offers a preset of another kind without applying it", async () => {
    const { previewForms } = stubImport({ preview: DETECTED });
    await previewFile("/import?kind=accounts");

    expect(screen.getByTestId("detected-preset")).toHaveTextContent(
      "This looks like a RavenStack support tickets export, which imports support tickets.",
    );
    await userEvent.click(
      screen.getByRole("button", { name: "Import it as RavenStack support tickets" }),
    );
    // Read again for tickets with the preset: the offer gives way to the preset's mapping.
    await waitFor(() => expect(previewForms).toHaveLength(2));
    await waitFor(() => expect(screen.queryByTestId("detected-preset")).not.toBeInTheDocument());
    await screen.findByRole("heading", { name: "Map columns" });
    expect(previewForms[1]?.get("preset")).toBe("ravenstack-tickets");
    expect(screen.getByText("Support tickets · RavenStack support tickets")).toBeInTheDocument();
    expect(screen.getByLabelText(/^opened_at/)).toHaveValue("c:Opened");
  });

  it.each<[UserPublic["role"], string]>([
    ["csm", "a CSM"],
    ["leader", "a leader"],
    ["product", "a product user"],
    ["viewer", "a viewer"],
  ])("tells a %s why they may not import before any file is chosen", async (role, who) => {
    const { fetched } = stubImport({ user: { ...demoUser, role } });
    renderApp("/import?kind=tickets");

    const refusal = await screen.findByTestId("import-not-allowed");
    expect(refusal).toHaveTextContent("Importing is for admins");
    expect(refusal).toHaveTextContent(
      `You're signed in as ${who}. An import writes data for every account it touches (and can ` +
        "create accounts), so Tempo takes files from admins only: ask an admin to import the file for you.",
    );
    // no drop zone, no file picker, nothing to go on with
    expect(screen.queryByLabelText("File to import")).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Next: preview and map" })).not.toBeInTheDocument();
    expect(screen.queryByRole("combobox", { name: "Kind of data" })).not.toBeInTheDocument();
    const posted = fetched.mock.calls.filter(
      ([input]) => input instanceof Request && input.method === "POST",
    );
    expect(posted).toEqual([]);
  });

  it("gives an admin the drop zone", async () => {
    stubImport();
    renderApp("/import");
    expect(await screen.findByLabelText("File to import")).toBeInTheDocument();
    expect(screen.queryByTestId("import-not-allowed")).not.toBeInTheDocument();
  });

  it("shows skipped lines, maps values and sends them, then reports per-field warnings", async () => {
    const { runs } = stubImport();
    await previewFile("/import?kind=tickets");

    expect(screen.getByTestId("skipped-rows")).toHaveTextContent(
      "2 lines are not data and will be skipped",
    );
    expect(screen.getByTestId("unmapped-columns")).toHaveTextContent("Not imported (3)");
    await userEvent.selectOptions(screen.getByLabelText(/^opened_at/), "c:Opened");
    await userEvent.selectOptions(screen.getByLabelText(/^status/), "c:state");
    expect(screen.getByTestId("unmapped-columns")).toHaveTextContent("Not imported (1)");

    await userEvent.click(screen.getByRole("button", { name: "Map values (3)" }));
    const rows = screen.getAllByTestId("value-row").map((row) => row.textContent);
    expect(rows[0]).toContain("New");
    await userEvent.selectOptions(screen.getByLabelText("status for “On-hold”"), "open");
    await userEvent.selectOptions(screen.getByLabelText("status for “Solved”"), "\u0000empty");
    expect(screen.getByRole("button", { name: "Hide values · 2 mapped" })).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "Validate (dry run)" }));
    const report = await screen.findByTestId("import-report");
    const sent = runs[0];
    expect(JSON.parse(String(sent?.get("values")))).toEqual({
      status: { "On-hold": "open", Solved: null },
    });
    expect(JSON.parse(String(sent?.get("mapping")))).toMatchObject({ status: "state" });

    expect(within(report).getByTestId("skipped-table")).toHaveTextContent(
      'report footer: "Grand Totals (3 records)"',
    );
    expect(within(report).getByTestId("warnings-by-field")).toHaveTextContent(
      "Values left out (the rows were kept): csat 1",
    );
    const warning = within(within(report).getByTestId("warnings-table")).getAllByRole("row")[1];
    expect(warning).toHaveTextContent("T-2csat");
    expect(within(report).getByTestId("report-unmapped")).toHaveTextContent(
      "Columns not imported: notes",
    );
  });
});
