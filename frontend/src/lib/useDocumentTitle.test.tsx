import { render } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import {
  currentViewTitle,
  formatDocumentTitle,
  resetDocumentTitles,
  setRouteTitle,
  useDocumentTitle,
} from "./useDocumentTitle";

function Titled({ title }: { title: string | null }) {
  useDocumentTitle(title);
  return null;
}

describe("document title", () => {
  afterEach(() => resetDocumentTitles());

  it("formats a view's title with the app's name", () => {
    expect(formatDocumentTitle("Book")).toBe("Book · Tempo");
    expect(formatDocumentTitle("  Acme Corp ")).toBe("Acme Corp · Tempo");
    expect(formatDocumentTitle(null)).toBe("Tempo");
    expect(formatDocumentTitle("   ")).toBe("Tempo");
  });

  it("shows the route's title until a page names itself, and again after", () => {
    setRouteTitle("Account");
    expect(document.title).toBe("Account · Tempo");

    const view = render(<Titled title={null} />);
    expect(document.title).toBe("Account · Tempo");

    view.rerender(<Titled title="Acme Corp" />);
    expect(document.title).toBe("Acme Corp · Tempo");
    expect(currentViewTitle()).toBe("Acme Corp");

    // A route title set after the page's (the shell's effect runs after its children's)
    // does not overwrite the page's.
    setRouteTitle("Account");
    expect(document.title).toBe("Acme Corp · Tempo");

    view.rerender(<Titled title="Globex" />);
    expect(document.title).toBe("Globex · Tempo");

    view.unmount();
    expect(document.title).toBe("Account · Tempo");
    setRouteTitle("Book");
    expect(document.title).toBe("Book · Tempo");
  });

  it("lets the latest mounted page title win", () => {
    setRouteTitle("Book");
    const outer = render(<Titled title="Outer" />);
    const inner = render(<Titled title="Inner" />);
    expect(document.title).toBe("Inner · Tempo");
    inner.unmount();
    expect(document.title).toBe("Outer · Tempo");
    outer.unmount();
    expect(document.title).toBe("Book · Tempo");
  });
});
