import { type FormEvent, useState } from "react";
import { addDays, localToday } from "../../lib/format";
import { ProblemAlert } from "../../ui/ProblemAlert";
import { type AlertView, useAccountAlertAction } from "./queries";

const DAY_MS = 86_400_000;

/** An ISO datetime `days` from now. */
function snoozeUntil(days: number, now = Date.now()): string {
  return new Date(now + days * DAY_MS).toISOString();
}

/** The start of a picked calendar day in the browser's zone, as an ISO datetime. */
function startOfLocalDay(date: string): string {
  return new Date(`${date}T00:00:00`).toISOString();
}

type Mode = "idle" | "snooze" | "resolve";

/**
 * Acknowledge, snooze (1 day, 7 days or until a date) or resolve one of the account's alerts.
 * Unlike Today's AlertActions it knows the alert's current status (an acknowledged alert offers
 * no Acknowledge) and refreshes the account picture, which then shows the new status.
 */
export function AlertActionsInline({ accountId, alert }: { accountId: string; alert: AlertView }) {
  const action = useAccountAlertAction(accountId, alert.id);
  const [mode, setMode] = useState<Mode>("idle");
  const [date, setDate] = useState("");
  const [reason, setReason] = useState("");
  const busy = action.isPending;
  const today = localToday();
  const done = () => setMode("idle");

  const snooze = (until: string) => action.mutate({ action: "snooze", until }, { onSuccess: done });

  const submitDate = (event: FormEvent) => {
    event.preventDefault();
    if (date) snooze(startOfLocalDay(date));
  };

  const submitResolve = (event: FormEvent) => {
    event.preventDefault();
    const text = reason.trim();
    action.mutate(text ? { action: "resolve", reason: text } : { action: "resolve" }, {
      onSuccess: done,
    });
  };

  return (
    <div className="alert-actions">
      <fieldset
        className="alert-actions-row"
        aria-label={`Actions for ${alert.title}`}
        disabled={busy}
      >
        {alert.status === "open" ? (
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => action.mutate({ action: "ack" })}
          >
            Acknowledge
          </button>
        ) : null}
        <button
          type="button"
          className="btn btn-sm"
          aria-expanded={mode === "snooze"}
          onClick={() => setMode(mode === "snooze" ? "idle" : "snooze")}
        >
          Snooze…
        </button>
        <button
          type="button"
          className="btn btn-sm"
          aria-expanded={mode === "resolve"}
          onClick={() => setMode(mode === "resolve" ? "idle" : "resolve")}
        >
          Resolve…
        </button>
      </fieldset>
      {mode === "snooze" ? (
        <form className="alert-actions-form" aria-label="Snooze" onSubmit={submitDate}>
          <span className="muted small">Snooze for</span>
          <button
            type="button"
            className="btn btn-sm"
            disabled={busy}
            onClick={() => snooze(snoozeUntil(1))}
          >
            1 day
          </button>
          <button
            type="button"
            className="btn btn-sm"
            disabled={busy}
            onClick={() => snooze(snoozeUntil(7))}
          >
            7 days
          </button>
          <span className="muted small">or until</span>
          <input
            type="date"
            className="input input-sm"
            aria-label="Snooze until"
            min={addDays(today, 1)}
            max={addDays(today, 365)}
            value={date}
            onChange={(e) => setDate(e.target.value)}
          />
          <button type="submit" className="btn btn-sm" disabled={busy || !date}>
            Snooze
          </button>
        </form>
      ) : null}
      {mode === "resolve" ? (
        <form className="alert-actions-form" aria-label="Resolve" onSubmit={submitResolve}>
          <input
            className="input input-sm alert-reason"
            aria-label="Reason (optional)"
            placeholder="Reason (optional)"
            maxLength={500}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
          <button type="submit" className="btn btn-primary btn-sm" disabled={busy}>
            Resolve alert
          </button>
          <button type="button" className="btn btn-ghost btn-sm" onClick={done} disabled={busy}>
            Cancel
          </button>
        </form>
      ) : null}
      {action.isError ? (
        <ProblemAlert error={action.error} title="Couldn't update the alert" />
      ) : null}
    </div>
  );
}
