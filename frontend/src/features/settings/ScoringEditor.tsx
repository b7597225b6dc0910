import { type FormEvent, useMemo, useRef, useState } from "react";
import { ProblemAlert } from "../../ui/ProblemAlert";
import { ConfigForm } from "./ConfigForm";
import {
  cloneBody,
  type Draft,
  type DraftProblem,
  describePath,
  draftProblems,
  fieldErrorsOf,
  problemErrors,
} from "./draft";
import { FieldErrorsProvider } from "./fields";
import { PreviewResult } from "./PreviewResult";
import { type ConfigDetail, useCreateVersion, usePreviewConfig } from "./queries";
import { SavedVersionNotice } from "./SavedVersionNotice";

/** Why Save waits: the first problem in the form's order, and how many more there are. */
export function blockedReason(
  problems: DraftProblem[],
  definitions: Parameters<typeof describePath>[1],
): string {
  const [first, ...rest] = problems;
  if (!first) return "";
  const message = first.message.replace(/^./, (c) => c.toLowerCase());
  const more = rest.length ? ` (and ${rest.length} more)` : "";
  return `Can't save yet: ${describePath(first.path, definitions)}: ${message}${more}`;
}

/**
 * The config editor, started from one version (`initial`): edit, preview the impact on
 * today's scores, save as a new version, then activate it. Read-only for non-admins.
 */
export function ScoringEditor({
  initial,
  readOnly,
  currency,
  onActivate,
}: {
  initial: ConfigDetail;
  readOnly: boolean;
  currency: string;
  onActivate: (version: number) => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => cloneBody(initial.body));
  const [name, setName] = useState("");
  const preview = usePreviewConfig();
  const create = useCreateVersion();
  const previewRef = useRef<HTMLDivElement>(null);

  const dirty = useMemo(
    () => JSON.stringify(draft) !== JSON.stringify(initial.body),
    [draft, initial.body],
  );
  // What the server would refuse, found as the user types: Save and Preview wait for it.
  const problems = useMemo(() => draftProblems(draft), [draft]);
  const invalid = problems.length > 0;
  // The latest failed request's field errors, shown next to the fields.
  const failed = create.isError ? create.error : preview.isError ? preview.error : null;
  const fieldErrors = useMemo(() => fieldErrorsOf(failed), [failed]);
  // Fields are marked with the draft's problems and the server's errors alike.
  const marked = useMemo(() => {
    const out = problemErrors(problems);
    for (const [path, messages] of fieldErrors)
      out.set(path, [...(out.get(path) ?? []), ...messages]);
    return out;
  }, [problems, fieldErrors]);
  const busy = preview.isPending || create.isPending;

  const change = (next: Draft) => {
    setDraft(next);
    // Results and errors describe the previous draft.
    if (preview.data || preview.isError) preview.reset();
    if (create.isError) create.reset();
  };

  const runPreview = () => {
    create.reset();
    preview.mutate(draft, {
      onSuccess: () =>
        window.requestAnimationFrame(() =>
          previewRef.current?.scrollIntoView?.({ behavior: "smooth", block: "start" }),
        ),
    });
  };

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (readOnly || busy || invalid || !dirty) return;
    preview.reset();
    create.mutate({ name: name.trim() || null, body: draft });
  };

  const saved = create.data;

  return (
    <FieldErrorsProvider errors={marked}>
      <form
        className="card config-editor"
        aria-labelledby="editor-title"
        onSubmit={save}
        noValidate
      >
        <div className="card-header">
          <h2 id="editor-title">
            {readOnly ? "Config" : "Editor"}{" "}
            <span className="muted small">
              from v{initial.version}
              {initial.name ? ` · ${initial.name}` : ""}
              {initial.is_active ? " (active)" : ""}
            </span>
          </h2>
          {dirty && !readOnly ? (
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              onClick={() => {
                change(cloneBody(initial.body));
              }}
            >
              Discard changes
            </button>
          ) : null}
        </div>
        {readOnly ? (
          <p className="card-body alert alert-info" style={{ margin: 16 }}>
            Only admins can change the scoring config; you can see every setting.
          </p>
        ) : null}
        <div className="card-body">
          <ConfigForm
            draft={draft}
            definitions={initial.definitions}
            readOnly={readOnly}
            onChange={change}
          />
        </div>
        {readOnly ? null : (
          <div className="editor-actions">
            {failed ? (
              fieldErrors.size ? (
                <div className="alert alert-error" role="alert">
                  <strong>{create.isError ? "Couldn't save" : "Couldn't preview"}:</strong> fix the
                  highlighted fields.
                  <ul className="alert-list">
                    {[...fieldErrors].map(([path, messages]) => (
                      <li key={path}>
                        {describePath(path, initial.definitions)}: {messages.join(" ")}
                      </li>
                    ))}
                  </ul>
                </div>
              ) : (
                <ProblemAlert
                  error={failed}
                  title={create.isError ? "Couldn't save" : "Couldn't preview"}
                />
              )
            ) : null}
            {saved ? <SavedVersionNotice version={saved.version} onActivate={onActivate} /> : null}
            <div className="editor-buttons">
              <button type="button" className="btn" onClick={runPreview} disabled={busy || invalid}>
                {preview.isPending ? "Previewing…" : "Preview impact"}
              </button>
              <div className="toolbar-spacer" />
              <input
                className="input"
                aria-label="Version name"
                placeholder="Name of the new version"
                maxLength={200}
                value={name}
                onChange={(e) => setName(e.target.value)}
              />
              <button
                type="submit"
                className="btn btn-primary"
                disabled={busy || invalid || !dirty}
                aria-describedby={invalid ? "save-blocked" : undefined}
                title={invalid ? undefined : dirty ? undefined : "Change something first"}
              >
                {create.isPending ? "Saving…" : "Save as new version"}
              </button>
            </div>
            {invalid ? (
              <p className="field-error save-blocked" id="save-blocked" role="status">
                {blockedReason(problems, initial.definitions)}
              </p>
            ) : null}
          </div>
        )}
      </form>
      <div ref={previewRef} className="preview-anchor">
        {preview.data ? <PreviewResult preview={preview.data} currency={currency} /> : null}
      </div>
    </FieldErrorsProvider>
  );
}
