import { getRouteApi, useBlocker } from "@tanstack/react-router";
import { type FormEvent, type RefObject, useEffect, useId, useMemo, useRef, useState } from "react";
import { Dialog } from "../../ui/Dialog";
import { Pill } from "../../ui/Pill";
import { ProblemAlert } from "../../ui/ProblemAlert";
import {
  blankDraft,
  changedFields,
  type Draft,
  definitionOf,
  describePath,
  type FieldErrors,
  fieldErrorsOf,
  fromPlaybook,
  localErrors,
  toDefinition,
  uniqueKey,
} from "./draft";
import { FieldErrorsProvider, useFieldError } from "./fields";
import { PreviewPanel } from "./PreviewPanel";
import {
  type AccountSummary,
  type Playbook,
  useCreatePlaybook,
  usePlayPreview,
  useUpdatePlaybook,
} from "./queries";
import { StepsEditor } from "./StepsEditor";
import type { PlaybooksSearch } from "./searchState";
import { TemplateReference } from "./TemplateReference";
import { TriggerFields } from "./TriggerFields";
import { useDebounced } from "./useDebounced";

const route = getRouteApi("/_app/playbooks");

/** How long the preview waits after the last edit. */
export const PREVIEW_DEBOUNCE_MS = 400;

type TemplateField = "email_subject_template" | "email_body_template";

function merge(...sources: FieldErrors[]): FieldErrors {
  const out: FieldErrors = new Map();
  for (const source of sources) {
    for (const [path, messages] of source) {
      const known = out.get(path) ?? [];
      out.set(path, [...known, ...messages.filter((m) => !known.includes(m))]);
    }
  }
  return out;
}

function TextField({
  label,
  path,
  value,
  readOnly,
  onChange,
  onBlur,
  placeholder,
  maxLength,
  hint,
}: {
  label: string;
  path: string;
  value: string;
  readOnly: boolean;
  onChange: (value: string) => void;
  onBlur?: () => void;
  placeholder?: string;
  maxLength: number;
  hint?: string;
}) {
  const id = useId();
  const error = useFieldError(path);
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className="input"
        value={value}
        readOnly={readOnly}
        placeholder={placeholder}
        maxLength={maxLength}
        onChange={(e) => onChange(e.target.value)}
        onBlur={onBlur}
        {...error.inputProps}
      />
      {error.message}
      {hint ? <span className="field-hint">{hint}</span> : null}
    </div>
  );
}

function KeyLine({ value, isNew }: { value: string; isNew: boolean }) {
  const error = useFieldError("key");
  return (
    <div className="pb-key">
      <span className="muted small">
        Key <code data-testid={isNew ? "new-key" : "key"}>{value || "—"}</code>
        {isNew ? " (from the name)" : ""}
      </span>
      {error.message}
    </div>
  );
}

/**
 * One play being edited (or a new one): the form, its live preview on the chosen account, and
 * Save / Discard. Leaving with unsaved changes asks first. Read-only for roles that may not
 * define plays.
 */
