import { Link } from "@tanstack/react-router";
import { type ReactNode, useEffect, useId, useState } from "react";
import type { Schemas } from "../../api/client";
import { ApiError } from "../../api/errors";
import { formatDate, formatInteger } from "../../lib/format";
import { ProblemAlert } from "../../ui/ProblemAlert";
import { ErrorState, LoadingBlock } from "../../ui/states";
import {
  type PlaybookRun,
  type QueueItem,
  type SuggestedPlay,
  useAccountRuns,
  useStartPlay,
} from "./queries";
import { TaskList } from "./TaskList";

type CopyState = "idle" | "copied" | "failed";
type RunProgress = Schemas["RunProgress"];

/**
 * Copy with the Clipboard API; on plain http (no secure context) fall back to selecting the
 * text in a scratch field and the copy command.
 */
async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Denied or unavailable: try the selection below.
  }
  const scratch = document.createElement("textarea");
  scratch.value = text;
  scratch.setAttribute("readonly", "");
  scratch.style.position = "fixed";
  scratch.style.opacity = "0";
  const focused = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  document.body.appendChild(scratch);
  scratch.select();
  try {
    return document.execCommand("copy");
  } catch {
    return false;
  } finally {
    scratch.remove();
    focused?.focus();
  }
}

/** Enough rows for the whole draft at about 64 characters a line, within 5–16. */
function emailRows(body: string): number {
  const lines = body
    .split("\n")
    .reduce((n, line) => n + Math.max(1, Math.ceil(line.length / 64)), 0);
  return Math.min(16, Math.max(5, lines + 1));
}

/** "Dana Diaz <dana@globex.example>", or the address alone when no name is known. */
export function recipient(play: Pick<SuggestedPlay, "email_to" | "email_to_name">): string | null {
  if (!play.email_to) return null;
  const name = play.email_to_name?.trim();
  return name ? `${name} <${play.email_to}>` : play.email_to;
}

/** The draft as one text to paste into a mail client: To, Subject, a blank line, the body. */
export function emailText(play: SuggestedPlay): string {
  const head = [
    recipient(play) ? `To: ${recipient(play)}` : null,
    play.email_subject ? `Subject: ${play.email_subject}` : null,
  ].filter((line): line is string => line !== null);
  return head.length ? `${head.join("\n")}\n\n${play.email_body ?? ""}` : (play.email_body ?? "");
}

/**
 * A `mailto:` link with the draft filled in (RFC 6068): every part percent-encoded with
 * encodeURIComponent, the address's "@" kept as is, line breaks as CRLF.
 */
export function mailtoHref(play: SuggestedPlay): string {
  const to = play.email_to ? encodeURIComponent(play.email_to).replace(/%40/g, "@") : "";
  const fields: string[] = [];
  if (play.email_subject) fields.push(`subject=${encodeURIComponent(play.email_subject)}`);
  if (play.email_body) {
    fields.push(`body=${encodeURIComponent(play.email_body.replace(/\r?\n/g, "\r\n"))}`);
  }
  return `mailto:${to}${fields.length ? `?${fields.join("&")}` : ""}`;
}

function EmailDraft({ play }: { play: SuggestedPlay }) {
  const toId = useId();
  const subjectId = useId();
  const bodyId = useId();
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
  const to = recipient(play);
  return (
    <div className="email-draft">
      {to ? (
        <label className="field" htmlFor={toId}>
          <span className="field-label">To</span>
          <input
            id={toId}
            className="input"
            readOnly
            value={to}
            title={play.email_to ?? undefined}
            data-testid="email-to"
          />
        </label>
      ) : null}
      <label className="field" htmlFor={subjectId}>
        <span className="field-label">Subject</span>
        <input id={subjectId} className="input" readOnly value={play.email_subject ?? ""} />
      </label>
      <label className="field" htmlFor={bodyId}>
        <span className="field-label">Email</span>
        <textarea
          id={bodyId}
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
            void copyText(emailText(play)).then((ok) => setCopy(ok ? "copied" : "failed"));
          }}
        >
          Copy email
        </button>
        <a className="btn btn-sm btn-ghost" href={mailtoHref(play)} data-testid="mailto">
          Open in mail app
        </a>
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

