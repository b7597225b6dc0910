import { type ReactNode, useId, useState } from "react";

/**
 * A figure's label with its definition (a toggletip): the definition shows while the label is
 * hovered or has keyboard focus, and on a click or tap; Escape hides it. It is always the
 * label's description for screen readers.
 */
export function Tip({ text, children }: { text: string; children: ReactNode }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  return (
    <span className="tip" data-testid="tip">
      <button
        type="button"
        className="tip-trigger"
        aria-describedby={id}
        onMouseEnter={() => setOpen(true)}
        onMouseLeave={() => setOpen(false)}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onClick={() => setOpen(true)}
        onKeyDown={(event) => {
          if (event.key === "Escape") setOpen(false);
        }}
      >
        {children}
      </button>
      <span role="tooltip" id={id} className="tip-text" hidden={!open}>
        {text}
      </span>
    </span>
  );
}
