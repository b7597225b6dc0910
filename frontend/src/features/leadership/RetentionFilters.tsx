import { useBookFields } from "../book/queries";
import type { LeadershipState } from "./searchState";

type FilterKey = "segment" | "plan" | "icpTier";

const FILTERS: { key: FilterKey; field: string; label: string }[] = [
  { key: "segment", field: "segment", label: "Segment" },
  { key: "plan", field: "plan", label: "Plan" },
  { key: "icpTier", field: "icp_tier", label: "ICP tier" },
];

/** Segment, plan and ICP tier filters (the accounts' current values, from `accounts:fields`). */
export function RetentionFilters({
  state,
  onChange,
}: {
  state: LeadershipState;
  onChange: (patch: Partial<LeadershipState>) => void;
}) {
  const fields = useBookFields();
  return (
    <>
      {FILTERS.map(({ key, field, label }) => {
        const choices = fields.data?.fields.find((f) => f.name === field)?.choices ?? [];
        const value = state[key];
        const options = value && !choices.includes(value) ? [value, ...choices] : choices;
        return (
          <label key={key} className="inline-field">
            {label}
            <select
              className="select select-sm"
              value={value}
              onChange={(e) => onChange({ [key]: e.target.value })}
            >
              <option value="">All</option>
              {options.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
        );
      })}
    </>
  );
}
