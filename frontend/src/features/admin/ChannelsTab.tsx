import { type FormEvent, useEffect, useId, useState } from "react";
import { formatTimeAgo, formatUtcDateTime, humanize } from "../../lib/format";
import { useNow } from "../../lib/useNow";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { Dialog } from "../../ui/Dialog";
import { FormDialog } from "../../ui/FormDialog";
import { Pill } from "../../ui/Pill";
import { ProblemAlert } from "../../ui/ProblemAlert";
import { TableScroll } from "../../ui/TableScroll";
import { emailProblem, FieldError, ListState, serverFieldErrors, unplacedProblem } from "./fields";
import {
  type Channel,
  type ChannelCreate,
  type Delivery,
  useChannels,
  useCreateChannel,
  useDeleteChannel,
  useDeliveries,
  useRetryDelivery,
  useSendTest,
} from "./queries";

type Kind = ChannelCreate["kind"];

type KindInfo = { kind: Kind; label: string; target: string; placeholder: string };

const WEBHOOK: KindInfo = {
  kind: "webhook",
  label: "Webhook",
  target: "URL",
  placeholder: "https://example.com/hooks/tempo",
};

const KINDS: readonly KindInfo[] = [
  WEBHOOK,
  {
    kind: "slack",
    label: "Slack",
    target: "Incoming webhook URL",
    placeholder: "https://hooks.slack.com/services/…",
  },
  { kind: "email", label: "Email", target: "Email address", placeholder: "cs-team@example.com" },
];

/** What Tempo sends; a channel with none chosen gets every one. */
const EVENTS: readonly { event: string; label: string }[] = [
  { event: "alert.opened", label: "Alerts opened" },
  { event: "digest.weekly", label: "Weekly digest" },
  { event: "test.ping", label: "Test pings" },
];

/** Deliveries that gave up (dead) or are between failed attempts: the ones an admin acts on. */
const TROUBLE = new Set<Delivery["status"]>(["dead", "failed"]);

function targetProblem(kind: Kind, target: string): string | null {
  const value = target.trim();
  if (kind === "email") return emailProblem(value);
  if (!value) return "Enter the URL Tempo posts to.";
  try {
    const url = new URL(value);
    if (url.protocol !== "https:" && url.protocol !== "http:") return "Use an https:// URL.";
  } catch {
    return "Enter a full URL, starting with https://.";
  }
  return null;
}

