import { Link } from "@tanstack/react-router";
import { type ReactNode, useEffect, useId, useRef, useState } from "react";
import { ApiError } from "../../api/errors";
import { formatDate, formatInteger } from "../../lib/format";
import { ProblemAlert } from "../../ui/ProblemAlert";
import { ErrorState, LoadingBlock } from "../../ui/states";
import { type QueueItem, type SuggestedPlay, useAccountRuns, useStartPlay } from "./queries";
import { TaskList } from "./TaskList";

type CopyState = "idle" | "copied" | "failed";

/** Copy with the Clipboard API; on plain http (no secure context) fall back to the selection. */
async function copyText(text: string, source: HTMLTextAreaElement | null): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Denied or unavailable: try the selection below.
  }
  if (!source) return false;
  source.focus();
  source.select();
  try {
    return document.execCommand("copy");
  } catch {
    return false;
  }
}

/** Enough rows for the whole draft at about 64 characters a line, within 5–16. */
function emailRows(body: string): number {
  const lines = body
    .split("\n")
    .reduce((n, line) => n + Math.max(1, Math.ceil(line.length / 64)), 0);
  return Math.min(16, Math.max(5, lines + 1));
}

function EmailDraft({ play }: { play: SuggestedPlay }) {
  const subjectId = useId();
  const bodyId = useId();
  const textarea = useRef<HTMLTextAreaElement>(null);
  const [copy, setCopy] = useState<CopyState>("idle");

  useEffect(() => {
    if (copy === "idle") return;
    const timer = window.setTimeout(() => setCopy("idle"), copy === "copied" ? 2000 : 6000);
    return () => window.clearTimeout(timer);
  }, [copy]);

  if (!play.email_body) {
    return <p className="muted small">This play drafts no email.</p>;
  }
  const body = play.email_body;
  return (
    <div className="email-draft">
      <label className="field" htmlFor={subjectId}>
        <span className="field-label">Subject</span>
        <input id={subjectId} className="input" readOnly value={play.email_subject ?? ""} />
      </label>
      <label className="field" htmlFor={bodyId}>
        <span className="field-label">Email</span>
        <textarea
          id={bodyId}
          ref={textarea}
          className="input email-body"
          readOnly
          rows={emailRows(body)}
          value={body}
        />
      </label>
      <div className="toolbar-inline">
        <button
          type="button"
          className="btn btn-sm"
          onClick={() => {
            void copyText(body, textarea.current).then((ok) => setCopy(ok ? "copied" : "failed"));
          }}
        >
          Copy email
        </button>
        {copy === "copied" ? (
          <output className="notice" aria-live="polite">
            Copied
          </output>
        ) : null}
        {copy === "failed" ? (
          <output className="muted small" aria-live="polite">
            Couldn't copy: select the text and press Ctrl+C.
          </output>
        ) : null}
      </div>
    </div>
  );
}

/**
 * The play the top alert triggers: its tasks, the drafted email, and Start play. Once started
 * (or when it already runs), the run's tasks are listed with checkboxes.
 */
export function PlayPanel({
  item,
  play,
  today,
  canWork,
}: {
  item: QueueItem;
  play: SuggestedPlay;
  today: string;
  canWork: boolean;
}) {
  const account = item.account;
  const start = useStartPlay();
  const conflict = start.error instanceof ApiError && start.error.status === 409;
  // Only fetched after a start or a conflict; a run cached earlier shows at once.
  const runs = useAccountRuns(account.id, start.isSuccess || conflict);
  const run =
    runs.data?.find((r) => r.id === start.data?.id) ??
    runs.data?.find((r) => r.status === "active" && r.playbook_id === play.playbook_id) ??
    start.data;
  const topAlert = item.alerts[0];

  let runBody: ReactNode = null;
  if (run) {
    runBody = (
      <div className="play-run">
        <div className="play-run-head">
          <span className="field-label">Tasks</span>
          <Link to="/accounts/$accountId" params={{ accountId: account.id }}>
            Open {account.name} →
          </Link>
        </div>
        {run.tasks?.length ? (
          <TaskList
            tasks={run.tasks}
            today={today}
            canEdit={canWork}
            label={`Tasks of ${play.name}`}
          />
        ) : (
          <p className="muted small">This run has no tasks.</p>
        )}
      </div>
    );
  } else if (conflict && runs.isPending) {
    runBody = <LoadingBlock lines={3} label="Loading the running play" />;
  } else if (conflict && runs.isError) {
    runBody = (
      <ErrorState
        title="Couldn't load the running play"
        error={runs.error}
        onRetry={() => void runs.refetch()}
      />
    );
  }

  return (
    <section className="play" aria-label="Suggested play">
      <div className="play-head">
        <h3 className="detail-title">Suggested play</h3>
        <strong data-testid="play-name">{play.name}</strong>
      </div>
      <div className="play-body">
        <div className="play-plan">
          {run ? null : (
            <ol className="play-steps" aria-label="Tasks this play creates">
              {play.tasks.map((title, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the play's steps, in order; titles may repeat
                <li key={i}>{title}</li>
              ))}
            </ol>
          )}
          {canWork && !run ? (
            <div className="toolbar-inline">
              <button
                type="button"
                className="btn btn-primary btn-sm"
                disabled={start.isPending}
                onClick={() =>
                  start.mutate({
                    playbookId: play.playbook_id,
                    accountId: account.id,
                    alertId: topAlert?.id ?? null,
                  })
                }
              >
                {start.isPending ? "Starting…" : "Start play"}
              </button>
              <span className="muted small">Creates the tasks; the email is yours to send.</span>
            </div>
          ) : null}
          {conflict ? (
            <p className="alert alert-info" role="status" data-testid="play-conflict">
              {play.name} is already running for {account.name}
              {run ? ` (since ${formatDate(run.started_at)})` : ""}, so it was not started again.
              {run ? " Its tasks are below." : ""}
            </p>
          ) : null}
          {run && !conflict && !start.isSuccess ? (
            <p className="muted small">Running since {formatDate(run.started_at)}.</p>
          ) : null}
          {start.isError && !conflict ? (
            <ProblemAlert error={start.error} title="Couldn't start the play" />
          ) : null}
          {start.isSuccess ? (
            <output className="notice" data-testid="play-started">
              Play started · {formatInteger(start.data.tasks?.length ?? 0)}{" "}
              {start.data.tasks?.length === 1 ? "task" : "tasks"} created
            </output>
          ) : null}
          {runBody}
        </div>
        <EmailDraft play={play} />
      </div>
    </section>
  );
}
