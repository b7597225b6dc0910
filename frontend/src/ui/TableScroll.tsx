import { type ReactNode, type RefObject, useEffect, useRef, useState } from "react";

/** Whether the element's content is wider or taller than its box, kept up to date on resizes. */
function useOverflows(ref: RefObject<HTMLElement | null>): boolean {
  const [overflows, setOverflows] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () =>
      setOverflows(el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight);
    measure();
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    for (const child of Array.from(el.children)) observer.observe(child);
    return () => observer.disconnect();
  }, [ref]);
  return overflows;
}

/**
 * The scroll box around a table (`.table-scroll`). While its table does not fit, the box is a
 * named region in the tab order, so that a keyboard can reach it and scroll it with the arrow
 * keys (WCAG 2.1.1; axe `scrollable-region-focusable`). While everything fits it is a plain box
 * and no extra tab stop.
 */
export function TableScroll({
  label,
  className,
  children,
}: {
  /** What the table is, e.g. "Renewals": the region's name when it scrolls. */
  label: string;
  className?: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const overflows = useOverflows(ref);
  const classes = className ? `table-scroll ${className}` : "table-scroll";
  if (!overflows) {
    return (
      <div ref={ref} className={classes}>
        {children}
      </div>
    );
  }
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling box must be reachable by keyboard
    // biome-ignore lint/a11y/useSemanticElements: a <section> would read as a page section
    <div ref={ref} className={classes} role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
