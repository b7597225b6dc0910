import { useEffect, useRef, useState } from "react";
import { errorMessage } from "../../api/errors";
import { DASH } from "../../lib/format";
import { type Renewal, useUpdateRenewal } from "./queries";

const MAX_NOTES = 5000;

/** The owner's notes: click to edit in place (Save / Cancel, Escape cancels); read-only text otherwise. */
export function NotesCell({ renewal, canEdit }: { renewal: Renewal; canEdit: boolean }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState("");
  const field = useRef<HTMLTextAreaElement>(null);
  const update = useUpdateRenewal();
  const note = renewal.owner_notes ?? "";

  useEffect(() => {
    if (editing) field.current?.focus();
  }, [editing]);

  if (!canEdit) {
    return note ? (
      <span className="renewal-note" title={note}>
        {note}
      </span>
    ) : (
      <span className="muted">{DASH}</span>
    );
  }

  if (!editing) {
    return (
      <button
        type="button"
        className={note ? "renewal-note-btn" : "renewal-note-btn muted"}
        title={note || undefined}
        aria-label={`${note ? "Edit" : "Add"} notes for ${renewal.account_name}`}
        onClick={() => {
          setDraft(note);
          update.reset();
          setEditing(true);
        }}
      >
        {note || "Add note"}
      </button>
    );
  }

  const save = () => {
    const next = draft.trim();
    if (next === note) {
      setEditing(false);
      return;
    }
    update.mutate(
      { id: renewal.id, body: { owner_notes: next || null } },
      { onSuccess: () => setEditing(false) },
    );
  };

  return (
    <form
      className="renewal-note-form"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <textarea
        ref={field}
        className="input renewal-note-input"
        aria-label={`Notes for ${renewal.account_name}`}
        value={draft}
        maxLength={MAX_NOTES}
        rows={2}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") setEditing(false);
          if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) save();
        }}
      />
      <div className="renewal-note-actions">
        <button type="submit" className="btn btn-sm btn-primary" disabled={update.isPending}>
          {update.isPending ? "Saving…" : "Save"}
        </button>
        <button type="button" className="btn btn-sm btn-ghost" onClick={() => setEditing(false)}>
          Cancel
        </button>
      </div>
      {update.isError ? (
        <span className="field-error small" role="alert">
          {errorMessage(update.error)}
        </span>
      ) : null}
    </form>
  );
}