interface Progress {
  startedAt: string;
  done: number;
  total: number;
  nextTask: string | null;
  nextDue: string | null;
}

/** How far the run is: from its tasks once loaded (ticking one shows at once), else the queue's. */
function progressOf(running: RunProgress | null, run: PlaybookRun | undefined): Progress | null {
  if (run?.tasks) {
    const tasks = run.tasks.filter((t) => t.status !== "cancelled");
    const open = tasks
      .filter((t) => t.status === "open")
      .sort((a, b) => (a.due_date ?? "9999").localeCompare(b.due_date ?? "9999"));
    return {
      startedAt: run.started_at,
      done: tasks.filter((t) => t.status === "done").length,
      total: tasks.length,
      nextTask: open[0]?.title ?? null,
      nextDue: open[0]?.due_date ?? null,
    };
  }
  if (running) {
    return {
      startedAt: running.started_at,
      done: running.tasks_done,
      total: running.tasks_total,
      nextTask: running.next_task,
      nextDue: running.next_due,
    };
  }
  return null;
}

/** "Running since Jan 14, 2026 · 2 of 4 tasks done · next: Call the sponsor (due Jan 17, 2026)". */
export function progressText(p: Progress): string {
  const parts = [
    `Running since ${formatDate(p.startedAt)}`,
    `${formatInteger(p.done)} of ${formatInteger(p.total)} ${p.total === 1 ? "task" : "tasks"} done`,
  ];
  if (p.nextTask) {
    parts.push(`next: ${p.nextTask}${p.nextDue ? ` (due ${formatDate(p.nextDue)})` : ""}`);
  } else if (p.total > 0 && p.done >= p.total) {
    parts.push("every task done");
  }
  return parts.join(" · ");
}

/**
 * The play the top alert triggers: its tasks, the drafted email, and Start play. A play already
 * running on the account shows how far it is and its tasks with checkboxes instead; so does one
 * just started (or found running when the start was refused with a 409).
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
  const running = play.running ?? null;
  const runningId = running?.run_id ?? play.running_run_id ?? null;
  // Fetched when the play runs (or after a start or a conflict); a run cached earlier shows at once.
  const runs = useAccountRuns(account.id, runningId !== null || start.isSuccess || conflict);
  const run =
    runs.data?.find((r) => r.id === start.data?.id) ??
    (runningId ? runs.data?.find((r) => r.id === runningId) : undefined) ??
    (conflict
      ? runs.data?.find((r) => r.status === "active" && r.playbook_id === play.playbook_id)
      : undefined) ??
    start.data;
  const isRunning = run !== undefined || runningId !== null;
  const progress = progressOf(running, run);
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
  } else if ((conflict || runningId !== null) && runs.isPending) {
    runBody = <LoadingBlock lines={3} label="Loading the running play" />;
  } else if ((conflict || runningId !== null) && runs.isError) {
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
        <h3 className="detail-title">{isRunning ? "Running play" : "Suggested play"}</h3>
        <strong data-testid="play-name">{play.name}</strong>
      </div>
      <div className="play-body">
        <div className="play-plan">
          {isRunning ? null : (
            <ol className="play-steps" aria-label="Tasks this play creates">
              {play.tasks.map((title, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the play's steps, in order; titles may repeat
                <li key={i}>{title}</li>
              ))}
            </ol>
          )}
          {canWork && !isRunning ? (
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
          {start.isSuccess ? (
            <output className="notice" data-testid="play-started">
              Play started · {formatInteger(start.data.tasks?.length ?? 0)}{" "}
              {start.data.tasks?.length === 1 ? "task" : "tasks"} created
            </output>
          ) : null}
          {progress && !conflict && !start.isSuccess ? (
            <p className="play-progress small" data-testid="play-progress">
              {progressText(progress)}
            </p>
          ) : null}
          {start.isError && !conflict ? (
            <ProblemAlert error={start.error} title="Couldn't start the play" />
          ) : null}
          {runBody}
        </div>
        <EmailDraft play={play} />
      </div>
    </section>
  );
}
