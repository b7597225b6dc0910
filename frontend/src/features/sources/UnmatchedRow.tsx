import type { UnmatchedRecord } from "../../api/client";
import { kindLabel } from "../../api/kinds";
import { DASH, formatInteger, formatTimeAgo, formatUtcDateTime, humanize } from "../../lib/format";
import { Pill } from "../../ui/Pill";

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

/** One record that found no account; unresolved ones offer "Link to account". */
export function UnmatchedRow({
  record,
  now,
  onLink,
}: {
  record: UnmatchedRecord;
  now: number;
  onLink: (record: UnmatchedRecord) => void;
}) {
  return (
    <tr data-testid="unmatched-row">
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
        {record.resolved_at ? (
          <Pill tone="green" title={`Resolved ${formatUtcDateTime(record.resolved_at)}`}>
            Resolved
          </Pill>
        ) : (
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => onLink(record)}
            aria-label={`Link ${record.account_key} to an account`}
          >
            Link to account
          </button>
        )}
      </td>
    </tr>
  );
}
