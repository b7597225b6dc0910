import { type ListScope, SCOPE_OPTIONS } from "../lib/scope";
import { Segmented } from "./Segmented";

/** "Mine / Team / Everyone": whose accounts the page lists (none pressed until known). */
export function ScopeToggle({
  value,
  onChange,
}: {
  value: ListScope | "";
  onChange: (scope: ListScope) => void;
}) {
  return (
    <Segmented<ListScope | "">
      label="Whose accounts"
      options={SCOPE_OPTIONS}
      value={value}
      onChange={(v) => {
        if (v) onChange(v);
      }}
    />
  );
}
