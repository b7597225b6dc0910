import { getRouteApi, Link } from "@tanstack/react-router";
import {
  type ColumnDef,
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  type RowSelectionState,
  type SortingState,
  useReactTable,
} from "@tanstack/react-table";
import { type ReactNode, useMemo, useState } from "react";
import { formatDate, formatInteger } from "../../lib/format";
import { Segmented } from "../../ui/Segmented";
import { EmptyState, ErrorState, LoadingBlock } from "../../ui/states";
import { TableScroll } from "../../ui/TableScroll";
import { useMe } from "../auth/queries";
import { useReportingContext } from "../meta/queries";
import { NOBODY, personName, rowId, teamColumns } from "./columns";
import { type ReassignResult, type TeamRow, useTeam } from "./queries";
import { ReassignDialog } from "./ReassignDialog";
import { parseTeamSearch, serializeTeamSearch, type TeamScope } from "./searchState";
import "./team.css";
import { canLeadTeam } from "./access";

const route = getRouteApi("/_app/team");

const SCOPES: { value: TeamScope | ""; label: string }[] = [
  { value: "team", label: "My team" },
  { value: "all", label: "Everyone" },
];

function SortArrow({ direction }: { direction: false | "asc" | "desc" }) {
  return (
    <span className={direction ? "sort-arrow" : "sort-arrow sort-arrow-idle"} aria-hidden="true">
      {direction === "asc" ? "▲" : direction === "desc" ? "▼" : "↕"}
    </span>
  );
}

function resultMessage(result: ReassignResult, to: TeamRow): string {
  const parts = [
    `Moved ${formatInteger(result.moved.length)} ${result.moved.length === 1 ? "account" : "accounts"} to ${personName(to)}.`,
  ];
  if (result.unchanged.length > 0) {
    parts.push(`${formatInteger(result.unchanged.length)} were theirs already.`);
  }
  if (result.missing.length > 0) {
    parts.push(`${formatInteger(result.missing.length)} no longer exist.`);
  }
  return parts.join(" ");
}

