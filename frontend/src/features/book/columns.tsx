import { Link } from "@tanstack/react-router";
import { type ColumnDef, createColumnHelper, type RowData } from "@tanstack/react-table";
import type { AccountSummary } from "../../api/client";
import {
  DASH,
  daysBetween,
  formatDate,
  formatMoney,
  formatMoneyCompact,
  formatRelativeDays,
} from "../../lib/format";
import { FlagDot, Health, QuadrantPill, StatusPill } from "../../ui/health";

export interface BookColumnContext {
  currency: string;
  today: string;
}

declare module "@tanstack/react-table" {
  interface ColumnMeta<TData extends RowData, TValue> {
    /** Right-align numeric columns. */
    numeric?: boolean;
    /** Skeleton width while loading. */
    skeleton?: number;
  }
}

const col = createColumnHelper<AccountSummary>();

function Muted({ children }: { children?: string | null }) {
  return children || <span className="muted">{DASH}</span>;
}

/**
 * Column ids equal the API's sort keys for sortable columns, so the table's
 * sorting state maps 1:1 onto `?sort=`.
 */
export function bookColumns({ currency, today }: BookColumnContext) {
  return [
    col.accessor("name", {
      id: "name",
      header: "Account",
      sortDescFirst: false,
      meta: { skeleton: 160 },
      cell: ({ row }) => (
        <div className="cell-account">
          {row.original.flag ? (
            <FlagDot flag={row.original.flag} />
          ) : (
            <span className="dot dot-none" aria-hidden="true" />
          )}
          <Link
            to="/accounts/$accountId"
            params={{ accountId: row.original.id }}
            title={row.original.external_id}
          >
            {row.original.name}
          </Link>
        </div>
      ),
    }),
    col.accessor("segment", {
      id: "segment",
      header: "Segment",
      sortDescFirst: false,
      meta: { skeleton: 70 },
      cell: (info) => <Muted>{info.getValue()}</Muted>,
    }),
    col.accessor("plan", {
      id: "plan",
      header: "Plan",
      sortDescFirst: false,
      meta: { skeleton: 60 },
      cell: (info) => <Muted>{info.getValue()}</Muted>,
    }),
    col.accessor((a) => a.owner?.name || a.owner?.email || null, {
      id: "owner",
      header: "Owner",
      enableSorting: false,
      meta: { skeleton: 100 },
      cell: ({ row }) =>
        row.original.owner ? (
          <span title={row.original.owner.email}>
            {row.original.owner.name || row.original.owner.email}
          </span>
        ) : (
          <span className="muted">Unassigned</span>
        ),
    }),
    col.accessor("arr", {
      id: "arr",
      header: "ARR",
      sortDescFirst: true,
      meta: { numeric: true, skeleton: 50 },
      cell: (info) => (
        <span title={formatMoney(info.getValue(), currency)}>
          {formatMoneyCompact(info.getValue(), currency)}
        </span>
      ),
    }),
    col.accessor("renewal_date", {
      id: "renewal_date",
      header: "Renewal",
      sortDescFirst: false,
      meta: { skeleton: 120 },
      cell: (info) => {
        const date = info.getValue();
        if (!date) return <span className="muted">{DASH}</span>;
        return (
          <>
            {formatDate(date)}
            <span className="cell-sub">{formatRelativeDays(daysBetween(today, date))}</span>
          </>
        );
      },
    }),
    col.accessor("health_score", {
      id: "health_score",
      header: "Health",
      sortDescFirst: true,
      meta: { skeleton: 80 },
      cell: ({ row }) => <Health score={row.original.health_score} band={row.original.band} />,
    }),
    col.accessor("quadrant", {
      id: "quadrant",
      header: "Quadrant",
      enableSorting: false,
      meta: { skeleton: 110 },
      cell: (info) => <QuadrantPill quadrant={info.getValue()} />,
    }),
    col.accessor("status", {
      id: "status",
      header: "Status",
      enableSorting: false,
      meta: { skeleton: 50 },
      cell: (info) => <StatusPill status={info.getValue()} />,
    }),
  ] as ColumnDef<AccountSummary, unknown>[];
}
