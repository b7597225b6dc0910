import { describe, expect, it } from "vitest";
import {
  addTerm,
  describeTerm,
  type FieldInfo,
  formatTerm,
  parseFilter,
  removeTermAt,
  renewalScopeNote,
  splitFilter,
} from "./filterTerms";

const field = (name: string, label: string, kind: string): FieldInfo => ({
  name,
  label,
  kind,
  ops: ["=", "!=", "<", "<=", ">", ">="],
  choices: [],
});

describe("filter terms", () => {
  it("splits on spaces outside quotes", () => {
    expect(
      splitFilter('renewal_in<=60  band=at_risk industry="Financial Services",Retail'),
    ).toEqual(["renewal_in<=60", "band=at_risk", 'industry="Financial Services",Retail']);
  });

  it("parses terms, ':' as '=', and keeps what is not a term as null", () => {
    expect(parseFilter("qbr>90 band:at_risk nonsense segment='Mid Market'")).toEqual([
      { field: "qbr", op: ">", value: "90" },
      { field: "band", op: "=", value: "at_risk" },
      null,
      { field: "segment", op: "=", value: "Mid Market" },
    ]);
  });

  it("writes terms back, quoting values with spaces", () => {
    expect(formatTerm({ field: "industry", op: "=", value: "Financial Services,Retail" })).toBe(
      'industry="Financial Services",Retail',
    );
    expect(formatTerm({ field: "arr", op: ">", value: "50k" })).toBe("arr>50k");
  });

  it("adds a term, replacing the same field and operator, and removes by position", () => {
    expect(addTerm("health<70 band=at_risk", { field: "health", op: "<", value: "60" })).toBe(
      "band=at_risk health<60",
    );
    expect(addTerm("health<70", { field: "health", op: ">", value: "20" })).toBe(
      "health<70 health>20",
    );
    expect(removeTermAt("renewal_in<=60 band=at_risk qbr>90", 1)).toBe("renewal_in<=60 qbr>90");
  });

  it("says each term in words", () => {
    expect(
      describeTerm(
        { field: "renewal_in", op: "<=", value: "60" },
        field("renewal_in", "Days to renewal", "days_until"),
      ),
    ).toBe("Renewal in ≤ 60 days");
    expect(
      describeTerm(
        { field: "qbr", op: ">", value: "90d" },
        field("qbr", "Days since last QBR", "days_since"),
      ),
    ).toBe("Last QBR > 90 days ago");
    expect(
      describeTerm(
        { field: "band", op: "=", value: "at_risk,watch" },
        field("band", "Health band", "enum"),
      ),
    ).toBe("Health band is at risk or watch");
    expect(
      describeTerm(
        { field: "oldest_ticket", op: ">", value: "30d" },
        field("oldest_ticket", "Oldest open ticket age", "days"),
      ),
    ).toBe("Oldest open ticket age > 30 days");
    expect(
      describeTerm({ field: "owner", op: "=", value: "me" }, field("owner", "Owner", "owner")),
    ).toBe("Owner is me");
    expect(
      describeTerm(
        { field: "alert", op: "!=", value: "any" },
        field("alert", "Open alert", "alert"),
      ),
    ).toBe("No open alert");
    expect(describeTerm({ field: "mystery", op: ">", value: "1" })).toBe("mystery > 1");
  });

  it("notes that renewal days mean term renewals unless the filter names a term", () => {
    expect(renewalScopeNote(parseFilter("renewal_in<=90 band=at_risk"))).toMatch(
      /annual, multi-year and contract renewals/,
    );
    expect(renewalScopeNote(parseFilter("renewal_in<=30 term=monthly"))).toBeNull();
    expect(renewalScopeNote(parseFilter("band=at_risk"))).toBeNull();
  });
});
