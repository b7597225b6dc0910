import { describe, expect, it } from "vitest";
import type { ImportField } from "../../api/client";
import {
  blockingSummary,
  initialMapping,
  initialValues,
  type MappingState,
  mappedValueCount,
  mappingIssues,
  orderFields,
  parseSource,
  presetFields,
  serializeMapping,
  serializeValues,
  setValue,
  unmappedColumns,
  valueFor,
  valueKey,
} from "./mapping";

const FIELDS: ImportField[] = [
  { name: "account_id", required: true, type: "text", description: "text; required" },
  { name: "date", required: true, type: "date", description: "date (YYYY-MM-DD); required" },
  {
    name: "period",
    required: false,
    type: "choice",
    description: "one of day, week, month; optional",
  },
  {
    name: "active_users",
    required: false,
    type: "number",
    description: "whole number, 0 or more; optional",
  },
];
const COLUMNS = ["Account ID", "Usage Date", "Users", "Notes"];

describe("initialMapping", () => {
  it("prefills from the server's suggestion when the column exists", () => {
    const state = initialMapping(FIELDS, {
      columns: COLUMNS,
      suggested: { account_id: "Account ID", date: "Usage Date", active_users: "Gone" },
    });
    expect(state).toEqual({
      account_id: { type: "column", column: "Account ID" },
      date: { type: "column", column: "Usage Date" },
      period: { type: "none" },
      active_users: { type: "none" },
    });
  });

  it("prefills from a preset alone, reading `=` values as constants", () => {
    const state = initialMapping(FIELDS, {
      columns: COLUMNS,
      suggested: { account_id: "Account ID", active_users: "Users" },
      preset: { account_id: "Account ID", date: "Usage Date", period: "=month", unknown: "X" },
    });
    expect(state).toEqual({
      account_id: { type: "column", column: "Account ID" },
      date: { type: "column", column: "Usage Date" },
      period: { type: "constant", value: "month" },
      // Not in the preset: left out even though the server suggested a column.
      active_users: { type: "none" },
    });
    expect(serializeMapping(state)).toEqual({
      account_id: "Account ID",
      date: "Usage Date",
      period: "=month",
    });
  });

  it("keeps a preset column the file lacks, so the editor can flag it", () => {
    const state = initialMapping(FIELDS, { columns: ["Other"], preset: { date: "Usage Date" } });
    expect(state.date).toEqual({ type: "column", column: "Usage Date" });
    expect(mappingIssues(FIELDS, state, ["Other"])).toContainEqual({
      field: "date",
      reason: "column",
      message: "date: this file has no column “Usage Date”",
    });
  });
});

describe("mappingIssues", () => {
  const complete: MappingState = {
    account_id: { type: "column", column: "Account ID" },
    date: { type: "column", column: "Usage Date" },
    period: { type: "none" },
    active_users: { type: "none" },
  };

  it("lets a mapping with every required field through", () => {
    expect(mappingIssues(FIELDS, complete, COLUMNS)).toEqual([]);
  });

  it("blocks while a required field is unmapped", () => {
    const issues = mappingIssues(FIELDS, { ...complete, date: { type: "none" } }, COLUMNS);
    expect(issues).toEqual([
      {
        field: "date",
        reason: "required",
        message: "date is required: choose a column or a constant",
      },
    ]);
    expect(blockingSummary(issues)).toBe("Map every required field before validating: date.");
    // A field missing from the state counts as unmapped.
    expect(mappingIssues(FIELDS, {}, COLUMNS).map((i) => i.field)).toEqual(["account_id", "date"]);
  });

  it("accepts a constant for a required field but not an empty one", () => {
    const withConstant = { ...complete, date: { type: "constant" as const, value: "2026-01-01" } };
    expect(mappingIssues(FIELDS, withConstant, COLUMNS)).toEqual([]);
    const blank = { ...complete, period: { type: "constant" as const, value: "  " } };
    const issues = mappingIssues(FIELDS, blank, COLUMNS);
    expect(issues).toEqual([
      { field: "period", reason: "constant", message: "period: enter the constant value" },
    ]);
    expect(blockingSummary(issues)).toBe("Fix the mapping of period before validating.");
    expect(blockingSummary([])).toBe("");
  });
});

