import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { errorMessage } from "../../api/errors";
import {
  formatDate,
  formatInteger,
  formatMoneyCompact,
  formatPercent,
  humanize,
} from "../../lib/format";
import type { ListScope } from "../../lib/scope";
import { EmptyState, ErrorState, LoadingBlock } from "../../ui/states";
import { TableScroll } from "../../ui/TableScroll";
import { downloadHygieneAccounts, type HygieneAccount, useHygieneAccounts } from "./queries";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** An offending value as the list shows it: dates, money, the ARR difference, plain text. */
function formatValue(
  key: string,
  value: HygieneAccount["values"][string] | undefined,
  currency: string,
) {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number") {
    if (key === "difference") return formatPercent(value, 1);
    if (key.endsWith("_arr")) return formatMoneyCompact(value, currency);
    if (key === "days_past") return `${formatInteger(value)} d`;
    return formatInteger(value);
  }
  if (key === "renewal_term") return humanize(value);
  return ISO_DATE.test(value) ? formatDate(value) : value;
}

/** Download the accounts behind a check as CSV (with the session's token). */
export function ExportCsvButton({ checkKey, scope }: { checkKey: string; scope: ListScope | "" }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      await downloadHygieneAccounts(checkKey, scope);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className="btn btn-sm" onClick={() => void run()} disabled={busy}>
        {busy ? "Exporting…" : "Export CSV"}
      </button>
      {error ? (
        <span className="field-error small" role="alert">
          {error}
        </span>
      ) : null}
    </>
  );
}

/**
 * The accounts behind one check or one field's missing fill (largest ARR first), each linking
 * to its page, with the values that fail and an export of every row.
 */
export function AccountsList({
  checkKey,
  label,
  scope,
  currency,
}: {
  checkKey: string;
  label: string;
  scope: ListScope | "";
  currency: string;
}) {
  const accounts = useHygieneAccounts(checkKey, scope);
  if (accounts.isPending)
    return <LoadingBlock lines={3} label={`Loading the accounts: ${label}`} />;
  if (accounts.isError) {
    return (
      <ErrorState
        title="Couldn't load the accounts"
        error={accounts.error}
        onRetry={() => void accounts.refetch()}
      />
    );
  }
  const data = accounts.data;
  if (data.total === 0) {
    return <EmptyState title="No account fails this">Nothing to fix here.</EmptyState>;
  }
  return (
    <div className="hygiene-accounts" data-testid="hygiene-accounts">
      <div className="hygiene-accounts-bar">
        <span className="muted small">
          {data.items.length < data.total
            ? `The ${formatInteger(data.items.length)} largest of ${formatInteger(data.total)} accounts by ARR; the export has them all`
            : `${formatInteger(data.total)} ${data.total === 1 ? "account" : "accounts"}, largest ARR first`}
        </span>
        <ExportCsvButton checkKey={checkKey} scope={scope} />
      </div>
      <TableScroll label={`Accounts: ${label}`}>
        <table className="table hygiene-accounts-table">
          <caption className="visually-hidden">Accounts: {label}</caption>
          <thead>
            <tr>
              <th scope="col">Account</th>
              <th scope="col">Owner</th>
              <th scope="col" className="num">
                ARR
              </th>
              {data.columns.map((c) => (
                <th
                  key={c.key}
                  scope="col"
                  className={c.key === "renewal_term" ? undefined : "num"}
                >
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.items.map((a) => (
              <tr key={a.id}>
                <td>
                  <Link to="/accounts/$accountId" params={{ accountId: a.id }}>
                    {a.name}
                  </Link>
                </td>
                <td className={a.owner_email ? undefined : "muted"}>
                  {a.owner_email ?? "No owner"}
                </td>
                <td className="num">{formatMoneyCompact(a.arr, currency)}</td>
                {data.columns.map((c) => (
                  <td key={c.key} className={c.key === "renewal_term" ? undefined : "num"}>
                    {formatValue(c.key, a.values[c.key], currency)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </div>
  );
}

/** The table row under a check or a field that lists its accounts; `id` is its toggle's target. */
export function AccountsRow({
  id,
  colSpan,
  ...list
}: {
  id: string;
  colSpan: number;
  checkKey: string;
  label: string;
  scope: ListScope | "";
  currency: string;
}) {
  return (
    <tr className="hygiene-list-row">
      <td colSpan={colSpan} id={id}>
        <AccountsList {...list} />
      </td>
    </tr>
  );
}
