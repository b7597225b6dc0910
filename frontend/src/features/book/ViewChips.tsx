import type { SavedView } from "./queries";

/**
 * The built-in saved views as chips above the table, each one click away; the chip of the
 * filter on screen is pressed, and clicking it again clears the filter.
 */
export function ViewChips({
  views,
  filter,
  onApply,
  onClear,
}: {
  views: SavedView[] | undefined;
  filter: string;
  onApply: (view: SavedView) => void;
  onClear: () => void;
}) {
  const builtins = (views ?? []).filter((v) => v.is_builtin);
  if (builtins.length === 0) return null;
  return (
    <fieldset className="views-bar view-chips" aria-label="Built-in views">
      {builtins.map((v) => {
        const active = filter !== "" && v.query.filter === filter;
        return (
          <button
            key={v.id}
            type="button"
            className="view-pill"
            aria-pressed={active}
            title={`${v.description ?? v.name}\n${v.query.filter}`}
            onClick={() => (active ? onClear() : onApply(v))}
          >
            {v.name}
          </button>
        );
      })}
    </fieldset>
  );
}
