import { type FormEvent, useState } from "react";
import { formatDate, formatInteger, formatUtcDateTime } from "../../lib/format";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { ProblemAlert } from "../../ui/ProblemAlert";
import { EmptyState } from "../../ui/states";
import { useMe } from "../auth/queries";
import { accountAccess } from "./access";
import { PictureCard } from "./PictureCard";
import { type NoteView, useAddNote, useDeleteNote } from "./queries";

const SHOWN = 5;

function AddNoteForm({
  accountId,
  disabledReason,
}: {
  accountId: string;
  /** The caller may not change this account: the form is disabled and says why. */
  disabledReason: string | undefined;
}) {
  const add = useAddNote(accountId);
  const [body, setBody] = useState("");
  const text = body.trim();
  const locked = disabledReason !== undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (locked || !text || add.isPending) return;
    add.mutate(text, { onSuccess: () => setBody("") });
  };

  return (
    <form className="picture-form picture-note-form" aria-label="Add note" onSubmit={submit}>
      <textarea
        className="input picture-note-input"
        aria-label="Note"
        placeholder="What happened, what you agreed, what to watch…"
        rows={3}
        maxLength={10_000}
        disabled={locked}
        title={disabledReason}
        value={body}
        onChange={(e) => setBody(e.target.value)}
      />
      <button
        type="submit"
        className="btn btn-primary btn-sm"
        disabled={locked || !text || add.isPending}
        title={disabledReason}
      >
        {add.isPending ? "Adding…" : "Add note"}
      </button>
      {add.isError ? <ProblemAlert error={add.error} title="Couldn't add the note" /> : null}
    </form>
  );
}

function DeleteNoteDialog({
  accountId,
  note,
  onClose,
}: {
  accountId: string;
  note: NoteView;
  onClose: () => void;
}) {
  const remove = useDeleteNote(accountId);
  return (
    <ConfirmDialog
      title="Delete note"
      confirmLabel="Delete"
      busyLabel="Deleting…"
      busy={remove.isPending}
      error={remove.error}
      onConfirm={() => remove.mutate(note.id, { onSuccess: onClose })}
      onClose={onClose}
    >
      <p className="dialog-lead">Delete your note of {formatDate(note.created_at)}?</p>
      <blockquote className="picture-note-quote">{note.body}</blockquote>
    </ConfirmDialog>
  );
}

/** The team's notes on the account, newest first; add one, delete your own. */
export function NotesCard({ accountId }: { accountId: string }) {
  const me = useMe();
  const [showAll, setShowAll] = useState(false);
  const [deleting, setDeleting] = useState<NoteView | null>(null);
  return (
    <PictureCard
      accountId={accountId}
      id="notes"
      title="Notes"
      aside={(a) => <span className="muted">{formatInteger(a.notes.length)}</span>}
    >
      {(a) => {
        const shown = showAll ? a.notes : a.notes.slice(0, SHOWN);
        const { work, reason } = accountAccess(me.data?.role, a);
        return (
          <>
            {work ? <AddNoteForm accountId={accountId} disabledReason={reason} /> : null}
            {a.notes.length === 0 ? (
              <EmptyState title="No notes yet">
                Notes keep the context a CSM needs: decisions, promises, people.
              </EmptyState>
            ) : (
              <ul className="picture-list" aria-label="Notes">
                {shown.map((note) => (
                  <li key={note.id} className="picture-note" data-testid="note">
                    <div className="picture-note-head">
                      <strong>{note.author ?? "Unknown author"}</strong>
                      <span className="muted small" title={formatUtcDateTime(note.created_at)}>
                        {formatDate(note.created_at)}
                      </span>
                      {work && me.data && note.author_id === me.data.id ? (
                        <button
                          type="button"
                          className="btn btn-ghost btn-sm picture-note-delete"
                          aria-label={`Delete note of ${formatDate(note.created_at)}`}
                          disabled={reason !== undefined}
                          title={reason}
                          onClick={() => setDeleting(note)}
                        >
                          Delete
                        </button>
                      ) : null}
                    </div>
                    <p className="picture-note-body">{note.body}</p>
                  </li>
                ))}
              </ul>
            )}
            {a.notes.length > SHOWN ? (
              <div className="picture-more">
                <button
                  type="button"
                  className="btn btn-ghost btn-sm"
                  onClick={() => setShowAll((v) => !v)}
                >
                  {showAll ? "Show fewer" : `Show all ${formatInteger(a.notes.length)}`}
                </button>
              </div>
            ) : null}
            {deleting ? (
              <DeleteNoteDialog
                accountId={accountId}
                note={deleting}
                onClose={() => setDeleting(null)}
              />
            ) : null}
          </>
        );
      }}
    </PictureCard>
  );
}
