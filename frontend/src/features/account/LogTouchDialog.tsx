import { type FormEvent, type ReactNode, useEffect, useId, useMemo, useRef, useState } from "react";
import type { AccountDetail } from "../../api/client";
import { formatDate } from "../../lib/format";
import { FormDialog } from "../../ui/FormDialog";
import { ProblemAlert } from "../../ui/ProblemAlert";
import { useReportingContext } from "../meta/queries";
import "./logTouch.css";
import { READ_ONLY_REASON } from "./access";
import { useAccount } from "./queries";
import {
  TOUCH_KINDS,
  type TouchCreate,
  type TouchKind,
  type Touchpoint,
  touchKindLabel,
  useLogTouch,
} from "./touches";

type Sentiment = NonNullable<TouchCreate["sentiment"]>;
type Contact = AccountDetail["contacts"][number];

const SENTIMENTS: { value: Sentiment | ""; label: string }[] = [
  { value: "", label: "Not set" },
  { value: "positive", label: "Positive" },
  { value: "neutral", label: "Neutral" },
  { value: "negative", label: "Negative" },
];

const SUMMARY_MAX = 5000;

/** Primary contacts first, then by name (then email). */
export function contactsInOrder(contacts: readonly Contact[]): Contact[] {
  return [...contacts].sort(
    (a, b) =>
      Number(b.is_primary) - Number(a.is_primary) ||
      (a.name ?? a.email ?? "").localeCompare(b.name ?? b.email ?? ""),
  );
}

/**
 * When the touch happened, as the API takes it: nothing for today (the server says "now"),
 * noon of the chosen day in the browser's zone for an earlier day.
 */
export function occurredAt(date: string, today: string): string | undefined {
  if (date >= today) return undefined;
  return new Date(`${date}T12:00:00`).toISOString();
}

function ContactChoices({
  accountId,
  chosen,
  onToggle,
}: {
  accountId: string;
  chosen: ReadonlySet<string>;
  onToggle: (id: string) => void;
}) {
  const account = useAccount(accountId);
  const contacts = useMemo(() => contactsInOrder(account.data?.contacts ?? []), [account.data]);
  let body: ReactNode;
  if (!account.data && account.isPending) {
    body = <p className="muted small">Loading the contacts…</p>;
  } else if (!account.data) {
    body = <p className="muted small">Couldn't load the contacts; you can log the work without.</p>;
  } else if (contacts.length === 0) {
    body = <p className="muted small">No contacts on this account yet.</p>;
  } else {
    body = (
      <ul className="log-contacts">
        {contacts.map((c) => (
          <li key={c.id}>
            <label className="check" title={c.email ?? undefined}>
              <input type="checkbox" checked={chosen.has(c.id)} onChange={() => onToggle(c.id)} />
              <span>
                {c.name || c.email || "Unnamed contact"}
                {c.title ? <span className="muted"> · {c.title}</span> : null}
                {c.is_primary ? <span className="log-primary">Primary</span> : null}
              </span>
            </label>
          </li>
        ))}
      </ul>
    );
  }
  return (
    <fieldset className="fieldset-plain log-group">
      <legend className="field-label">Who took part</legend>
      {body}
    </fieldset>
  );
}

/**
 * Log a call, meeting, email or QBR on the account: its kind (a call unless changed), the day
 * (today unless changed, never ahead), the contacts who took part, how it went and notes.
 */