describe("serializeMapping", () => {
  it("writes columns by name, constants with `=`, and leaves unmapped fields out", () => {
    expect(
      serializeMapping({
        account_id: { type: "column", column: "Account ID" },
        date: { type: "column", column: "Usage Date" },
        period: { type: "constant", value: " month " },
        active_users: { type: "none" },
      }),
    ).toEqual({ account_id: "Account ID", date: "Usage Date", period: "=month" });
  });

  it("round-trips with parseSource", () => {
    for (const value of ["Account ID", "=month", "=2026-01-01"]) {
      expect(serializeMapping({ f: parseSource(value) })).toEqual({ f: value });
    }
    expect(parseSource("")).toEqual({ type: "none" });
  });
});

describe("orderFields", () => {
  it("lists required fields first, keeping the server's order", () => {
    const fields = [FIELDS[2], FIELDS[0], FIELDS[3], FIELDS[1]] as ImportField[];
    expect(orderFields(fields).map((f) => f.name)).toEqual([
      "account_id",
      "date",
      "period",
      "active_users",
    ]);
  });
});

describe("presetFields", () => {
  it("names the fields a preset maps (they can be changed, not unmapped)", () => {
    expect([...presetFields({ account: "account_id", product: "=Platform" })]).toEqual([
      "account",
      "product",
    ]);
    expect(presetFields(null).size).toBe(0);
  });
});

describe("unmappedColumns", () => {
  it("lists the columns no field takes, minus what the preset reads, in file order", () => {
    const columns = ["Id", "Status", "First reply time in minutes", "Tags", "Via"];
    expect(
      unmappedColumns(columns, { id: "Id", status: "Status", priority: "=normal" }, [
        "first reply time in minutes",
      ]),
    ).toEqual(["Tags", "Via"]);
    expect(unmappedColumns(columns, {})).toEqual(columns);
  });
});

describe("value mapping", () => {
  const preset = {
    role: { "Budget Holder": "decision_maker", Influencer: null },
    csat: { Great: 4 },
  };

  it("starts from the preset's mapping, targets as text, matched case-insensitively", () => {
    const state = initialValues(preset);
    expect(state).toEqual({
      role: { "Budget Holder": "decision_maker", Influencer: null },
      csat: { Great: "4" },
    });
    expect(valueFor(state, "role", "  budget   HOLDER ")).toBe("decision_maker");
    expect(valueFor(state, "role", "Influencer")).toBeNull();
    expect(valueFor(state, "role", "Champion")).toBeUndefined();
    expect(valueKey("  On-Hold  ")).toBe("on-hold");
    expect(mappedValueCount(state, "role")).toBe(2);
  });

  it("maps, empties and unmaps values; undoing a preset's mapping sends the value to itself", () => {
    let state = initialValues(preset);
    state = setValue(state, "status", "On-hold", "open", preset);
    state = setValue(state, "status", "Solved", null, preset);
    state = setValue(state, "status", "Solved", undefined, preset);
    state = setValue(state, "role", "budget holder", undefined, preset);
    expect(state.status).toEqual({ "On-hold": "open" });
    expect(state.role).toEqual({ Influencer: null, "budget holder": "budget holder" });
    expect(valueFor(state, "role", "Budget Holder")).toBeUndefined(); // read as it is again
    expect(mappedValueCount(state, "role")).toBe(1);
    expect(serializeValues({ ...state, plan: { Ent: "  Enterprise ", Pro: "  " } })).toEqual({
      role: { Influencer: null, "budget holder": "budget holder" },
      csat: { Great: "4" },
      status: { "On-hold": "open" },
      plan: { Ent: "Enterprise" },
    });
    expect(serializeValues({ status: {} })).toEqual({});
  });
});
