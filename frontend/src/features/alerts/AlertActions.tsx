import type { QueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { Schemas } from "../../api/client";
import { addDays, formatDate, formatUtcDateTime, localToday } from "../../lib/format";
import { ProblemAlert } from "../../ui/ProblemAlert";
import { useAlertAction } from "./queries";

type AlertPublic = Schemas["AlertPublic"];
type AlertStatus = Schemas["AlertStatus"];

const DAY_MS = 86_400_000;

/** An ISO datetime `days` from now. */
function snoozeUntil(days: number, now = Date.now()): string {
  return new Date(now + days * DAY_MS).toISOString();
}

/** The start of a picked calendar day in the browser's zone, as an ISO datetime. */
function startOfLocalDay(date: string): string {
  return new Date(`${date}T00:00:00`).toISOString();
}

function doneMessage(alert: AlertPublic): string {
  switch (alert.status) {
    case "acknowledged":
      return "Acknowledged";
    case "snoozed":
      return alert.snoozed_until
        ? `Snoozed until ${formatDate(localToday(new Date(alert.snoozed_until)))}`
        : "Snoozed";
    case "resolved":
      return "Resolved";
    default:
      return "Saved";
  }
}

type Mode = "idle" | "snooze" | "resolve";

/**
 * Acknowledge, snooze (for the rule's default days, 1 day, 7 days or until a date) or resolve
 * one alert. `status` is what the page knows of it (an acknowledged alert offers no
 * Acknowledge); `refresh` reloads what else shows the alert; `confirm` says what happened
 * (off where the page shows the status); `disabledReason`: the caller may not act on this
 * alert, the buttons are disabled and say why.
 */
export function AlertActions({
  alertId,
  title,
  status = "open",
  refresh,
  confirm = true,
  disabledReason,
}: {
  alertId: string;
  title: string;
  status?: AlertStatus;
  refresh?: (queryClient: QueryClient) => Promise<unknown>;
  confirm?: boolean;
  disabledReason?: string | undefined;
}) {
  const action = useAlertAction(alertId, refresh);
  const [mode, setMode] = useState<Mode>("idle");
  const [date, setDate] = useState("");
  const [reason, setReason] = useState("");
  const busy = action.isPending;
  const result = action.data;
  const today = localToday();

  // No date: the server snoozes for the rule's days (Settings → Alert quality).
  const snooze = (until?: string) =>
    action.mutate(until ? { action: "snooze", until } : { action: "snooze" }, {
      onSuccess: () => setMode("idle"),
    });

  const submitDate = (event: FormEvent) => {
    event.preventDefault();
    if (date) snooze(startOfLocalDay(date));
  };

  const submitResolve = (event: FormEvent) => {
    event.preventDefault();
    const text = reason.trim();
    action.mutate(text ? { action: "resolve", reason: text } : { action: "resolve" }, {
      onSuccess: () => setMode("idle"),
    });
  };

  // Snoozed or resolved: the alert leaves the queue on the next refresh; no more actions.
  const current = result?.status ?? status;
  const settled = current === "snoozed" || current === "resolved";

  return (
    <div className="alert-actions">
      {settled ? null : (
        <fieldset
          className="alert-actions-row"
          aria-label={`Actions for ${title}`}
          disabled={busy || disabledReason !== undefined}
        >
          {current === "open" ? (
            <button
              type="button"
              className="btn btn-sm"
              title={disabledReason}
              onClick={() => action.mutate({ action: "ack" })}
            >
              Acknowledge
            </button>
          ) : null}
          <button
            type="button"
            className="btn btn-sm"
            title={disabledReason}
            aria-expanded={mode === "snooze"}
            onClick={() => setMode(mode === "snooze" ? "idle" : "snooze")}
          >
            Snooze…
          </button>
          <button
            type="button"
            className="btn btn-sm"
            title={disabledReason}
            aria-expanded={mode === "resolve"}
            onClick={() => setMode(mode === "resolve" ? "idle" : "resolve")}
          >
            Resolve…
          </button>
        </fieldset>
      )}
      {mode === "snooze" && !settled ? (
        <form className="alert-actions-form" aria-label="Snooze" onSubmit={submitDate}>
          <button
            type="button"
            className="btn btn-sm"
            disabled={busy}
            title="As long as the team set for this rule (Settings → Alert quality)"
            onClick={() => snooze()}
          >
            Snooze (rule default)
          </button>
          <span className="muted small">or for</span>
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
      {mode === "resolve" && !settled ? (
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
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            onClick={() => setMode("idle")}
            disabled={busy}
          >
            Cancel
          </button>
        </form>
      ) : null}
      {result && confirm ? (
        <output
          className="notice alert-done"
          title={formatUtcDateTime(result.snoozed_until ?? result.acknowledged_at)}
        >
          {doneMessage(result)}
        </output>
      ) : null}
      {action.isError ? (
        <ProblemAlert error={action.error} title="Couldn't update the alert" />
      ) : null}
    </div>
  );
}
