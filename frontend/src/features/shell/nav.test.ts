import { describe, expect, it } from "vitest";
import { NAV_GROUPS, navGroupsFor } from "./nav";

const labels = (role: string | undefined) =>
  navGroupsFor(role).flatMap((group) => group.items.map((item) => item.label));

describe("navGroupsFor", () => {
  it("shows Import to admins only (the server's INGEST permission)", () => {
    expect(labels("admin")).toContain("Import");
    for (const role of ["leader", "csm", "product", "viewer"]) {
      expect(labels(role)).not.toContain("Import");
      expect(labels(role)).toContain("Sources");
    }
  });

  it("shows Data hygiene to admins and leaders", () => {
    for (const role of ["admin", "leader"]) expect(labels(role)).toContain("Data hygiene");
    for (const role of ["csm", "product", "viewer", undefined]) {
      expect(labels(role)).not.toContain("Data hygiene");
    }
  });

  it("shows Team to leaders and admins only (the server's LEAD permission)", () => {
    for (const role of ["admin", "leader"]) expect(labels(role)).toContain("Team");
    for (const role of ["csm", "product", "viewer", undefined]) {
      expect(labels(role)).not.toContain("Team");
    }
    const leadership = navGroupsFor("leader").find((group) => group.title === "Leadership");
    expect(leadership?.items.map((item) => item.to)).toEqual(["/leadership", "/team", "/renewals"]);
  });

  it("shows Admin to admins only (the server's ADMIN permission)", () => {
    expect(labels("admin")).toContain("Admin");
    for (const role of ["leader", "csm", "product", "viewer", undefined]) {
      expect(labels(role)).not.toContain("Admin");
    }
  });

  it("hides restricted links while the role is unknown", () => {
    expect(labels(undefined)).not.toContain("Import");
    expect(labels(undefined)).toContain("Book");
  });

  it("keeps every unrestricted link, and drops groups left empty", () => {
    const all = NAV_GROUPS.flatMap((group) => group.items.map((item) => item.label));
    expect(labels("admin")).toEqual(all);
    const groups = navGroupsFor("csm", [
      {
        title: "Only admins",
        items: [{ to: "/import", label: "Import", roles: new Set(["admin"]) }],
      },
      { title: "Everyone", items: [{ to: "/book", label: "Book" }] },
    ]);
    expect(groups.map((group) => group.title)).toEqual(["Everyone"]);
  });
});