export function PlaybookEditor({
  playbook,
  selection,
  defaultSelection,
  takenKeys,
  readOnly,
  accountId,
  accountName,
  accountsState,
  currency,
  today,
  onPickAccount,
}: {
  /** The saved play; null for a new one. */
  playbook: Playbook | null;
  /** What the URL selects for this editor: the play's id or NEW_PLAYBOOK. */
  selection: string;
  /** The play shown when the URL names none. */
  defaultSelection: string;
  takenKeys: ReadonlySet<string>;
  readOnly: boolean;
  accountId: string;
  accountName: string;
  accountsState: "ready" | "loading" | "none" | { error: unknown; retry: () => void };
  currency: string;
  today: string;
  onPickAccount: (account: AccountSummary) => void;
}) {
  const navigate = route.useNavigate();
  const [initial] = useState<Draft>(() => (playbook ? fromPlaybook(playbook) : blankDraft()));
  const [draft, setDraft] = useState<Draft>(initial);
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  const [attempted, setAttempted] = useState(false);
  const [savedNotice, setSavedNotice] = useState(false);
  const create = useCreatePlaybook();
  const update = useUpdatePlaybook(playbook?.id ?? "");
  const isNew = playbook === null;

  const baseline = useMemo(
    () => JSON.stringify(playbook ? definitionOf(playbook) : toDefinition(initial)),
    [playbook, initial],
  );
  const definition = useMemo(() => toDefinition(draft), [draft]);
  const definitionJson = useMemo(() => JSON.stringify(definition), [definition]);
  const dirty = definitionJson !== baseline;
  const local = useMemo(() => localErrors(draft), [draft]);
  const key = isNew ? uniqueKey(draft.name, takenKeys) : (playbook?.key ?? "");

  // The preview needs no name; anything else the editor can see is wrong holds it back.
  const blockers = useMemo(() => new Map([...local].filter(([path]) => path !== "name")), [local]);
  const previewJson = useMemo(
    () =>
      blockers.size
        ? null
        : JSON.stringify({ ...definition, name: definition.name || "Untitled play" }),
    [blockers, definition],
  );
  const settledJson = useDebounced(previewJson, PREVIEW_DEBOUNCE_MS);
  const preview = usePlayPreview(accountId, settledJson);

  const saveError = create.error ?? update.error;
  const fieldErrors = useMemo(() => {
    const shownLocal = new Map(
      [...local].filter(([path]) => attempted || touched.has(path) || path !== "name"),
    );
    // A preview error is about the definition it rendered: shown while that is still the draft.
    const previewErrors =
      preview.isError && settledJson === previewJson ? fieldErrorsOf(preview.error) : new Map();
    return merge(shownLocal, fieldErrorsOf(saveError), previewErrors);
  }, [
    local,
    attempted,
    touched,
    preview.isError,
    preview.error,
    settledJson,
    previewJson,
    saveError,
  ]);

  // Guard: leaving this play (another play, another page) with unsaved changes asks first.
  const bypass = useRef(false);
  const dirtyRef = useRef(dirty);
  useEffect(() => {
    dirtyRef.current = dirty && !readOnly;
  });
  const blocker = useBlocker({
    shouldBlockFn: ({ current, next }) => {
      if (!dirtyRef.current || bypass.current) return false;
      if (next.pathname !== current.pathname) return true;
      const target = (next.search as PlaybooksSearch).playbook || defaultSelection;
      return target !== selection;
    },
    enableBeforeUnload: () => dirtyRef.current && !bypass.current,
    withResolver: true,
  });

  const change = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setSavedNotice(false);
    if (create.isError) create.reset();
    if (update.isError) update.reset();
  };
  const touch = (path: string) => setTouched((t) => (t.has(path) ? t : new Set([...t, path])));

  // Variables from the reference go where the cursor was in the subject or the body.
  const subjectRef = useRef<HTMLInputElement>(null);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const lastTemplate = useRef<TemplateField>("email_body_template");
  const insert = (text: string) => {
    const field = lastTemplate.current;
    const el = field === "email_subject_template" ? subjectRef.current : bodyRef.current;
    const value = draft[field];
    const start = el?.selectionStart ?? value.length;
    const end = el?.selectionEnd ?? start;
    change({ [field]: value.slice(0, start) + text + value.slice(end) });
    window.requestAnimationFrame(() => {
      if (!el) return;
      el.focus();
      el.setSelectionRange(start + text.length, start + text.length);
    });
  };

  const busy = create.isPending || update.isPending;
  const save = (event: FormEvent) => {
    event.preventDefault();
    if (readOnly || busy || !dirty) return;
    if (local.size) {
      setAttempted(true);
      return;
    }
    if (playbook) {
      update.mutate(changedFields(playbook, definition), {
        onSuccess: (saved) => {
          setDraft(fromPlaybook(saved));
          setAttempted(false);
          setTouched(new Set());
          setSavedNotice(true);
        },
      });
    } else {
      create.mutate(
        { ...definition, key },
        {
          onSuccess: (created) => {
            bypass.current = true;
            void navigate({
              search: (prev) => ({ ...prev, playbook: created.id }),
              replace: true,
            });
          },
        },
      );
    }
  };
  const discard = () => {
    if (isNew) {
      bypass.current = true;
      void navigate({ search: (prev) => ({ ...prev, playbook: undefined }) });
      return;
    }
    if (playbook) setDraft(fromPlaybook(playbook));
    setAttempted(false);
    setTouched(new Set());
    create.reset();
    update.reset();
  };

  const saveFieldErrors = fieldErrorsOf(saveError);
  const descId = useId();
  const bodyId = useId();
  const subjectError = useFieldError("email_subject_template");
  const title = isNew ? draft.name.trim() || "New playbook" : (playbook?.name ?? "");

  return (
    <FieldErrorsProvider errors={fieldErrors}>
      <div className="pb-work">
        <form
          className="card pb-editor"
          aria-labelledby="pb-editor-title"
          onSubmit={save}
          noValidate
          data-testid="playbook-editor"
        >
          <div className="card-header pb-editor-header">
            <div className="pb-editor-heading">
              <h2 id="pb-editor-title">{title}</h2>
              <div className="pb-editor-pills">
                {playbook?.is_builtin ? <Pill>Built-in</Pill> : null}
                {isNew ? <Pill tone="accent">New</Pill> : null}
                {draft.is_active ? (
                  <Pill tone="green">Active</Pill>
                ) : (
                  <Pill tone="neutral">Inactive</Pill>
                )}
                {dirty && !readOnly ? (
                  <Pill tone="amber" title="Changes not saved yet">
                    Unsaved
                  </Pill>
                ) : null}
              </div>
            </div>
          </div>
          {readOnly ? (
            <p className="alert alert-info pb-readonly" data-testid="readonly-note">
              Only admins and leaders can change playbooks. You can see every setting and preview
              the play on any account.
            </p>
          ) : null}
          <div className="card-body pb-form">
            <div className="pb-section">
              <TextField
                label="Name"
                path="name"
                value={draft.name}
                readOnly={readOnly}
                maxLength={200}
                placeholder="e.g. Onboarding stall rescue"
                onChange={(name) => change({ name })}
                onBlur={() => touch("name")}
              />
              <KeyLine value={key} isNew={isNew} />
              <div className="field">
                <label className="field-label" htmlFor={descId}>
                  Description
                </label>
                <textarea
                  id={descId}
                  className="input pb-textarea"
                  rows={2}
                  maxLength={2000}
                  value={draft.description}
                  readOnly={readOnly}
                  placeholder="When to run it and what it achieves"
                  onChange={(e) => change({ description: e.target.value })}
                />
              </div>
            </div>

            <TriggerFields draft={draft} readOnly={readOnly} onChange={change} />

            <StepsEditor
              steps={draft.steps}
              readOnly={readOnly}
              onChange={(steps) => change({ steps })}
            />

            <fieldset className="pb-section" data-testid="email-fields">
              <legend className="pb-section-title">
                Email <span className="muted small">drafted for the CSM to send</span>
              </legend>
              <div className="field">
                <label className="field-label" htmlFor={`${bodyId}-subject`}>
                  Subject template
                </label>
                <input
                  id={`${bodyId}-subject`}
                  ref={subjectRef}
                  className="input pb-code"
                  value={draft.email_subject_template}
                  readOnly={readOnly}
                  maxLength={500}
                  onFocus={() => {
                    lastTemplate.current = "email_subject_template";
                  }}
                  onChange={(e) => change({ email_subject_template: e.target.value })}
                  {...subjectError.inputProps}
                />
                {subjectError.message}
              </div>
              <BodyField
                id={bodyId}
                textareaRef={bodyRef}
                value={draft.email_body_template}
                readOnly={readOnly}
                onFocus={() => {
                  lastTemplate.current = "email_body_template";
                }}
                onChange={(email_body_template) => change({ email_body_template })}
              />
              <TemplateReference onInsert={readOnly ? undefined : insert} />
            </fieldset>

            <div className="pb-section">
              <label className="check">
                <input
                  type="checkbox"
                  checked={draft.is_active}
                  disabled={readOnly}
                  onChange={(e) => change({ is_active: e.target.checked })}
                />
                <span>
                  Active
                  <span className="field-hint">
                    Inactive plays are neither suggested nor started by their trigger.
                  </span>
                </span>
              </label>
            </div>
          </div>

          {readOnly ? null : (
            <div className="editor-actions">
              {saveError ? (
                saveFieldErrors.size ? (
                  <div className="alert alert-error" role="alert">
                    <strong>Couldn't save:</strong> fix the highlighted fields.
                    <ul className="alert-list">
                      {[...saveFieldErrors].map(([path, messages]) => (
                        <li key={path}>
                          {describePath(path)}: {messages.join(" ")}
                        </li>
                      ))}
                    </ul>
                  </div>
                ) : (
                  <ProblemAlert error={saveError} title="Couldn't save" />
                )
              ) : null}
              {attempted && local.size ? (
                <p className="field-error" role="alert">
                  Fix the highlighted fields first.
                </p>
              ) : null}
              {savedNotice && !dirty ? (
                <output className="notice pb-saved" data-testid="saved-notice">
                  Saved. New runs use these steps and templates.
                </output>
              ) : null}
              <div className="editor-buttons">
                <div className="toolbar-spacer" />
                <button
                  type="button"
                  className="btn"
                  onClick={discard}
                  disabled={busy || (!dirty && !isNew)}
                >
                  {isNew ? "Cancel" : "Discard changes"}
                </button>
                <button
                  type="submit"
                  className="btn btn-primary"
                  disabled={busy || !dirty}
                  title={dirty ? undefined : "Change something first"}
                >
                  {busy ? "Saving…" : isNew ? "Create playbook" : "Save"}
                </button>
              </div>
            </div>
          )}
        </form>

        <aside className="pb-preview-col" aria-label="Preview">
          <PreviewPanel
            preview={preview}
            blockers={blockers}
            accountName={accountName}
            accountsState={accountsState}
            currency={currency}
            today={today}
            onPickAccount={onPickAccount}
          />
        </aside>
      </div>

      {blocker.status === "blocked" ? (
        <Dialog
          title="Discard unsaved changes?"
          onClose={() => blocker.reset()}
          footer={
            <>
              <button type="button" className="btn" onClick={() => blocker.reset()}>
                Keep editing
              </button>
              <button type="button" className="btn btn-primary" onClick={() => blocker.proceed()}>
                Discard changes
              </button>
            </>
          }
        >
          <p className="dialog-lead">
            {isNew ? "The new playbook has" : `${playbook?.name ?? "This play"} has`} changes that
            are not saved. Leave and lose them?
          </p>
        </Dialog>
      ) : null}
    </FieldErrorsProvider>
  );
}

function BodyField({
  id,
  textareaRef,
  value,
  readOnly,
  onFocus,
  onChange,
}: {
  id: string;
  textareaRef: RefObject<HTMLTextAreaElement | null>;
  value: string;
  readOnly: boolean;
  onFocus: () => void;
  onChange: (value: string) => void;
}) {
  const error = useFieldError("email_body_template");
  // Enough rows for the template at about 70 characters a line, within 8–20.
  const lines = value
    .split("\n")
    .reduce((n, line) => n + Math.max(1, Math.ceil(line.length / 70)), 0);
  const rows = Math.min(20, Math.max(8, lines + 1));
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        Body template
      </label>
      <textarea
        id={id}
        ref={textareaRef}
        className="input pb-textarea pb-code"
        rows={rows}
        maxLength={20_000}
        spellCheck={false}
        value={value}
        readOnly={readOnly}
        placeholder="Leave empty for a play without an email"
        onFocus={onFocus}
        onChange={(e) => onChange(e.target.value)}
        {...error.inputProps}
      />
      {error.message}
    </div>
  );
}
