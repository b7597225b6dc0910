import { type FormEvent, useId, useState } from "react";
import type { AccountSummary, LinkResult, UnmatchedRecord } from "../../api/client";
import { errorMessage } from "../../api/errors";
import { humanize } from "../../lib/format";
import { FormDialog } from "../../ui/FormDialog";
import { SearchBox } from "../../ui/SearchBox";
import { useAccountSearch, useLinkUnmatched } from "./queries";

function AccountResults({
  q,
  selectedId,
  onSelect,
}: {
  q: string;
  selectedId: string | undefined;
  onSelect: (account: AccountSummary) => void;
}) {
  const search = useAccountSearch(q);
  const name = useId();
  if (!q) return <p className="muted picker-note">Type an account name or external ID.</p>;
  if (search.isPending) return <p className="muted picker-note">Searching…</p>;
  if (search.isError) {
    return (
      <p className="alert alert-error" role="alert">
        {errorMessage(search.error)}
      </p>
    );
  }
  const items = search.data.items;
  if (items.length === 0) return <p className="muted picker-note">No accounts match “{q}”.</p>;
  return (
    <fieldset className="picker" aria-busy={search.isFetching}>
      <legend className="visually-hidden">Accounts</legend>
      {items.map((account) => (
        <label key={account.id} className="picker-option">
          <input
            type="radio"
            name={name}
            value={account.id}
            checked={selectedId === account.id}
            onChange={() => onSelect(account)}
          />
          <span className="picker-name">{account.name}</span>
          <span className="mono muted">{account.external_id}</span>
          {account.segment ? <span className="muted">{account.segment}</span> : null}
        </label>
      ))}
      {search.data.total > items.length ? (
        <p className="muted picker-note">
          Showing {items.length} of {search.data.total}; type more to narrow the list.
        </p>
      ) : null}
    </fieldset>
  );
}

/** Choose the account an unmatched record's key belongs to, then link and replay. */
export function LinkDialog({
  record,
  onClose,
  onLinked,
}: {
  record: UnmatchedRecord;
  onClose: () => void;
  onLinked: (result: LinkResult, account: AccountSummary) => void;
}) {
  const [q, setQ] = useState("");
  const [selected, setSelected] = useState<AccountSummary | null>(null);
  const link = useLinkUnmatched();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!selected || link.isPending) return;
    link.mutate(
      { recordId: record.id, accountId: selected.id },
      { onSuccess: (result) => onLinked(result, selected) },
    );
  };

  return (
    <FormDialog
      title="Link to account"
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Link"
      pendingLabel="Linking…"
      pending={link.isPending}
      disabled={!selected}
    >
      <p className="dialog-lead">
        {humanize(record.account_key_type)} <strong className="mono">{record.account_key}</strong>
        {record.source ? ` from ${record.source}` : ""} will belong to the account you choose. Every
        pending record with this key is then replayed.
      </p>
      <SearchBox
        label="Search accounts"
        placeholder="Account name or external ID"
        value={q}
        onCommit={setQ}
      />
      <AccountResults q={q} selectedId={selected?.id} onSelect={setSelected} />
      {selected ? (
        <p className="picker-note">
          Link to <strong>{selected.name}</strong>
        </p>
      ) : null}
      {link.isError ? (
        <p className="alert alert-error" role="alert">
          {errorMessage(link.error)}
        </p>
      ) : null}
    </FormDialog>
  );
}
