import { type FormEvent, useId, useState } from "react";
import { formatDate, formatTimeAgo, formatUtcDateTime, humanize } from "../../lib/format";
import { roleLabel } from "../../lib/roles";
import { useNow } from "../../lib/useNow";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { Dialog } from "../../ui/Dialog";
import { FormDialog } from "../../ui/FormDialog";
import { Pill } from "../../ui/Pill";
import { ProblemAlert } from "../../ui/ProblemAlert";
import { TableScroll } from "../../ui/TableScroll";
import { FieldError, ListState, serverFieldErrors, unplacedProblem } from "./fields";
import {
  type ApiKey,
  type ApiKeyCreated,
  type ApiKeyScope,
  ROLES,
  type Role,
  useApiKeys,
  useCreateApiKey,
  useRevokeApiKey,
} from "./queries";

/** The scopes, in the order offered, each with what it lets a key do. */
export const SCOPES: readonly { scope: ApiKeyScope; help: string }[] = [
  { scope: "ingest", help: "Send data: the ingest API and file imports. Reads nothing." },
  { scope: "read", help: "Read accounts, scores and reports. Changes nothing." },
  { scope: "embed", help: "Issue embed tokens for tiles on another site." },
  { scope: "admin", help: "Everything an admin can do, including managing users and keys." },
];

/** Scopes that bound a key: with any of them it acts within them, not by a role. */
const BOUNDING: ReadonlySet<ApiKeyScope> = new Set(["ingest", "read", "admin"]);

const STATUS_TONE = { active: "green", revoked: "neutral", expired: "amber" } as const;