export function ChannelsTab() {
  const channels = useChannels();
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<Channel | null>(null);
  const [testIds, setTestIds] = useState<string[]>([]);
  const sendTest = useSendTest();

  return (
    <>
      <section className="card table-card" aria-labelledby="admin-channels-title">
        <div className="card-header">
          <h2 id="admin-channels-title">Notification channels</h2>
          <div className="admin-actions">
            <button
              type="button"
              className="btn btn-sm"
              disabled={sendTest.isPending || !channels.data?.length}
              onClick={() =>
                sendTest.mutate(undefined, {
                  onSuccess: (sent) => setTestIds(sent.map((d) => d.id)),
                })
              }
            >
              {sendTest.isPending ? "Sending…" : "Send test"}
            </button>
            <button
              type="button"
              className="btn btn-primary btn-sm"
              onClick={() => setAdding(true)}
            >
              Add channel
            </button>
          </div>
        </div>
        {sendTest.isError ? (
          <ProblemAlert error={sendTest.error} title="Couldn't send the test" />
        ) : null}
        {sendTest.isSuccess ? <TestOutcome key={testIds.join()} ids={testIds} /> : null}
        <ListState
          query={channels}
          what="channels"
          isEmpty={(data) => data.length === 0}
          emptyTitle="No channels yet: alerts and digests go nowhere until you add one"
        >
          {(data) => (
            <TableScroll label="Notification channels">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Target</th>
                    <th scope="col">Events</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.map((c) => (
                    <tr key={c.id}>
                      <td>{c.name}</td>
                      <td>{humanize(c.kind)}</td>
                      <td className="admin-ellipsis" title={c.target}>
                        {c.target}
                      </td>
                      <td>
                        {c.events.length ? (
                          c.events.join(", ")
                        ) : (
                          <span className="muted">everything</span>
                        )}
                      </td>
                      <td>
                        <button
                          type="button"
                          className="btn btn-sm"
                          aria-label={`Delete ${c.name}`}
                          onClick={() => setDeleting(c)}
                        >
                          Delete
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
        </ListState>
      </section>
      <DeadLetters />
      {adding ? <AddChannelDialog onClose={() => setAdding(false)} /> : null}
      {deleting ? (
        <DeleteChannelDialog channel={deleting} onClose={() => setDeleting(null)} />
      ) : null}
    </>
  );
}

/** What became of the test pings just sent: followed until none is still on its way. */
function TestOutcome({ ids }: { ids: readonly string[] }) {
  const [watch, setWatch] = useState(true);
  const deliveries = useDeliveries(watch);
  const sent = (deliveries.data ?? []).filter((d) => ids.includes(d.id));
  const waiting = sent.length < ids.length || sent.some((d) => d.status === "pending");
  const settled = !waiting && deliveries.data !== undefined;
  useEffect(() => {
    if (settled) setWatch(false);
  }, [settled]);
  if (!ids.length) {
    return <div className="alert alert-info">No channel takes test pings: nothing was sent.</div>;
  }
  return (
    <div className="alert alert-info" role="status" aria-live="polite">
      <strong>Test sent to {ids.length === 1 ? "1 channel" : `${ids.length} channels`}.</strong>
      <ul className="alert-list">
        {sent.map((d) => (
          <li key={d.id}>
            {d.target}:{" "}
            {d.status === "delivered"
              ? "delivered"
              : d.status === "pending"
                ? "sending…"
                : d.status}
            {d.last_error ? ` — ${d.last_error}` : ""}
          </li>
        ))}
      </ul>
    </div>
  );
}

function DeadLetters() {
  const deliveries = useDeliveries();
  const retry = useRetryDelivery();
  const now = useNow();
  const trouble = (deliveries.data ?? []).filter((d) => TROUBLE.has(d.status));
  return (
    <section className="card table-card" aria-labelledby="admin-dead-title">
      <div className="card-header">
        <h2 id="admin-dead-title">Failed deliveries</h2>
        <span className="muted small">Dead letters and deliveries between retries</span>
      </div>
      {retry.isError ? <ProblemAlert error={retry.error} title="Couldn't retry" /> : null}
      <ListState
        query={deliveries}
        what="deliveries"
        lines={2}
        isEmpty={() => trouble.length === 0}
        emptyTitle="Every recent delivery went through"
      >
        {() => (
          <TableScroll label="Failed deliveries">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Event</th>
                  <th scope="col">Target</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    Attempts
                  </th>
                  <th scope="col">Last error</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {trouble.map((d) => (
                  <tr key={d.id}>
                    <td title={formatUtcDateTime(d.created_at)}>
                      {formatTimeAgo(d.created_at, now)}
                    </td>
                    <td>{d.event_type}</td>
                    <td className="admin-ellipsis" title={d.target}>
                      {d.target}
                    </td>
                    <td>
                      <Pill tone={d.status === "dead" ? "red" : "amber"}>{d.status}</Pill>
                    </td>
                    <td className="num">{d.attempts}</td>
                    <td className="admin-ellipsis" title={d.last_error ?? undefined}>
                      {d.last_error ?? "—"}
                      {d.last_status_code ? ` (HTTP ${d.last_status_code})` : ""}
                    </td>
                    <td>
                      <button
                        type="button"
                        className="btn btn-sm"
                        disabled={retry.isPending && retry.variables === d.id}
                        aria-label={`Retry delivery to ${d.target}`}
                        onClick={() => retry.mutate(d.id)}
                      >
                        Retry
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </ListState>
    </section>
  );
}

function AddChannelDialog({ onClose }: { onClose: () => void }) {
  const id = useId();
  const create = useCreateChannel();
  const [name, setName] = useState("");
  const [kind, setKind] = useState<Kind>("webhook");
  const [target, setTarget] = useState("");
  const [events, setEvents] = useState<string[]>([]);
  const [touched, setTouched] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const server = serverFieldErrors(create.error);
  const meta = KINDS.find((k) => k.kind === kind) ?? WEBHOOK;

  const localTarget = targetProblem(kind, target);
  const invalid = !name.trim() || localTarget !== null;
  const targetMessages = [
    ...(touched && localTarget ? [localTarget] : []),
    ...(server.get("target") ?? []),
  ];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (invalid) return;
    create.mutate(
      { name: name.trim(), kind, target: target.trim(), events },
      {
        onSuccess: (channel) => {
          if (channel.secret) setSecret(channel.secret);
          else onClose();
        },
      },
    );
  };

  if (secret) {
    return (
      <Dialog
        title="Channel added"
        onClose={onClose}
        footer={
          <button type="button" className="btn btn-primary" onClick={onClose}>
            Done
          </button>
        }
      >
        <p>Webhook requests are signed with this secret; it is shown only now.</p>
        <input className="input mono" readOnly value={secret} aria-label="Signing secret" />
      </Dialog>
    );
  }

  return (
    <FormDialog
      title="Add a notification channel"
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Add channel"
      pendingLabel="Adding…"
      pending={create.isPending}
      disabled={invalid}
    >
      <div className="field">
        <label className="field-label" htmlFor={`${id}-name`}>
          Name
        </label>
        <input
          id={`${id}-name`}
          className="input"
          value={name}
          maxLength={200}
          placeholder="CS team Slack"
          onChange={(e) => setName(e.target.value)}
        />
      </div>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-kind`}>
          Kind
        </label>
        <select
          id={`${id}-kind`}
          className="select"
          value={kind}
          onChange={(e) => setKind(e.target.value as Kind)}
        >
          {KINDS.map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-target`}>
          {meta.target}
        </label>
        <input
          id={`${id}-target`}
          className="input"
          value={target}
          maxLength={2000}
          placeholder={meta.placeholder}
          aria-invalid={targetMessages.length > 0}
          aria-describedby={`${id}-target-error`}
          onChange={(e) => setTarget(e.target.value)}
          onBlur={() => setTouched(true)}
        />
        <FieldError id={`${id}-target-error`} messages={targetMessages} />
      </div>
      <fieldset className="fieldset-plain">
        <legend className="field-label">Events (none ticked: every event)</legend>
        {EVENTS.map((e) => (
          <label key={e.event} className="check" htmlFor={`${id}-event-${e.event}`}>
            <input
              id={`${id}-event-${e.event}`}
              type="checkbox"
              checked={events.includes(e.event)}
              onChange={(change) =>
                setEvents((current) =>
                  change.target.checked
                    ? [...current, e.event]
                    : current.filter((x) => x !== e.event),
                )
              }
            />
            {e.label}
          </label>
        ))}
      </fieldset>
      {unplacedProblem(create.error, ["target"]) ? <ProblemAlert error={create.error} /> : null}
    </FormDialog>
  );
}

function DeleteChannelDialog({ channel, onClose }: { channel: Channel; onClose: () => void }) {
  const remove = useDeleteChannel();
  return (
    <ConfirmDialog
      title={`Delete ${channel.name}?`}
      confirmLabel="Delete channel"
      busyLabel="Deleting…"
      busy={remove.isPending}
      error={remove.error}
      onConfirm={() => remove.mutate(channel.id, { onSuccess: onClose })}
      onClose={onClose}
    >
      <p>Tempo stops sending to {channel.target}. Past deliveries stay listed.</p>
    </ConfirmDialog>
  );
}
