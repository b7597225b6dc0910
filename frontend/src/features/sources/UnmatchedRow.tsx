import type { UnmatchedRecord } from "../../api/client";
import { kindLabel } from "../../api/kinds";
import { DASH, formatInteger, formatTimeAgo, formatUtcDateTime, humanize } from "../../lib/format";
import { Pill } from "../../ui/Pill";
import { Reasons } from "./Reasons";

export const UNMATCHED_COLUMNS = [
  "Kind",
  "Item ID",
  "Key type",
  "Key",
  "Source",
  "Received",
  "Attempts",
  "",
] as const;

function Status({
  record,
  onLink,
}: {
  record: UnmatchedRecord;
  onLink: (record: UnmatchedRecord) => void;
}) {
  if (record.status === "rejected") {
    return (
      <Pill tone="red" title="Its account was found at replay, but the item could not be stored">
        Rejected
      </Pill>
    );
  }
  if (record.status === "resolved") {
    return (
      <Pill tone="green" title={`Resolved ${formatUtcDateTime(record.resolved_at)}`}>
        Resolved
      </Pill>
    );
  }
  return (
    <button
      type="button"
      className="btn btn-sm"
      onClick={() => onLink(record)}
      aria-label={`Link ${record.account_key} to an account`}
    >
      Link to account
    </button>
  );
}

/**
 * One record that found no account; pending ones offer "Link to account", rejected ones
 * (refused at replay) show why on a line of their own below.
 */
export function UnmatchedRow({
  record,
  now,
  onLink,
}: {
  record: UnmatchedRecord;
  now: number;
  onLink: (record: UnmatchedRecord) => void;
}) {
  const rejected = record.status === "rejected";
  return (
    <>
      <tr data-testid="unmatched-row" className={rejected ? "row-has-sub" : undefined}>
        <td>{kindLabel(record.kind)}</td>
        <td className="mono">{record.item_id}</td>
        <td>{humanize(record.account_key_type)}</td>
        <td className="mono">{record.account_key}</td>
        <td>{record.source ?? <span className="muted">{DASH}</span>}</td>
        <td title={formatUtcDateTime(record.received_at)}>
          {formatTimeAgo(record.received_at, now)}
        </td>
        <td className="num">{formatInteger(record.attempts)}</td>
        <td className="num">
          <Status record={record} onLink={onLink} />
        </td>
      </tr>
      {rejected ? (
        <tr className="row-sub" data-testid="unmatched-reasons">
          <td colSpan={UNMATCHED_COLUMNS.length}>
            <span className="row-sub-label">Rejected at replay:</span>
            <Reasons errors={record.errors} />
          </td>
        </tr>
      ) : null}
    </>
  );
}
