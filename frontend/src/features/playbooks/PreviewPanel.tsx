import type { UseQueryResult } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { daysBetween, formatDate, formatRelativeDays } from "../../lib/format";
import { ProblemAlert } from "../../ui/ProblemAlert";
import { EmptyState, LoadingBlock } from "../../ui/states";
import { AccountPicker } from "./AccountPicker";
import { describePath, type FieldErrors, fieldErrorsOf } from "./draft";
import type { AccountSummary, DraftTask, PlayPreview } from "./queries";
import { assigneeLabel } from "./triggers";

function ErrorList({ errors }: { errors: FieldErrors }) {
  return (
    <ul className="alert-list">
      {[...errors].map(([path, messages]) => (
        <li key={path}>
          {describePath(path)}: {messages.join(" ")}
        </li>
      ))}
    </ul>
  );
}

/** Who a task goes to, by name, and the role that picked them: "Dana Lee (Owner's lead)". */
function Assignee({ task }: { task: DraftTask }) {
  const role = assigneeLabel(task.assignee_role);
  return task.assignee_name ? (
    <>
      <span className="pb-preview-assignee" data-testid="preview-assignee">
        {task.assignee_name}
      </span>{" "}
      ({role})
    </>
  ) : (
    <>
      <span
        className="pb-preview-assignee is-unassigned"
        data-testid="preview-assignee"
        title="Nobody holds this role for the account: the task is created without an assignee."
      >
        Unassigned
      </span>{" "}
      ({role})
    </>
  );
}

/** "To: Dana Whitfield <dana@acme.example>", or the address alone, or a note that there is none. */
function Recipient({ email }: { email: NonNullable<PlayPreview["email"]> }) {
  const name = email.to_name?.trim();
  const address = email.to?.trim();
  let who: ReactNode;
  if (address) who = name ? `${name} <${address}>` : address;
  else if (name) who = name;
  return (
    <div className="pb-email-to" data-testid="preview-to">
      <span className="muted">To:</span>{" "}
      {who ?? <span className="muted">no contact with an email on record</span>}
    </div>
  );
}

function Rendered({ preview, today }: { preview: PlayPreview; today: string }) {
  return (
    <>
      <section className="pb-preview-part" aria-label="Tasks in the preview">
        <h3 className="pb-preview-title">Tasks</h3>
        {preview.tasks.length ? (
          <ol className="pb-preview-tasks" data-testid="preview-tasks">
            {preview.tasks.map((task, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the play's steps, in order; titles may repeat
              <li key={i} data-testid="preview-task">
                <span className="pb-preview-task-title">{task.title}</span>
                <span className="pb-preview-task-meta">
                  Due {formatDate(task.due_date)}
                  {(() => {
                    const rel = formatRelativeDays(daysBetween(today, task.due_date));
                    return rel ? ` (${rel})` : "";
                  })()} · <Assignee task={task} />
                </span>
              </li>
            ))}
          </ol>
        ) : (
          <p className="muted small">No tasks.</p>
        )}
      </section>
      <section className="pb-preview-part" aria-label="Email in the preview">
        <h3 className="pb-preview-title">Email</h3>
        {preview.email ? (
          <div className="pb-email" data-testid="preview-email">
            <Recipient email={preview.email} />
            <div className="pb-email-subject">
              <span className="muted">Subject:</span>{" "}
              <strong data-testid="preview-subject">
                {preview.email.subject || "(no subject)"}
              </strong>
            </div>
            <div className="pb-email-body" data-testid="preview-body">
              {preview.email.body}
            </div>
          </div>
        ) : (
          <p className="muted small">This play drafts no email (the body template is empty).</p>
        )}
      </section>
    </>
  );
}

/**
 * The unsaved definition rendered on a real account: the tasks with their due dates and the
 * email, refreshed a moment after each edit.
 */
export function PreviewPanel({
  preview,
  blockers,
  accountName,
  accountsState,
  currency,
  today,
  onPickAccount,
}: {
  preview: UseQueryResult<PlayPreview>;
  /** Problems the editor found itself: no request is sent until they are fixed. */
  blockers: FieldErrors;
  accountName: string;
  /** "ready" once an account is chosen; "loading" while the book's first account loads. */
  accountsState: "ready" | "loading" | "none" | { error: unknown; retry: () => void };
  currency: string;
  today: string;
  onPickAccount: (account: AccountSummary) => void;
}) {
  // The last preview that rendered stays (dimmed) under an error, for reference.
  const [lastGood, setLastGood] = useState<PlayPreview | null>(null);
  if (preview.data && preview.data !== lastGood) setLastGood(preview.data);

  const fieldErrors = preview.error ? fieldErrorsOf(preview.error) : null;
  let body: ReactNode;
  if (accountsState === "loading") {
    body = <LoadingBlock lines={5} label="Loading accounts" />;
  } else if (accountsState === "none") {
    body = (
      <EmptyState title="No accounts to preview on">
        Import accounts (or connect a source) to see a play rendered with real numbers.
      </EmptyState>
    );
  } else if (typeof accountsState === "object") {
    body = (
      <div className="card-body">
        <ProblemAlert error={accountsState.error} title="Couldn't load the accounts" />
        <button type="button" className="btn btn-sm pb-retry" onClick={accountsState.retry}>
          Retry
        </button>
      </div>
    );
  } else {
    const stale = preview.isPlaceholderData || blockers.size > 0 || preview.isError;
    const shown = preview.data ?? (blockers.size > 0 || preview.isError ? lastGood : null);
    body = (
      <div className="card-body pb-preview-body">
        {blockers.size ? (
          <div className="alert alert-info" role="status">
            The preview updates once these are fixed:
            <ErrorList errors={blockers} />
          </div>
        ) : preview.isError ? (
          fieldErrors?.size ? (
            <div className="alert alert-error" role="alert" data-testid="preview-error">
              <strong>Couldn't render the preview:</strong> fix the highlighted fields.
              <ErrorList errors={fieldErrors} />
            </div>
          ) : (
            <div data-testid="preview-error">
              <ProblemAlert error={preview.error} title="Couldn't render the preview" />
              <button
                type="button"
                className="btn btn-sm pb-retry"
                onClick={() => void preview.refetch()}
              >
                Retry
              </button>
            </div>
          )
        ) : null}
        {shown ? (
          <div className={stale ? "pb-preview-result is-busy" : "pb-preview-result"}>
            <Rendered preview={shown} today={today} />
          </div>
        ) : preview.isPending && !blockers.size ? (
          <LoadingBlock lines={6} label="Rendering the preview" />
        ) : null}
      </div>
    );
  }

  return (
    <section className="card pb-preview" aria-labelledby="pb-preview-heading">
      <div className="card-header pb-preview-header">
        <h2 id="pb-preview-heading">
          Live preview
          {preview.isFetching ? (
            <span className="muted small pb-updating" aria-live="polite">
              {" "}
              updating…
            </span>
          ) : null}
        </h2>
        <AccountPicker name={accountName} currency={currency} onPick={onPickAccount} />
      </div>
      {body}
    </section>
  );
}