export function LogTouchDialog({
  accountId,
  accountName,
  onClose,
  onLogged,
}: {
  accountId: string;
  accountName: string;
  onClose: () => void;
  onLogged: (touch: Touchpoint) => void;
}) {
  const { today } = useReportingContext();
  const choiceName = useId();
  const dateId = useId();
  const notesId = useId();
  const account = useAccount(accountId);
  const log = useLogTouch(accountId);
  const [kind, setKind] = useState<TouchKind>("call");
  const [date, setDate] = useState(today);
  const [sentiment, setSentiment] = useState<Sentiment | "">("");
  const [summary, setSummary] = useState("");
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [dateError, setDateError] = useState<string | null>(null);
  const readOnly = account.data?.can_edit === false;

  const toggle = (id: string) =>
    setChosen((old) => {
      const next = new Set(old);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (log.isPending || readOnly) return;
    if (!date) {
      setDateError("Pick the day it happened.");
      return;
    }
    if (date > today) {
      setDateError("The day can't be in the future: log work once it happened.");
      return;
    }
    setDateError(null);
    // The account's contacts in the list's order (primary first).
    const contactIds = contactsInOrder(account.data?.contacts ?? [])
      .map((c) => c.id)
      .filter((id) => chosen.has(id));
    const body: TouchCreate = { kind, contact_ids: contactIds };
    const at = occurredAt(date, today);
    if (at) body.occurred_at = at;
    if (sentiment) body.sentiment = sentiment;
    if (summary.trim()) body.summary = summary.trim();
    log.mutate(body, { onSuccess: (touch) => onLogged(touch) });
  };

  return (
    <FormDialog
      title={`Log work · ${accountName}`}
      onClose={onClose}
      onSubmit={submit}
      submitLabel={`Log ${kind === "qbr" ? "QBR" : touchKindLabel(kind).toLowerCase()}`}
      pendingLabel="Saving…"
      pending={log.isPending}
      disabled={readOnly}
      submitTitle={readOnly ? READ_ONLY_REASON : undefined}
      formClassName="log-form"
      formLabel="Log work"
    >
      {readOnly ? (
        <p className="alert alert-info" role="note">
          {READ_ONLY_REASON}.
        </p>
      ) : null}
      <fieldset className="fieldset-plain log-group">
        <legend className="field-label">Kind</legend>
        <div className="log-kinds">
          {TOUCH_KINDS.map((k) => (
            <label key={k.value} className="log-choice">
              <input
                type="radio"
                name={`${choiceName}-kind`}
                value={k.value}
                checked={kind === k.value}
                onChange={() => setKind(k.value)}
              />
              <span>{k.label}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <label className="field" htmlFor={dateId}>
        <span className="field-label">When</span>
        <input
          id={dateId}
          type="date"
          className="input log-date"
          required
          max={today}
          value={date}
          aria-invalid={dateError ? true : undefined}
          aria-describedby={dateError ? `${dateId}-error` : undefined}
          onChange={(e) => {
            setDate(e.target.value);
            setDateError(null);
          }}
        />
        {dateError ? (
          <span id={`${dateId}-error`} className="field-error">
            {dateError}
          </span>
        ) : null}
      </label>
      <ContactChoices accountId={accountId} chosen={chosen} onToggle={toggle} />
      <fieldset className="fieldset-plain log-group">
        <legend className="field-label">
          How it went <span className="field-hint log-optional">optional</span>
        </legend>
        <div className="log-kinds">
          {SENTIMENTS.map((s) => (
            <label key={s.value || "none"} className="log-choice">
              <input
                type="radio"
                name={`${choiceName}-sentiment`}
                value={s.value}
                checked={sentiment === s.value}
                onChange={() => setSentiment(s.value)}
              />
              <span>{s.label}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <label className="field" htmlFor={notesId}>
        <span className="field-label">Notes</span>
        <textarea
          id={notesId}
          className="input log-notes"
          rows={4}
          maxLength={SUMMARY_MAX}
          placeholder="What you talked about, what was agreed, what comes next…"
          value={summary}
          onChange={(e) => setSummary(e.target.value)}
        />
      </label>
      {log.isError ? <ProblemAlert error={log.error} title="Couldn't log the work" /> : null}
    </FormDialog>
  );
}

/** Where typing a letter means text, not a shortcut. */
function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !["checkbox", "radio", "button", "submit", "reset", "range", "color", "file"].includes(
      target.type,
    );
  }
  return false;
}

/**
 * Call `open` when L is pressed on the page: not while typing in a text field, not with a
 * modifier key, not while a dialog is open.
 */
export function useLogShortcut(enabled: boolean, open: () => void) {
  const openRef = useRef(open);
  useEffect(() => {
    openRef.current = open;
  });
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "l" && event.key !== "L") return;
      if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
      if (event.defaultPrevented || isTextField(event.target)) return;
      if (document.querySelector('[role="dialog"]')) return;
      event.preventDefault();
      openRef.current();
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [enabled]);
}

const CONFIRMATION_MS = 8000;

/**
 * "Log work": opens the dialog (also with L when `shortcut`), and says what was logged once it
 * is saved. `disabledReason`: why the caller may not log work on this account.
 */
export function LogWorkButton({
  accountId,
  accountName,
  shortcut = false,
  disabledReason,
  className = "btn btn-sm",
}: {
  accountId: string;
  accountName: string;
  shortcut?: boolean;
  disabledReason?: string | undefined;
  className?: string;
}) {
  const [open, setOpen] = useState(false);
  const [logged, setLogged] = useState<Touchpoint | null>(null);
  const locked = disabledReason !== undefined;
  useLogShortcut(shortcut && !locked && !open, () => setOpen(true));

  useEffect(() => {
    if (!logged) return;
    const timer = window.setTimeout(() => setLogged(null), CONFIRMATION_MS);
    return () => window.clearTimeout(timer);
  }, [logged]);

  return (
    <span className="log-work">
      <button
        type="button"
        className={className}
        disabled={locked}
        title={disabledReason ?? "Log a call, meeting, email or QBR (L)"}
        aria-keyshortcuts={shortcut ? "L" : undefined}
        onClick={() => setOpen(true)}
      >
        Log work
        {shortcut ? (
          <span className="log-kbd" aria-hidden="true">
            L
          </span>
        ) : null}
      </button>
      {logged ? (
        <output className="notice log-done" aria-live="polite" data-testid="touch-logged">
          {touchKindLabel(logged.kind)} logged · {formatDate(logged.occurred_at)}
          {logged.contact_ids.length
            ? ` · ${logged.contact_ids.length} ${logged.contact_ids.length === 1 ? "contact" : "contacts"}`
            : ""}
        </output>
      ) : null}
      {open ? (
        <LogTouchDialog
          accountId={accountId}
          accountName={accountName}
          onClose={() => setOpen(false)}
          onLogged={(touch) => {
            setOpen(false);
            setLogged(touch);
          }}
        />
      ) : null}
    </span>
  );
}
