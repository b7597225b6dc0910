import { render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { TableScroll } from "./TableScroll";

const sizes = ["scrollWidth", "clientWidth", "scrollHeight", "clientHeight"] as const;

function layout(values: Record<(typeof sizes)[number], number>) {
  for (const key of sizes) {
    Object.defineProperty(HTMLElement.prototype, key, {
      configurable: true,
      get: () => values[key],
    });
  }
}

describe("TableScroll", () => {
  afterEach(() => {
    for (const key of sizes)
      delete (HTMLElement.prototype as unknown as Record<string, unknown>)[key];
  });

  it("is a plain box while the table fits", () => {
    layout({ scrollWidth: 400, clientWidth: 400, scrollHeight: 90, clientHeight: 90 });
    render(
      <TableScroll label="Renewals">
        <table />
      </TableScroll>,
    );
    expect(screen.queryByRole("region")).not.toBeInTheDocument();
    expect(document.querySelector(".table-scroll")).not.toHaveAttribute("tabindex");
  });

  it("becomes a named region in the tab order when the table overflows", () => {
    layout({ scrollWidth: 490, clientWidth: 460, scrollHeight: 90, clientHeight: 90 });
    render(
      <TableScroll label="Renewals" className="extra">
        <table />
      </TableScroll>,
    );
    const region = screen.getByRole("region", { name: "Renewals" });
    expect(region).toHaveAttribute("tabindex", "0");
    expect(region).toHaveClass("table-scroll", "extra");
  });
});
