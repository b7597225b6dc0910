import { useEffect, useRef, useState } from "react";
import { CHOOSABLE_COLUMNS, type ColumnChoice } from "./columns";

const KEY = "tempo.book.columns";

/** The columns the user showed or hid, kept in this browser (a layout, not a filter). */
export function loadColumnChoice(): ColumnChoice {
  try {
    const stored = window.localStorage.getItem(KEY);
    const parsed: unknown = stored ? JSON.parse(stored) : {};
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return {};
    const known = new Set(CHOOSABLE_COLUMNS.map((c) => c.id));
    return Object.fromEntries(
      Object.entries(parsed as Record<string, unknown>).filter(
        (e): e is [string, boolean] => known.has(e[0]) && typeof e[1] === "boolean",
      ),
    );
  } catch {
    return {};
  }
}

export function useColumnChoice(): [ColumnChoice, (next: ColumnChoice) => void] {
  const [choice, setChoice] = useState<ColumnChoice>(loadColumnChoice);
  const save = (next: ColumnChoice) => {
    setChoice(next);
    try {
      if (Object.keys(next).length === 0) window.localStorage.removeItem(KEY);
      else window.localStorage.setItem(KEY, JSON.stringify(next));
    } catch {
      // ignore storage failures: the choice lasts for this page
    }
  };
  return [choice, save];
}

/** "Columns": show or hide any column but the account's name; "Default" undoes the choice. */
export function ColumnMenu({
  visible,
  choice,
  onChange,
}: {
  /** Whether each choosable column is shown now. */
  visible: Record<string, boolean>;
  choice: ColumnChoice;
  onChange: (next: ColumnChoice) => void;
}) {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent) => {
      if (box.current && !box.current.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") setOpen(false);
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);
  const hidden = CHOOSABLE_COLUMNS.filter((c) => !visible[c.id]).length;
  return (
    <div className="column-menu" ref={box}>
      <button
        type="button"
        className="btn btn-sm"
        aria-expanded={open}
        aria-controls="book-columns"
        onClick={() => setOpen(!open)}
      >
        Columns{hidden ? ` (+${hidden})` : ""}
      </button>
      {open ? (
        <fieldset id="book-columns" className="column-menu-panel" aria-label="Columns">
          {CHOOSABLE_COLUMNS.map((c) => (
            <label key={c.id} className="check">
              <input
                type="checkbox"
                checked={Boolean(visible[c.id])}
                onChange={(e) => onChange({ ...choice, [c.id]: e.target.checked })}
              />
              {c.label}
            </label>
          ))}
          <button
            type="button"
            className="btn btn-sm btn-ghost"
            onClick={() => onChange({})}
            disabled={Object.keys(choice).length === 0}
          >
            Default columns
          </button>
        </fieldset>
      ) : null}
    </div>
  );
}