/** Coverage per CSM of a leader's team, with the change over 30 days, and reassigning accounts. */
export function TeamPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const state = useMemo(() => parseTeamSearch(search), [search]);
  const { currency: fallback } = useReportingContext();
  const role = useMe().data?.role;
  const team = useTeam(state.scope);
  const data = team.data;
  const currency = data?.currency ?? fallback;
  const scope: TeamScope | "" = state.scope || data?.scope || "";
  const [sorting, setSorting] = useState<SortingState>([{ id: "at_risk_arr", desc: true }]);
  const [selection, setSelection] = useState<RowSelectionState>({});
  const [reassigning, setReassigning] = useState<TeamRow[] | null>(null);
  const [notice, setNotice] = useState("");

  const rows = data?.rows ?? [];
  const columns = useMemo<ColumnDef<TeamRow, unknown>[]>(
    () => [
      {
        id: "select",
        enableSorting: false,
        header: ({ table }) => (
          <input
            type="checkbox"
            aria-label="Select every row"
            checked={table.getIsAllRowsSelected()}
            ref={(el) => {
              if (el) el.indeterminate = table.getIsSomeRowsSelected();
            }}
            onChange={table.getToggleAllRowsSelectedHandler()}
          />
        ),
        cell: ({ row }) => (
          <input
            type="checkbox"
            aria-label={`Select ${personName(row.original)}`}
            checked={row.getIsSelected()}
            disabled={!row.getCanSelect()}
            onChange={row.getToggleSelectedHandler()}
          />
        ),
      },
      ...teamColumns(data?.definitions, currency, data?.totals),
      {
        id: "actions",
        enableSorting: false,
        header: () => <span className="visually-hidden">Actions</span>,
        cell: ({ row }) => (
          <button
            type="button"
            className="btn btn-sm"
            disabled={row.original.accounts === 0}
            onClick={() => setReassigning([row.original])}
            aria-label={`Reassign ${personName(row.original)}'s accounts`}
          >
            Reassign…
          </button>
        ),
      },
    ],
    [data?.definitions, data?.totals, currency],
  );

  const table = useReactTable({
    data: rows,
    columns,
    getRowId: rowId,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    enableRowSelection: (row) => row.original.accounts > 0,
    state: { sorting, rowSelection: selection },
    onSortingChange: setSorting,
    onRowSelectionChange: setSelection,
  });
  const selected = rows.filter((r) => selection[rowId(r)]);
  const queueScope = scope === "all" ? "all" : "team";

  let body: ReactNode = null;
  if (team.isPending) body = <LoadingBlock lines={6} label="Loading the team" />;
  else if (team.isError) {
    body = (
      <ErrorState
        title="Couldn't load the team"
        error={team.error}
        onRetry={() => void team.refetch()}
      />
    );
  } else if (rows.length === 0) {
    body = (
      <EmptyState title="Nobody to show">
        No active CSMs in this view. People report to you when an admin sets you as their lead.
      </EmptyState>
    );
  }

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1>Team</h1>
          <p className="page-subtitle">
            Each CSM's book, its risk and coverage, with the change over 30 days
            {data ? ` · as of ${formatDate(data.as_of)}` : ""}
          </p>
        </div>
        <div className="page-actions">
          <Segmented<TeamScope | "">
            label="Whose CSMs"
            options={SCOPES}
            value={scope}
            onChange={(v) => {
              setSelection({});
              void navigate({ search: serializeTeamSearch({ scope: v }), replace: true });
            }}
          />
          <Link to="/today" search={{ scope: queueScope }} className="btn">
            Team queue →
          </Link>
        </div>
      </div>

      {role !== undefined && !canLeadTeam(role) ? (
        <p className="alert alert-info">The team view is for leaders and admins.</p>
      ) : null}
      {notice ? (
        <p className="alert alert-info" role="status" data-testid="reassign-notice">
          {notice}
        </p>
      ) : null}

      <section className="card table-card" aria-labelledby="team-title">
        <div className="card-header">
          <h2 id="team-title">Coverage</h2>
          <div className="toolbar-inline">
            <span className="muted small" data-testid="team-selected">
              {selected.length > 0
                ? `${formatInteger(selected.length)} selected · ${formatInteger(
                    selected.reduce((n, r) => n + r.accounts, 0),
                  )} accounts`
                : "Select rows to reassign their accounts"}
            </span>
            <button
              type="button"
              className="btn btn-sm btn-primary"
              disabled={selected.length === 0}
              onClick={() => setReassigning(selected)}
            >
              Reassign accounts…
            </button>
          </div>
        </div>
        {body ?? (
          <TableScroll label="Coverage per CSM">
            <table
              className={
                team.isPlaceholderData ? "table team-table table-busy" : "table team-table"
              }
            >
              <thead>
                {table.getHeaderGroups().map((group) => (
                  <tr key={group.id}>
                    {group.headers.map((header) => {
                      const meta = header.column.columnDef.meta;
                      const sorted = header.column.getIsSorted();
                      const label = flexRender(header.column.columnDef.header, header.getContext());
                      const canSort = header.column.getCanSort();
                      return (
                        <th
                          key={header.id}
                          scope="col"
                          className={
                            meta?.numeric
                              ? "num"
                              : header.id === "select"
                                ? "select-cell"
                                : undefined
                          }
                          aria-sort={
                            canSort
                              ? sorted === "asc"
                                ? "ascending"
                                : sorted === "desc"
                                  ? "descending"
                                  : "none"
                              : undefined
                          }
                        >
                          {canSort ? (
                            <button
                              type="button"
                              className="sort-btn"
                              title={meta?.definition}
                              onClick={header.column.getToggleSortingHandler()}
                            >
                              {label}
                              <SortArrow direction={sorted} />
                            </button>
                          ) : (
                            label
                          )}
                        </th>
                      );
                    })}
                  </tr>
                ))}
              </thead>
              <tbody>
                {table.getRowModel().rows.map((row) => (
                  <tr
                    key={row.id}
                    data-testid="team-row"
                    className={row.id === NOBODY ? "team-nobody" : undefined}
                  >
                    {row.getVisibleCells().map((cell) => (
                      <td
                        key={cell.id}
                        className={
                          cell.column.columnDef.meta?.numeric
                            ? "num"
                            : cell.column.id === "select"
                              ? "select-cell"
                              : undefined
                        }
                      >
                        {flexRender(cell.column.columnDef.cell, cell.getContext())}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
              {data ? (
                <tfoot>
                  {table
                    .getFooterGroups()
                    .slice(0, 1)
                    .map((group) => (
                      <tr key={group.id} className="team-totals" data-testid="team-totals">
                        {group.headers.map((header) =>
                          header.column.id === "name" ? (
                            <th key={header.id} scope="row">
                              Total
                            </th>
                          ) : (
                            <td
                              key={header.id}
                              className={header.column.columnDef.meta?.numeric ? "num" : undefined}
                            >
                              {flexRender(header.column.columnDef.footer, header.getContext())}
                            </td>
                          ),
                        )}
                      </tr>
                    ))}
                </tfoot>
              ) : null}
            </table>
          </TableScroll>
        )}
      </section>

      {data ? (
        <section className="card team-definitions" aria-labelledby="team-definitions-title">
          <h2 id="team-definitions-title" className="kpi-label">
            What the columns count
          </h2>
          <dl>
            <dt>Accounts</dt>
            <dd>{data.definitions.accounts}</dd>
            <dt>ARR</dt>
            <dd>{data.definitions.arr}</dd>
            <dt>Revenue at risk</dt>
            <dd>{data.definitions.at_risk_arr}</dd>
            <dt>Touched 30 d</dt>
            <dd>{data.definitions.touched_share}</dd>
            <dt>Overdue</dt>
            <dd>{data.definitions.overdue_tasks}</dd>
            <dt>Alerts</dt>
            <dd>{data.definitions.open_alerts}</dd>
            <dt>In queue</dt>
            <dd>{data.definitions.queue_items}</dd>
            <dt>Changes</dt>
            <dd>{data.definitions.trend}</dd>
          </dl>
        </section>
      ) : null}

      {reassigning ? (
        <ReassignDialog
          from={reassigning}
          rows={rows}
          currency={currency}
          onClose={() => setReassigning(null)}
          onDone={(result, to) => {
            setReassigning(null);
            setSelection({});
            setNotice(resultMessage(result, to));
          }}
        />
      ) : null}
    </div>
  );
}