export function KeysTab() {
  const keys = useApiKeys();
  const now = useNow();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);

  return (
    <section className="card table-card" aria-labelledby="admin-keys-title">
      <div className="card-header">
        <h2 id="admin-keys-title">API keys</h2>
        <button type="button" className="btn btn-primary btn-sm" onClick={() => setCreating(true)}>
          New API key
        </button>
      </div>
      <ListState
        query={keys}
        what="API keys"
        isEmpty={(data) => data.length === 0}
        emptyTitle="No API keys yet"
      >
        {(data) => (
          <TableScroll label="API keys">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Scopes</th>
                  <th scope="col">Role</th>
                  <th scope="col">Created by</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.map((key) => (
                  <tr key={key.id}>
                    <td>
                      {key.name} <span className="muted small mono">tk_{key.prefix}_…</span>
                    </td>
                    <td>
                      {key.scopes.length ? (
                        <span className="admin-chips">
                          {key.scopes.map((s) => (
                            <Pill key={s} tone="blue">
                              {s}
                            </Pill>
                          ))}
                        </span>
                      ) : (
                        <span className="muted">by role</span>
                      )}
                    </td>
                    <td>{roleLabel(key.role)}</td>
                    <td>{key.created_by_email ?? <span className="muted">CLI</span>}</td>
                    <td title={formatUtcDateTime(key.created_at)}>{formatDate(key.created_at)}</td>
                    <td title={formatUtcDateTime(key.last_used_at)}>
                      {key.last_used_at ? formatTimeAgo(key.last_used_at, now) : "never"}
                    </td>
                    <td>
                      <Pill tone={STATUS_TONE[key.status ?? "active"]}>
                        {humanize(key.status ?? "active")}
                      </Pill>
                    </td>
                    <td>
                      {key.status === "active" ? (
                        <button
                          type="button"
                          className="btn btn-sm"
                          aria-label={`Revoke ${key.name}`}
                          onClick={() => setRevoking(key)}
                        >
                          Revoke
                        </button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </ListState>
      {creating ? <CreateKeyDialog onClose={() => setCreating(false)} /> : null}
      {revoking ? <RevokeDialog apiKey={revoking} onClose={() => setRevoking(null)} /> : null}
    </section>
  );
}

function RevokeDialog({ apiKey, onClose }: { apiKey: ApiKey; onClose: () => void }) {
  const revoke = useRevokeApiKey();
  return (
    <ConfirmDialog
      title={`Revoke ${apiKey.name}?`}
      confirmLabel="Revoke key"
      busyLabel="Revoking…"
      busy={revoke.isPending}
      error={revoke.error}
      onConfirm={() => revoke.mutate(apiKey.id, { onSuccess: onClose })}
      onClose={onClose}
    >
      <p>
        Anything using this key is refused from its next request. This cannot be undone: create a
        new key instead.
      </p>
    </ConfirmDialog>
  );
}

function CreateKeyDialog({ onClose }: { onClose: () => void }) {
  const id = useId();
  const create = useCreateApiKey();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<ApiKeyScope[]>([]);
  const [role, setRole] = useState<Role>("viewer");
  const [created, setCreated] = useState<ApiKeyCreated | null>(null);
  const server = serverFieldErrors(create.error);

  const bounded = scopes.some((s) => BOUNDING.has(s));
  const nameProblem = name.trim() ? null : "Give the key a name that says what uses it.";
  const invalid = nameProblem !== null;

  const toggle = (scope: ApiKeyScope, on: boolean) =>
    setScopes((current) =>
      SCOPES.map((s) => s.scope).filter((s) => (s === scope ? on : current.includes(s))),
    );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (invalid) return;
    create.mutate(
      { name: name.trim(), scopes, ...(bounded ? {} : { role }) },
      { onSuccess: (key) => setCreated(key) },
    );
  };

  if (created) return <ShowKeyDialog created={created} onClose={onClose} />;

  return (
    <FormDialog
      title="New API key"
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Create key"
      pendingLabel="Creating…"
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
          placeholder="Warehouse sync"
          aria-invalid={(server.get("name") ?? []).length > 0}
          aria-describedby={`${id}-name-error`}
          onChange={(e) => setName(e.target.value)}
        />
        <FieldError id={`${id}-name-error`} messages={server.get("name") ?? []} />
      </div>
      <fieldset className="fieldset-plain">
        <legend className="field-label">Scopes</legend>
        {SCOPES.map(({ scope, help }) => (
          <label key={scope} className="check admin-scope" htmlFor={`${id}-scope-${scope}`}>
            <input
              id={`${id}-scope-${scope}`}
              type="checkbox"
              checked={scopes.includes(scope)}
              onChange={(e) => toggle(scope, e.target.checked)}
            />
            <span>
              <strong>{scope}</strong> <span className="muted">— {help}</span>
            </span>
          </label>
        ))}
        <FieldError id={`${id}-scopes-error`} messages={server.get("scopes") ?? []} />
      </fieldset>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-role`}>
          Role
        </label>
        <select
          id={`${id}-role`}
          className="select"
          value={bounded ? (scopes.includes("admin") ? "admin" : "viewer") : role}
          disabled={bounded}
          aria-invalid={server.has("role")}
          aria-describedby={`${id}-role-help ${id}-role-error`}
          onChange={(e) => setRole(e.target.value as Role)}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {roleLabel(r)}
            </option>
          ))}
        </select>
        <span id={`${id}-role-help`} className="field-hint">
          {bounded
            ? "A key with ingest, read or admin does only what its scopes cover."
            : "Without ingest, read or admin, the key acts with this role."}
        </span>
        <FieldError id={`${id}-role-error`} messages={server.get("role") ?? []} />
      </div>
      {unplacedProblem(create.error, ["name", "role", "scopes"]) ? (
        <ProblemAlert error={create.error} />
      ) : null}
    </FormDialog>
  );
}

/** The new key, shown this once, with a copy button. */
function ShowKeyDialog({ created, onClose }: { created: ApiKeyCreated; onClose: () => void }) {
  const id = useId();
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.key);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  };
  return (
    <Dialog
      title={`Key created: ${created.name}`}
      onClose={onClose}
      footer={
        <button type="button" className="btn btn-primary" onClick={onClose}>
          Done
        </button>
      }
    >
      <div className="dialog-form">
        <p className="dialog-lead">
          Copy the key now: Tempo keeps only a fingerprint of it and cannot show it again.
        </p>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-key`}>
            API key
          </label>
          <input
            id={`${id}-key`}
            className="input mono"
            readOnly
            value={created.key}
            data-testid="new-api-key"
            onFocus={(e) => e.target.select()}
          />
        </div>
        <div className="toolbar">
          <button type="button" className="btn btn-sm" onClick={() => void copy()}>
            Copy key
          </button>
          <span role="status" className="muted small">
            {copied === "yes"
              ? "Copied."
              : copied === "failed"
                ? "Couldn't copy: select the key and copy it."
                : ""}
          </span>
        </div>
        <p className="muted small">
          Scopes: {created.scopes.length ? created.scopes.join(", ") : "none (acts by role)"} · role{" "}
          {roleLabel(created.role)}. Send it as{" "}
          <span className="mono">Authorization: Bearer …</span>
        </p>
      </div>
    </Dialog>
  );
}
