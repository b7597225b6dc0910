import { Link } from "@tanstack/react-router";
import { type ColumnDef, createColumnHelper, type RowData } from "@tanstack/react-table";
import type { Schemas } from "../../api/client";
import {
  DASH,
  daysBetween,
  formatDate,
  formatInteger,
  formatMoney,
  formatMoneyCompact,
  formatPercent,
  formatRelativeDays,
} from "../../lib/format";
import { FlagDot, Health, QuadrantPill, StatusPill } from "../../ui/health";
import { Owner } from "../../ui/Owner";
import { ForecastPill } from "../renewals/ForecastPill";
import { TermLabel } from "../renewals/TermLabel";

/** A row of the book: the account's summary and the columns the book adds. */
export type BookRow = Schemas["BookRow"];

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

const col = createColumnHelper<BookRow>();

function Muted({ children }: { children?: string | null }) {
  return children || <span className="muted">{DASH}</span>;
}

/** "12 d ago"; never is "never", shown as a warning past `warnAfter` days. */
function Age({
  today,
  date,
  warnAfter,
}: {
  today: string;
  date?: string | null;
  warnAfter?: number;
}) {
  if (!date) return <span className={warnAfter ? "negative" : "muted"}>never</span>;
  const days = daysBetween(today, date);
  const old = warnAfter !== undefined && days !== null && -days > warnAfter;
  return (
    <span title={formatDate(date)} className={old ? "negative" : undefined}>
      {formatRelativeDays(days)}
    </span>
  );
}

