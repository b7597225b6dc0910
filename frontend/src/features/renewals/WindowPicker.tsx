import { useEffect, useState } from "react";
import { MAX_DAYS, WINDOW_PRESETS } from "./searchState";

function isPreset(days: number | null): boolean {
  return days !== null && (WINDOW_PRESETS as readonly number[]).includes(days);
}

/** Due within 30/60/90/180 days, a custom number of days, or any date. */
export function WindowPicker({
  days,
  onChange,
}: {
  days: number | null;
  onChange: (days: number | null) => void;
}) {
  const [custom, setCustom] = useState(days !== null && !isPreset(days));
  const [draft, setDraft] = useState(days === null ? "" : String(days));
  useEffect(() => {
    setCustom(days !== null && !isPreset(days));
    setDraft(days === null ? "" : String(days));
  }, [days]);

  const selectValue = days === null ? "any" : custom ? "custom" : String(days);
  const commit = () => {
    const n = Number(draft);
    if (draft.trim() !== "" && Number.isInteger(n) && n >= 0 && n <= MAX_DAYS && n !== days) {
      onChange(n);
    }
  };

  return (
    <span className="toolbar-inline">
      <label className="inline-field">
        Due
        <select
          className="select select-sm"
          value={selectValue}
          onChange={(e) => {
            const v = e.target.value;
            if (v === "custom") {
              setCustom(true);
              return;
            }
            setCustom(false);
            onChange(v === "any" ? null : Number(v));
          }}
        >
          {WINDOW_PRESETS.map((d) => (
            <option key={d} value={d}>
              in {d} days
            </option>
          ))}
          <option value="custom">Custom…</option>
          <option value="any">Any date</option>
        </select>
      </label>
      {custom && days !== null ? (
        <label className="inline-field">
          <input
            type="number"
            className="input input-sm renewals-days"
            aria-label="Days ahead"
            min={0}
            max={MAX_DAYS}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            onBlur={commit}
            onKeyDown={(e) => {
              if (e.key === "Enter") commit();
            }}
          />
          days
        </label>
      ) : null}
    </span>
  );
}
