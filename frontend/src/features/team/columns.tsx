import { Link } from "@tanstack/react-router";
import { type ColumnDef, createColumnHelper, type RowData } from "@tanstack/react-table";
import type { ReactNode } from "react";
import { formatInteger, formatMoney, formatMoneyCompact, formatPercent } from "../../lib/format";
import { Owner } from "../../ui/Owner";
import type { TeamRow, TeamView } from "./queries";
import { ownersFilter } from "./searchState";
import { Trend } from "./Trend";

declare module "@tanstack/react-table" {
  interface ColumnMeta<TData extends RowData, TValue> {
    /** What the column counts (the header's title). */
    definition?: string;
  }
}

const col = createColumnHelper<TeamRow>();

export const NOBODY = "nobody";

/** The row's key: the owner's id, or "nobody" for the accounts without an owner. */
export function rowId(row: TeamRow): string {
  return row.user_id ?? NOBODY;
}

export function personName(row: TeamRow): string {
  if (!row.user_id) return "No owner";
  return row.name?.trim() || row.email || "Unnamed";
}

function Person({ row: r }: { row: TeamRow }) {
  const details = [
    r.lead_name ? `reports to ${r.lead_name}` : null,
    r.role && r.role !== "csm" ? r.role : null,
    r.is_active ? null : "inactive",
  ].filter(Boolean);
  return (
    <div className="team-person">
      <Link
        to="/book"
        search={{ filter: ownersFilter([r.user_id ?? null]), scope: "all" }}
        title={
          r.user_id
            ? `${personName(r)}'s accounts in the Book`
            : "The accounts nobody owns, in the Book"
        }
      >
        {r.user_id ? <Owner name={r.name} email={r.email} /> : "No owner"}
      </Link>
      <span className="cell-sub muted small">
        {r.user_id ? details.join(" · ") || "\u00a0" : "accounts nobody owns"}
      </span>
    </div>
  );
}

function Money({ value, currency }: { value: number; currency: string }) {
  return <span title={formatMoney(value, currency)}>{formatMoneyCompact(value, currency)}</span>;
}

/** A column of the coverage table: its value for sorting, and how a row (or the totals) shows. */
function column(
  id: string,
  header: string,
  value: (r: TeamRow) => number,
  show: (r: TeamRow) => ReactNode,
  definition: string | undefined,
  totals: TeamRow | undefined,
): ColumnDef<TeamRow, unknown> {
  return col.accessor(value, {
    id,
    header,
    meta: { numeric: true, definition },
    cell: ({ row }) => show(row.original),
    footer: () => (totals ? show(totals) : null),
  }) as ColumnDef<TeamRow, unknown>;
}

/** The coverage table's columns, with the totals as their footers; the select and action
 * columns come from the page. */
export function teamColumns(
  definitions: TeamView["definitions"] | undefined,
  currency: string,
  totals: TeamRow | undefined,
): ColumnDef<TeamRow, unknown>[] {
  const d = definitions;
  return [
    col.accessor((r) => personName(r).toLowerCase(), {
      id: "name",
      header: "CSM",
      sortDescFirst: false,
      cell: ({ row }) => <Person row={row.original} />,
      footer: () => "Total",
    }) as ColumnDef<TeamRow, unknown>,
    column(
      "accounts",
      "Accounts",
      (r) => r.accounts,
      (r) => formatInteger(r.accounts),
      d?.accounts,
      totals,
    ),
    column(
      "arr",
      "ARR",
      (r) => r.arr,
      (r) => <Money value={r.arr} currency={currency} />,
      d?.arr,
      totals,
    ),
    column(
      "at_risk_arr",
      "Revenue at risk",
      (r) => r.at_risk_arr,
      (r) => (
        <span className="team-stack">
          <Money value={r.at_risk_arr} currency={currency} />
          <Trend
            change={r.at_risk_change}
            before={r.at_risk_arr_30d_ago}
            kind="money"
            goodWhen="down"
            currency={currency}
          />
        </span>
      ),
      d?.at_risk_arr,
      totals,
    ),
    column(
      "touched_share",
      "Touched 30 d",
      (r) => r.touched_share ?? -1,
      (r) => (
        <span className="team-stack">
          <span title={`${formatInteger(r.touched_accounts)} accounts touched`}>
            {formatPercent(r.touched_share, 0)}
          </span>
          <Trend
            change={r.touched_change}
            before={r.touched_share_30d_ago}
            kind="share"
            goodWhen="up"
          />
        </span>
      ),
      d?.touched_share,
      totals,
    ),
    column(
      "overdue_tasks",
      "Overdue",
      (r) => r.overdue_tasks,
      (r) => (
        <span className={r.overdue_tasks > 0 ? "negative" : undefined}>
          {formatInteger(r.overdue_tasks)}
        </span>
      ),
      d?.overdue_tasks,
      totals,
    ),
    column(
      "open_alerts",
      "Alerts",
      (r) => r.open_alerts,
      (r) => formatInteger(r.open_alerts),
      d?.open_alerts,
      totals,
    ),
    column(
      "queue_items",
      "In queue",
      (r) => r.queue_items,
      (r) => formatInteger(r.queue_items),
      d?.queue_items,
      totals,
    ),
  ];
}