/**
 * Column ids equal the API's sort keys for sortable columns, so the table's
 * sorting state maps 1:1 onto `?sort=`. In the order a CSM reads them: the columns shown
 * by default first (they fit a 1,280 px window), then the ones a click away.
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
    col.accessor("health_score", {
      id: "health_score",
      header: "Health",
      sortDescFirst: true,
      meta: { skeleton: 80 },
      cell: ({ row }) => <Health score={row.original.health_score} band={row.original.band} />,
    }),
    col.accessor("renewal_date", {
      id: "renewal_date",
      header: "Renewal",
      sortDescFirst: false,
      meta: { skeleton: 90 },
      // The account's next renewal (CRM contract date, else the next billing cycle): how soon
      // (the date on hover) and its term.
      cell: ({ row }) => {
        const date = row.original.renewal_date;
        if (!date) return <span className="muted">{DASH}</span>;
        return (
          <>
            <span title={formatDate(date)}>{formatRelativeDays(daysBetween(today, date))}</span>
            <TermLabel term={row.original.renewal_term} className="cell-sub book-renewal-term" />
          </>
        );
      },
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
    col.accessor("last_touch_on", {
      id: "last_touch_on",
      header: "Last touch",
      sortDescFirst: false,
      meta: { skeleton: 60 },
      cell: (info) => <Age today={today} date={info.getValue()} />,
    }),
    col.accessor("last_qbr_on", {
      id: "last_qbr_on",
      header: "Last QBR",
      sortDescFirst: false,
      meta: { skeleton: 60 },
      cell: (info) => <Age today={today} date={info.getValue()} warnAfter={90} />,
    }),
    col.accessor("open_tickets", {
      id: "open_tickets",
      header: "Tickets",
      sortDescFirst: true,
      meta: { numeric: true, skeleton: 30 },
      cell: (info) => (
        <Muted>{info.getValue() == null ? null : formatInteger(info.getValue())}</Muted>
      ),
    }),
    col.accessor("open_alerts", {
      id: "open_alerts",
      header: "Alerts",
      enableSorting: false,
      meta: { numeric: true, skeleton: 30 },
      cell: (info) =>
        info.getValue() ? (
          <span className="pill pill-red" title="Open alerts">
            {info.getValue()}
          </span>
        ) : (
          <span className="muted">{DASH}</span>
        ),
    }),
    col.accessor((a) => a.owner?.name || a.owner?.email || null, {
      id: "owner",
      header: "Owner",
      enableSorting: false,
      meta: { skeleton: 100 },
      cell: ({ row }) => (
        <span className="book-owner">
          <Owner name={row.original.owner?.name} email={row.original.owner?.email} />
        </span>
      ),
    }),
    col.accessor("segment", {
      id: "segment",
      header: "Segment · plan",
      sortDescFirst: false,
      meta: { skeleton: 90 },
      cell: ({ row }) => (
        <>
          <Muted>{row.original.segment}</Muted>
          {row.original.plan ? <span className="cell-sub">{row.original.plan}</span> : null}
        </>
      ),
    }),
    col.accessor("quadrant", {
      id: "quadrant",
      header: "Quadrant",
      enableSorting: false,
      meta: { skeleton: 110 },
      cell: (info) => <QuadrantPill quadrant={info.getValue()} />,
    }),
    col.accessor("feature_adoption", {
      id: "feature_adoption",
      header: "Adoption",
      sortDescFirst: true,
      meta: { numeric: true, skeleton: 40 },
      cell: (info) => (
        <Muted>{info.getValue() == null ? null : formatPercent(info.getValue(), 0)}</Muted>
      ),
    }),
    col.accessor("usage_change", {
      id: "usage_change",
      header: "Usage 4w",
      sortDescFirst: false,
      meta: { numeric: true, skeleton: 40 },
      cell: (info) => {
        const v = info.getValue();
        if (v == null) return <span className="muted">{DASH}</span>;
        return (
          <span className={v <= -0.3 ? "negative" : v >= 0.1 ? "positive" : undefined}>
            {v > 0 ? "+" : ""}
            {formatPercent(v, 0)}
          </span>
        );
      },
    }),
    col.accessor("status", {
      id: "status",
      header: "Status",
      enableSorting: false,
      meta: { skeleton: 50 },
      cell: (info) => <StatusPill status={info.getValue()} />,
    }),
    col.accessor("contract_start", {
      id: "contract_start",
      header: "Contract start",
      sortDescFirst: false,
      meta: { skeleton: 80 },
      // The start of the term that ends at the next renewal.
      cell: (info) => <Muted>{info.getValue() ? formatDate(info.getValue()) : null}</Muted>,
    }),
    col.accessor("days_since_primary_login", {
      id: "days_since_primary_login",
      header: "Primary login",
      enableSorting: false,
      meta: { numeric: true, skeleton: 60 },
      cell: (info) => {
        const days = info.getValue();
        if (days == null) {
          return (
            <span
              className="muted"
              title="No primary contact, or none of the account's usage can be tied to them"
            >
              {DASH}
            </span>
          );
        }
        return (
          <span className={days > 30 ? "negative" : undefined}>{formatRelativeDays(-days)}</span>
        );
      },
    }),
    col.accessor("oldest_ticket_age_days", {
      id: "oldest_ticket_age_days",
      header: "Oldest ticket",
      sortDescFirst: true,
      meta: { numeric: true, skeleton: 40 },
      cell: (info) => (
        <Muted>{info.getValue() == null ? null : `${formatInteger(info.getValue())} d`}</Muted>
      ),
    }),
    col.accessor("forecast_status", {
      id: "forecast_status",
      header: "Forecast",
      sortDescFirst: false,
      meta: { skeleton: 60 },
      cell: (info) =>
        info.getValue() ? (
          <ForecastPill
            forecast={info.getValue() ?? null}
            title="Forecast of the next term renewal"
          />
        ) : (
          <span className="muted">{DASH}</span>
        ),
    }),
    col.accessor("expansion_potential", {
      id: "expansion_potential",
      header: "Expansion",
      enableSorting: false,
      meta: { numeric: true, skeleton: 50 },
      cell: (info) =>
        info.getValue() == null ? (
          <span className="muted">{DASH}</span>
        ) : (
          <span
            className="positive"
            title={`${formatMoney(info.getValue(), currency)} expected expansion, as the queue ranks opportunities`}
          >
            {formatMoneyCompact(info.getValue(), currency)}
          </span>
        ),
    }),
  ] as ColumnDef<BookRow, unknown>[];
}

/** The columns that can be shown or hidden (every one but the account's name), in table order. */
export const CHOOSABLE_COLUMNS: readonly { id: string; label: string }[] = [
  { id: "health_score", label: "Health" },
  { id: "renewal_date", label: "Renewal" },
  { id: "arr", label: "ARR" },
  { id: "last_touch_on", label: "Last touch" },
  { id: "last_qbr_on", label: "Last QBR" },
  { id: "open_tickets", label: "Open tickets" },
  { id: "open_alerts", label: "Open alerts" },
  { id: "owner", label: "Owner" },
  { id: "segment", label: "Segment · plan" },
  { id: "quadrant", label: "Quadrant" },
  { id: "feature_adoption", label: "Feature adoption" },
  { id: "usage_change", label: "Usage change (4 weeks)" },
  { id: "status", label: "Status" },
  { id: "contract_start", label: "Contract start" },
  { id: "days_since_primary_login", label: "Days since primary contact login" },
  { id: "oldest_ticket_age_days", label: "Oldest open ticket age" },
  { id: "forecast_status", label: "Renewal forecast" },
  { id: "expansion_potential", label: "Expansion potential" },
];

/** Shown unless the user hides them: what a CSM works from, fitting a 1,280 px window. */
const SHOWN_BY_DEFAULT = new Set([
  "health_score",
  "renewal_date",
  "arr",
  "last_touch_on",
  "last_qbr_on",
  "open_tickets",
  "open_alerts",
]);

/** The user's choice: shown (true) or hidden (false) columns, beside the defaults. */
export type ColumnChoice = Record<string, boolean>;

/**
 * Whether each choosable column is shown: the user's choice, else the default (the owner
 * only when the list is not the user's own accounts).
 */
export function columnVisibility(choice: ColumnChoice, ownOnly: boolean): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const { id } of CHOOSABLE_COLUMNS) {
    const byDefault = id === "owner" ? !ownOnly : SHOWN_BY_DEFAULT.has(id);
    out[id] = choice[id] ?? byDefault;
  }
  return out;
}
