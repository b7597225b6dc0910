import { type FormEvent, type ReactNode, useId, useState } from "react";
import { formatDate, formatInteger, formatUtcDateTime } from "../../lib/format";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { ProblemAlert } from "../../ui/ProblemAlert";
import { EmptyState, ErrorState, LoadingBlock } from "../../ui/states";
import { useMe } from "../auth/queries";
import { type AccountAlias, useAliases, useCreateAlias, useDeleteAlias } from "./queries";

/** Key types other systems commonly send; the field accepts any other short name too. */
export const ALIAS_SOURCES = [
  "domain",
  "stripe",
  "segment",
  "zendesk",
  "hubspot",
  "salesforce",
  "subscription",
  "external_id",
] as const;

function plural(n: number, one: string, many: string): string {
  return `${formatInteger(n)} ${n === 1 ? one : many}`;
}

/** Source + key form (admins only); the server replays pending records the new key matches. */
function AddAliasForm({
  accountId,
  onAdded,
  notice,
}: {
  accountId: string;
  onAdded: (replayed: number, rejected: number) => void;
  notice: string;
}) {
  const listId = useId();
  const [source, setSource] = useState("");
  const [key, setKey] = useState("");
  const create = useCreateAlias(accountId);
  const ready = source.trim() !== "" && key.trim() !== "";

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!ready || create.isPending) return;
    create.mutate(
      { source: source.trim(), key: key.trim() },
      {
        onSuccess: (result) => {
          setKey("");
          onAdded(result.replayed, result.rejected ?? 0);
        },
      },
    );
  };

  return (
    <>
      <form className="toolbar" onSubmit={submit} aria-label="Add alias">
        <input
          className="input"
          aria-label="Source"
          placeholder="Source, e.g. stripe"
          list={listId}
          maxLength={100}
          autoComplete="off"
          value={source}
          onChange={(e) => setSource(e.target.value)}
        />
        <datalist id={listId}>
          {ALIAS_SOURCES.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
        <input
          className="input"
          aria-label="Key"
          placeholder="Key, e.g. cus_123"
          autoComplete="off"
          value={key}
          onChange={(e) => setKey(e.target.value)}
        />
        <button
          type="submit"
          className="btn btn-primary btn-sm"
          disabled={!ready || create.isPending}
        >
          {create.isPending ? "Adding…" : "Add alias"}
        </button>
        <div className="toolbar-spacer" />
        {notice ? (
          <output className="notice" data-testid="alias-notice">
            {notice}
          </output>
        ) : null}
      </form>
      {create.isError ? (
        <div className="card-body">
          <ProblemAlert error={create.error} title="Couldn't add the alias" />
        </div>
      ) : null}
    </>
  );
}

/** Confirm, then delete one alias. */
function RemoveAliasDialog({
  accountId,
  alias,
  onClose,
  onRemoved,
}: {
  accountId: string;
  alias: AccountAlias;
  onClose: () => void;
  onRemoved: () => void;
}) {
  const remove = useDeleteAlias(accountId);
  return (
    <ConfirmDialog
      title="Remove alias"
      confirmLabel="Remove"
      busyLabel="Removing…"
      busy={remove.isPending}
      error={remove.error}
      onConfirm={() => remove.mutate(alias.id, { onSuccess: onRemoved })}
      onClose={onClose}
    >
      <p className="dialog-lead">
        Remove <strong className="mono">{alias.key}</strong> from {alias.source}? Records that other
        systems send with this key will no longer match this account.
      </p>
    </ConfirmDialog>
  );
}

/** The keys other systems (billing, support, CRM…) use for this account; admins add and remove. */
export function AliasesCard({ accountId }: { accountId: string }) {
  const aliases = useAliases(accountId);
  const me = useMe();
  const canEdit = me.data?.role === "admin";
  const [removing, setRemoving] = useState<AccountAlias | null>(null);
  const [notice, setNotice] = useState("");

  let body: ReactNode;
  if (aliases.isPending) {
    body = <LoadingBlock lines={2} label="Loading aliases" />;
  } else if (aliases.isError) {
    body = (
      <ErrorState
        title="Couldn't load aliases"
        error={aliases.error}
        onRetry={() => void aliases.refetch()}
      />
    );
  } else if (aliases.data.length === 0) {
    body = (
      <EmptyState title="No aliases yet">
        Add the keys other systems use for this account (Stripe customer id, domain, Zendesk org…)
        so their records match it.
      </EmptyState>
    );
  } else {
    body = (
      <div className="table-scroll">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Source</th>
              <th scope="col">Key</th>
              <th scope="col">Added</th>
              {canEdit ? (
                <th scope="col" className="num">
                  <span className="visually-hidden">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {aliases.data.map((alias) => (
              <tr key={alias.id} data-testid="alias-row">
                <td>{alias.source}</td>
                <td className="mono">{alias.key}</td>
                <td title={formatUtcDateTime(alias.created_at)}>{formatDate(alias.created_at)}</td>
                {canEdit ? (
                  <td className="num">
                    <button
                      type="button"
                      className="btn btn-ghost btn-sm"
                      aria-label={`Remove alias ${alias.source} ${alias.key}`}
                      onClick={() => {
                        setNotice("");
                        setRemoving(alias);
                      }}
                    >
                      Remove
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }

  return (
    <section className="card table-card" aria-labelledby="aliases-title">
      <div className="card-header">
        <h2 id="aliases-title">Identity / Aliases</h2>
        {aliases.data ? <span className="muted">{formatInteger(aliases.data.length)}</span> : null}
      </div>
      {canEdit ? (
        <AddAliasForm
          accountId={accountId}
          notice={notice}
          onAdded={(replayed, rejected) =>
            setNotice(
              [
                replayed > 0
                  ? `Added; ${plural(replayed, "unmatched record", "unmatched records")} replayed`
                  : "Added",
                // resolved but refused (listed under Sources, Unmatched records, "Rejected at replay")
                rejected > 0 ? `${formatInteger(rejected)} rejected (see Sources)` : "",
              ]
                .filter(Boolean)
                .join(", "),
            )
          }
        />
      ) : null}
      {body}
      {removing ? (
        <RemoveAliasDialog
          accountId={accountId}
          alias={removing}
          onClose={() => setRemoving(null)}
          onRemoved={() => {
            setRemoving(null);
            setNotice("Removed");
          }}
        />
      ) : null}
    </section>
  );
}
