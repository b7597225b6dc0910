import { useId, useMemo, useState } from "react";
import { formatInteger, formatMoney, formatMoneyCompact, formatRange } from "../../lib/format";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { Dialog } from "../../ui/Dialog";
import { Health } from "../../ui/health";
import { Owner } from "../../ui/Owner";
import { ErrorState, LoadingBlock } from "../../ui/states";
import { personName } from "./columns";
import {
  OWNER_PAGE_SIZE,
  type ReassignResult,
  type TeamRow,
  useOwnerAccounts,
  useReassign,
} from "./queries";

/** Who the accounts go to: the active CSMs of the view, but the only owner the accounts have. */
export function reassignTargets(rows: TeamRow[], from: TeamRow[]): TeamRow[] {
  const only = from.length === 1 ? from[0]?.user_id : undefined;
  return rows.filter((r) => r.user_id && r.is_active && r.role === "csm" && r.user_id !== only);
}

/** "Move 3 accounts ($120K ARR) from Ann A to Ben B." */
export function moveSentence(
  count: number,
  arr: number,
  from: TeamRow[],
  to: TeamRow,
  currency: string,
): string {
  const what = `${formatInteger(count)} ${count === 1 ? "account" : "accounts"} (${formatMoneyCompact(arr, currency)} ARR)`;
  const source = from.length === 1 && from[0] ? ` from ${personName(from[0])}` : "";
  return `Move ${what}${source} to ${personName(to)}.`;
}

/**
 * Pick accounts of one or more owners (a page at a time, biggest ARR first) and the CSM they
 * go to; then confirm, saying how many accounts and how much ARR move.
 */
export function ReassignDialog({
  from,
  rows,
  currency,
  onClose,
  onDone,
}: {
  from: TeamRow[];
  rows: TeamRow[];
  currency: string;
  onClose: () => void;
  onDone: (result: ReassignResult, to: TeamRow) => void;
}) {
  const targetId = useId();
  const [page, setPage] = useState(1);
  const [picked, setPicked] = useState<Map<string, number>>(new Map());
  const [target, setTarget] = useState("");
  const [confirming, setConfirming] = useState(false);
  const owners = useMemo(() => from.map((r) => r.user_id ?? null), [from]);
  const accounts = useOwnerAccounts(owners, page);
  const reassign = useReassign();
  const targets = reassignTargets(rows, from);
  const to = targets.find((t) => t.user_id === target);
  const arr = [...picked.values()].reduce((sum, v) => sum + v, 0);
  const items = accounts.data?.items ?? [];
  const allOnPage = items.length > 0 && items.every((a) => picked.has(a.id));
  const title =
    from.length === 1 && from[0]
      ? `Reassign ${personName(from[0])}'s accounts`
      : `Reassign accounts of ${from.length} people`;

  const toggle = (id: string, value: number) => {
    setPicked((current) => {
      const next = new Map(current);
      if (next.has(id)) next.delete(id);
      else next.set(id, value);
      return next;
    });
  };
  const togglePage = () => {
    setPicked((current) => {
      const next = new Map(current);
      for (const a of items) {
        if (allOnPage) next.delete(a.id);
        else next.set(a.id, a.arr);
      }
      return next;
    });
  };

  if (confirming && to) {
    return (
      <ConfirmDialog
        title={`Reassign ${formatInteger(picked.size)} ${picked.size === 1 ? "account" : "accounts"}?`}
        confirmLabel="Reassign"
        busyLabel="Reassigning…"
        busy={reassign.isPending}
        error={reassign.error}
        onClose={() => {
          reassign.reset();
          setConfirming(false);
        }}
        onConfirm={() =>
          reassign.mutate(
            { account_ids: [...picked.keys()], owner_id: target },
            { onSuccess: (result) => onDone(result, to) },
          )
        }
      >
        <p className="dialog-lead" data-testid="reassign-summary">
          {moveSentence(picked.size, arr, from, to, currency)}
        </p>
        <p className="muted small">
          Their open alerts, tasks and renewals stay with the accounts; each move is recorded in the
          audit log.
        </p>
      </ConfirmDialog>
    );
  }

  let list = null;
  if (accounts.isPending) list = <LoadingBlock lines={5} label="Loading the accounts" />;
  else if (accounts.isError) {
    list = (
      <ErrorState
        title="Couldn't load the accounts"
        error={accounts.error}
        onRetry={() => void accounts.refetch()}
      />
    );
  } else if (items.length === 0) {
    list = <p className="muted">No active accounts to reassign.</p>;
  } else {
    const total = accounts.data.total;
    list = (
      <>
        <table className="table table-compact reassign-table">
          <thead>
            <tr>
              <th scope="col" className="select-cell">
                <input
                  type="checkbox"
                  aria-label="Select every account on this page"
                  checked={allOnPage}
                  onChange={togglePage}
                />
              </th>
              <th scope="col">Account</th>
              {from.length > 1 ? <th scope="col">Owner</th> : null}
              <th scope="col" className="num">
                ARR
              </th>
              <th scope="col">Health</th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.id} data-testid="reassign-account">
                <td className="select-cell">
                  <input
                    type="checkbox"
                    aria-label={`Select ${a.name}`}
                    checked={picked.has(a.id)}
                    onChange={() => toggle(a.id, a.arr)}
                  />
                </td>
                <td>{a.name}</td>
                {from.length > 1 ? (
                  <td>
                    <Owner name={a.owner?.name} email={a.owner?.email} />
                  </td>
                ) : null}
                <td className="num">
                  <span title={formatMoney(a.arr, currency)}>
                    {formatMoneyCompact(a.arr, currency)}
                  </span>
                </td>
                <td>
                  <Health score={a.health_score} band={a.band} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {total > OWNER_PAGE_SIZE ? (
          <div className="reassign-pager">
            <span className="muted small">{formatRange(page, OWNER_PAGE_SIZE, total)}</span>
            <button
              type="button"
              className="btn btn-sm"
              disabled={page <= 1}
              onClick={() => setPage(page - 1)}
            >
              ‹ Prev
            </button>
            <button
              type="button"
              className="btn btn-sm"
              disabled={page * OWNER_PAGE_SIZE >= total}
              onClick={() => setPage(page + 1)}
            >
              Next ›
            </button>
          </div>
        ) : null}
      </>
    );
  }

  return (
    <Dialog
      title={title}
      onClose={onClose}
      footer={
        <>
          <span className="muted small reassign-picked" data-testid="reassign-picked">
            {formatInteger(picked.size)} selected · {formatMoneyCompact(arr, currency)} ARR
          </span>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="btn btn-primary"
            disabled={picked.size === 0 || !to}
            onClick={() => setConfirming(true)}
          >
            Reassign…
          </button>
        </>
      }
    >
      <div className="dialog-form reassign-form">
        <label className="field" htmlFor={targetId}>
          <span className="field-label">Reassign to…</span>
          <select
            id={targetId}
            className="select"
            value={target}
            onChange={(e) => setTarget(e.target.value)}
          >
            <option value="">Choose a CSM</option>
            {targets.map((t) => (
              <option key={t.user_id} value={t.user_id ?? ""}>
                {personName(t)} · {formatInteger(t.accounts)} accounts
              </option>
            ))}
          </select>
        </label>
        <div className="reassign-list">{list}</div>
      </div>
    </Dialog>
  );
}
