import { useState } from "react";
import { FormDialog } from "../../ui/FormDialog";
import { ProblemAlert } from "../../ui/ProblemAlert";
import { type SavedView, useDeleteView, useSaveView } from "./queries";
import type { SortValue } from "./searchState";

function SaveViewDialog({
  filter,
  sort,
  q,
  onClose,
}: {
  filter: string;
  sort: SortValue;
  q: string;
  onClose: () => void;
}) {
  const save = useSaveView();
  const [name, setName] = useState("");
  const [shared, setShared] = useState(false);
  return (
    <FormDialog
      title="Save this view"
      onClose={onClose}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(
          { name: name.trim(), shared, query: { filter, sort, q } },
          { onSuccess: onClose },
        );
      }}
      submitLabel="Save view"
      pendingLabel="Save view"
      pending={save.isPending}
      disabled={!name.trim()}
    >
      <label className="field">
        <span className="field-label">Name</span>
        <input
          className="input"
          value={name}
          maxLength={100}
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <p className="mono small muted">{filter || "(no filter)"}</p>
      <label className="check">
        <input type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} />
        Share with the team
      </label>
      {save.isError ? <ProblemAlert error={save.error} /> : null}
    </FormDialog>
  );
}

function isCurrent(view: SavedView, filter: string, sort: SortValue, q: string): boolean {
  return view.query.filter === filter && view.query.sort === sort && (view.query.q ?? "") === q;
}

/**
 * The user's own and shared views in a menu, "Delete" for the user's view on screen, and
 * "Save view" for the current filter and sort (the built-in ones are chips: `ViewChips`).
 */
export function ViewsBar({
  views,
  canSave,
  filter,
  sort,
  q,
  onApply,
}: {
  views: SavedView[] | undefined;
  canSave: boolean;
  filter: string;
  sort: SortValue;
  q: string;
  onApply: (view: SavedView) => void;
}) {
  const remove = useDeleteView();
  const [saving, setSaving] = useState(false);
  const all = views ?? [];
  const others = all.filter((v) => !v.is_builtin);
  const current = all.find((v) => isCurrent(v, filter, sort, q));
  const onScreen = current ?? all.find((v) => v.is_builtin && filter && v.query.filter === filter);
  return (
    <fieldset className="views-bar" aria-label="Saved views">
      {others.length > 0 ? (
        <select
          className="select select-sm"
          aria-label="My and shared views"
          value={current && !current.is_builtin ? current.id : ""}
          onChange={(e) => {
            const view = others.find((v) => v.id === e.target.value);
            if (view) onApply(view);
          }}
        >
          <option value="">My views…</option>
          {others.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
              {v.mine ? "" : " (shared)"}
            </option>
          ))}
        </select>
      ) : null}
      {current?.mine ? (
        <button
          type="button"
          className="btn btn-sm btn-ghost"
          onClick={() => remove.mutate(current.id)}
          disabled={remove.isPending}
        >
          Delete “{current.name}”
        </button>
      ) : null}
      {canSave && filter && !onScreen ? (
        <button type="button" className="btn btn-sm" onClick={() => setSaving(true)}>
          Save view
        </button>
      ) : null}
      {saving ? (
        <SaveViewDialog filter={filter} sort={sort} q={q} onClose={() => setSaving(false)} />
      ) : null}
    </fieldset>
  );
}
