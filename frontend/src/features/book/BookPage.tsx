import { getRouteApi } from "@tanstack/react-router";
import {
  flexRender,
  getCoreRowModel,
  type SortingState,
  type Updater,
  useReactTable,
} from "@tanstack/react-table";
import { type ReactNode, useEffect, useMemo } from "react";
import { ApiError } from "../../api/errors";
import { formatRange } from "../../lib/format";
import { SearchBox } from "../../ui/SearchBox";
import { EmptyState, ErrorState, Skeleton } from "../../ui/states";
import { useMe } from "../auth/queries";
import { useReportingContext } from "../meta/queries";
import "./book.css";
import { isListScope, type ListScope, shownScope } from "../../lib/scope";
import { ScopeToggle } from "../../ui/ScopeToggle";
import { ColumnMenu, useColumnChoice } from "./ColumnMenu";
import { type BookRow, bookColumns, columnVisibility } from "./columns";
import { ExportMenu } from "./ExportMenu";
import { FilterBar } from "./FilterBar";
import { rememberBookSearch } from "./lastSearch";
import { type SavedView, useAccounts, useBookFields, useSavedViews } from "./queries";
import {
  type BookState,
  fromSorting,
  hasFilters,
  PAGE_SIZES,
  type PageSize,
  parseBookSearch,
  type SortValue,
  serializeBookSearch,
  toAccountsQuery,
  toSorting,
} from "./searchState";
import { ViewChips } from "./ViewChips";
import { ViewsBar } from "./ViewsBar";

const route = getRouteApi("/_app/book");
const NO_ROWS: BookRow[] = [];
const SKELETON_ROWS = 10;

/** The page's subtitle: whose accounts it lists. */
function subtitle(scope: ListScope | ""): string {
  if (scope === "mine")
    return "Your accounts (owned or on the account team): value, renewal and health.";
  if (scope === "team") return "Your team's accounts: value, renewal and health.";
  return "Every account, its value, renewal and health.";
}

/** The term index and message of a refused filter (422 on `query.filter`), if that is the error. */
function filterProblem(error: unknown): { message: string; index: number | null } | null {
  if (!(error instanceof ApiError) || error.status !== 422) return null;
  const found = error.problem?.errors?.find((e) => e.loc?.[1] === "filter");
  if (!found) return null;
  const index = typeof found.loc?.[2] === "number" ? found.loc[2] : null;
  return { message: found.msg ?? error.message, index };
}

function SortArrow({ direction }: { direction: false | "asc" | "desc" }) {
  if (!direction) {
    return (
      <span className="sort-arrow sort-arrow-idle" aria-hidden="true">
        ↕
      </span>
    );
  }
  return (
    <span className="sort-arrow" aria-hidden="true">
      {direction === "asc" ? "▲" : "▼"}
    </span>
  );
}

