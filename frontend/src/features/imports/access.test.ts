import { describe, expect, it } from "vitest";
import { canImport, importRefusal } from "./access";

describe("canImport", () => {
  it("admits admins only, as the server's INGEST permission does", () => {
    expect(["admin", "leader", "csm", "product", "viewer"].map(canImport)).toEqual([
      true,
      false,
      false,
      false,
      false,
    ]);
    expect(canImport(undefined)).toBe(false);
  });

  it("names the role and whom to ask", () => {
    expect(importRefusal("csm")).toBe(
      "You're signed in as a CSM. An import writes data for every account it touches (and can " +
        "create accounts), so Tempo takes files from admins only: ask an admin to import the file for you.",
    );
    expect(importRefusal("auditor")).toMatch(/^You're signed in as the auditor role\./);
  });
});