export function BookPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const state = useMemo(() => parseBookSearch(search), [search]);
  const { currency, today } = useReportingContext();
  const query = useMemo(() => toAccountsQuery(state), [state]);
  const accounts = useAccounts(query);
  const fields = useBookFields();
  const views = useSavedViews(state.scope);
  const me = useMe();
  const data = accounts.data;
  const refused = filterProblem(accounts.error);
  const scope = shownScope(state.scope, data?.scope, me.data?.role);
  const [choice, setChoice] = useColumnChoice();
  const visibility = useMemo(() => columnVisibility(choice, scope === "mine"), [choice, scope]);

  useEffect(() => {
    rememberBookSearch(search);
  }, [search]);

  const update = (patch: Partial<BookState>, replace = false) => {
    void navigate({ search: serializeBookSearch({ ...state, ...patch }), replace });
  };

  const applyView = (view: SavedView) =>
    update({
      filter: view.query.filter,
      sort: view.query.sort as SortValue,
      q: view.query.q ?? "",
      page: 1,
      // over the user's scope, or everyone's when the view names an owner (the server says)
      scope: isListScope(view.scope) ? view.scope : state.scope,
    });

  const columns = useMemo(() => bookColumns({ currency, today }), [currency, today]);
  const sorting = useMemo(() => toSorting(state.sort), [state.sort]);
  const onSortingChange = (updater: Updater<SortingState>) => {
    const next = typeof updater === "function" ? updater(sorting) : updater;
    update({ sort: fromSorting(next), page: 1 });
  };

  const table = useReactTable({
    data: data?.items ?? NO_ROWS,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => row.id,
    manualSorting: true,
    manualPagination: true,
    enableMultiSort: false,
    enableSortingRemoval: false,
    state: { sorting, columnVisibility: visibility },
    onSortingChange,
  });
  const shownColumns = table.getVisibleLeafColumns();

  const total = data?.total ?? 0;
  const lastPage = Math.max(1, Math.ceil(total / state.pageSize));
  const filtered = hasFilters(state);
  const showSkeleton = accounts.isPending;
  const rows = table.getRowModel().rows;

  let body: ReactNode = null;
  if (accounts.isError && refused) {
    body = (
      <EmptyState title="This filter needs fixing">
        Change or remove the marked filter to see accounts.
      </EmptyState>
    );
  } else if (accounts.isError) {
    body = (
      <ErrorState
        title="Couldn't load accounts"
        error={accounts.error}
        onRetry={() => void accounts.refetch()}
      />
    );
  } else if (data && rows.length === 0) {
    if (data.total > 0 && state.page > 1) {
      body = (
        <EmptyState
          title="This page is past the end of the list"
          action={
            <button type="button" className="btn btn-sm" onClick={() => update({ page: 1 })}>
              Go to the first page
            </button>
          }
        />
      );
    } else if (filtered) {
      body = (
        <EmptyState
          title="No accounts match these filters"
          action={
            <button
              type="button"
              className="btn btn-sm"
              onClick={() => update({ q: "", filter: "", page: 1 })}
            >
              Clear filters
            </button>
          }
        />
      );
    } else if (scope === "mine" || scope === "team") {
      body = (
        <EmptyState
          title={scope === "mine" ? "You have no accounts yet" : "Your team has no accounts yet"}
          action={
            <button
              type="button"
              className="btn btn-sm"
              onClick={() => update({ scope: "all", page: 1 })}
            >
              See every account
            </button>
          }
        >
          {scope === "mine"
            ? "Accounts you own or are on the account team of appear here."
            : "Accounts owned by you and the people on your team appear here."}
        </EmptyState>
      );
    } else {
      body = (
        <EmptyState title="No accounts yet">
          Accounts appear here once a data source has been synced.
        </EmptyState>
      );
    }
  }

  return (
    <div className="page page-fill">
      <div className="page-header">
        <div>
          <h1>Book</h1>
          <p className="page-subtitle" data-testid="book-scope">
            {subtitle(scope)}
          </p>
        </div>
        <div className="page-actions">
          <ScopeToggle value={scope} onChange={(next) => update({ scope: next, page: 1 })} />
        </div>
      </div>

      <section className="card table-card" style={{ flex: 1 }} aria-label="Accounts">
        <div className="toolbar">
          <SearchBox
            label="Search accounts"
            placeholder="Search name or external ID"
            value={state.q}
            onCommit={(q) => update({ q, page: 1 }, true)}
          />
          <ViewsBar
            views={views.data}
            canSave={!refused}
            filter={state.filter}
            sort={state.sort}
            q={state.q}
            onApply={applyView}
          />
          <div className="toolbar-spacer" />
          {accounts.isFetching && !accounts.isPending ? (
            <span className="fetching" aria-live="polite">
              Updating…
            </span>
          ) : null}
          <ColumnMenu visible={visibility} choice={choice} onChange={setChoice} />
          <ExportMenu query={query} total={refused ? 0 : data?.total} />
        </div>
        <div className="toolbar toolbar-filters">
          <FilterBar
            filter={state.filter}
            fields={fields.data}
            error={refused?.message ?? null}
            errorIndex={refused?.index ?? null}
            onChange={(filter) => update({ filter, page: 1 })}
          />
          {filtered ? (
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              onClick={() => update({ q: "", filter: "", page: 1 })}
            >
              Clear all
            </button>
          ) : null}
        </div>
        <div className="toolbar toolbar-chips">
          <ViewChips
            views={views.data}
            filter={state.filter}
            onApply={applyView}
            onClear={() => update({ filter: "", page: 1 })}
          />
        </div>

        <div className="table-scroll">
          {accounts.isError && !refused ? null : (
            <table
              className={
                accounts.isPlaceholderData ? "table book-table table-busy" : "table book-table"
              }
              aria-busy={accounts.isFetching}
            >
              <thead>
                {table.getHeaderGroups().map((group) => (
                  <tr key={group.id}>
                    {group.headers.map((header) => {
                      const sorted = header.column.getIsSorted();
                      const canSort = header.column.getCanSort();
                      const label = flexRender(header.column.columnDef.header, header.getContext());
                      return (
                        <th
                          key={header.id}
                          scope="col"
                          className={header.column.columnDef.meta?.numeric ? "num" : undefined}
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
                {showSkeleton
                  ? Array.from({ length: SKELETON_ROWS }, (_, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: static placeholder rows
                      <tr key={i} className="row-loading">
                        {shownColumns.map((c) => (
                          <td key={c.id} className={c.columnDef.meta?.numeric ? "num" : undefined}>
                            <Skeleton width={c.columnDef.meta?.skeleton ?? 80} />
                          </td>
                        ))}
                      </tr>
                    ))
                  : rows.map((row) => (
                      <tr key={row.id} data-testid="account-row">
                        {row.getVisibleCells().map((cell) => (
                          <td
                            key={cell.id}
                            className={cell.column.columnDef.meta?.numeric ? "num" : undefined}
                          >
                            {flexRender(cell.column.columnDef.cell, cell.getContext())}
                          </td>
                        ))}
                      </tr>
                    ))}
              </tbody>
            </table>
          )}
          {body}
        </div>

        <footer className="pager">
          <label className="health">
            Rows per page
            <select
              className="select"
              value={state.pageSize}
              onChange={(e) =>
                update({
                  pageSize: parseBookSearch({ page_size: e.target.value }).pageSize as PageSize,
                  page: 1,
                })
              }
            >
              {PAGE_SIZES.map((size) => (
                <option key={size} value={size}>
                  {size}
                </option>
              ))}
            </select>
          </label>
          <span className="pager-range" aria-live="polite" data-testid="book-range">
            {data ? formatRange(state.page, state.pageSize, data.total) : "\u00a0"}
          </span>
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => update({ page: Math.max(1, state.page - 1) })}
            disabled={state.page <= 1}
          >
            ‹ Prev
          </button>
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => update({ page: state.page + 1 })}
            disabled={!data || state.page >= lastPage}
          >
            Next ›
          </button>
        </footer>
      </section>
    </div>
  );
}
