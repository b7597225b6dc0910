import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import {
  addDays,
  formatDate,
  formatInteger,
  formatMoney,
  formatMoneyCompact,
  formatRange,
  formatScore,
} from "../../lib/format";
import type { ListScope } from "../../lib/scope";
import { DirectionPill, QuadrantMove } from "../../ui/health";
import { Owner } from "../../ui/Owner";
import { Segmented } from "../../ui/Segmented";
import { EmptyState, ErrorState, Skeleton } from "../../ui/states";
import { type Mover, useMovers } from "./queries";
import { type DirectionFilter, MOVER_WINDOWS, type MoverWindow } from "./searchState";

export const MOVERS_PAGE_SIZE = 20;

const DIRECTIONS: { value: DirectionFilter; label: string }[] = [
  { value: "all", label: "All" },
  { value: "worse", label: "Worse" },
  { value: "better", label: "Better" },
];

function MoverRow({
  mover,
  currency,
  showOwner,
}: {
  mover: Mover;
  currency: string;
  showOwner: boolean;
}) {
  return (
    <tr data-testid="mover-row">
      <td>
        <Link to="/accounts/$accountId" params={{ accountId: mover.account_id }}>
          {mover.name}
        </Link>
      </td>
      <td>
        <QuadrantMove from={mover.from_quadrant} to={mover.to_quadrant} />
      </td>
      <td>
        <DirectionPill direction={mover.direction} />
      </td>
      <td className="num">
        {mover.health_score === null ? (
          <span className="muted">—</span>
        ) : (
          formatScore(mover.health_score)
        )}
      </td>
      <td className="num">
        <span title={formatMoney(mover.arr, currency)}>
          {formatMoneyCompact(mover.arr, currency)}
        </span>
      </td>
      <td>{formatDate(mover.moved_on)}</td>
      {showOwner ? (
        <td>
          <Owner name={mover.owner_name} email={mover.owner_email} />
        </td>
      ) : null}
    </tr>
  );
}

/** Accounts that changed quadrant recently, filterable by direction. */
export function MoversCard({
  until,
  today,
  direction,
  window,
  page,
  scope,
  showOwner,
  currency,
  onChange,
}: {
  /** Last day of the window; "" = today (the server's default). */
  until: string;
  today: string;
  direction: DirectionFilter;
  window: MoverWindow;
  page: number;
  /** Whose accounts ("" = the caller's default). */
  scope: ListScope | "";
  /** Not only the user's own accounts: who owns each. */
  showOwner: boolean;
  currency: string;
  onChange: (patch: { direction?: DirectionFilter; window?: MoverWindow; page?: number }) => void;
}) {
  // The server defaults to the 7 days before today: only send dates when they differ.
  const range =
    until || window !== 7
      ? { since: addDays(until || today, -window), ...(until ? { until } : {}) }
      : {};
  const movers = useMovers({
    ...range,
    ...(direction === "all" ? {} : { direction }),
    limit: MOVERS_PAGE_SIZE,
    offset: (page - 1) * MOVERS_PAGE_SIZE,
    ...(scope ? { scope } : {}),
  });
  const data = movers.data;
  const total = data?.total ?? 0;
  const lastPage = Math.max(1, Math.ceil(total / MOVERS_PAGE_SIZE));

  let body: ReactNode = null;
  if (movers.isError) {
    body = (
      <ErrorState
        title="Couldn't load the movers"
        error={movers.error}
        onRetry={() => void movers.refetch()}
      />
    );
  } else if (data && data.items.length === 0) {
    body = (
      <EmptyState title="No quadrant moves">
        {direction === "all"
          ? `No account changed quadrant between ${formatDate(data.since)} and ${formatDate(data.until)}.`
          : `No account moved ${direction === "worse" ? "to a worse" : "to a better"} quadrant in this period.`}
      </EmptyState>
    );
  }

  return (
    <section className="card table-card" aria-labelledby="movers-title">
      <div className="card-header">
        <h2 id="movers-title">Movers</h2>
        <span className="muted">
          {data ? `${formatInteger(total)} since ${formatDate(data.since)}` : "\u00a0"}
        </span>
      </div>
      <div className="toolbar">
        <Segmented
          label="Direction"
          options={DIRECTIONS}
          value={direction}
          onChange={(v) => onChange({ direction: v, page: 1 })}
        />
        <select
          className="select"
          aria-label="Period"
          value={window}
          onChange={(e) => {
            const next = MOVER_WINDOWS.find((w) => String(w) === e.target.value);
            if (next) onChange({ window: next, page: 1 });
          }}
        >
          {MOVER_WINDOWS.map((w) => (
            <option key={w} value={w}>
              Last {w} days
            </option>
          ))}
        </select>
        <div className="toolbar-spacer" />
        {movers.isFetching && !movers.isPending ? (
          <span className="fetching" aria-live="polite">
            Updating…
          </span>
        ) : null}
      </div>
      <div className="table-scroll">
        {movers.isError || (data && data.items.length === 0) ? null : (
          <table className={movers.isPlaceholderData ? "table table-busy" : "table"}>
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Move</th>
                <th scope="col">Direction</th>
                <th scope="col" className="num">
                  Health
                </th>
                <th scope="col" className="num">
                  ARR
                </th>
                <th scope="col">Moved on</th>
                {showOwner ? <th scope="col">Owner</th> : null}
              </tr>
            </thead>
            <tbody>
              {data
                ? data.items.map((m) => (
                    <MoverRow
                      key={`${m.account_id}-${m.moved_on}`}
                      mover={m}
                      currency={currency}
                      showOwner={showOwner}
                    />
                  ))
                : Array.from({ length: 5 }, (_, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: static placeholder rows
                    <tr key={i} className="row-loading">
                      {[160, 240, 70, 30, 50, 90, ...(showOwner ? [100] : [])].map((w, j) => (
                        // biome-ignore lint/suspicious/noArrayIndexKey: static placeholder cells
                        <td key={j}>
                          <Skeleton width={w} />
                        </td>
                      ))}
                    </tr>
                  ))}
            </tbody>
          </table>
        )}
        {body}
      </div>
      {total > MOVERS_PAGE_SIZE ? (
        <footer className="pager">
          <span className="pager-range" data-testid="movers-range">
            {formatRange(page, MOVERS_PAGE_SIZE, total)}
          </span>
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => onChange({ page: Math.max(1, page - 1) })}
            disabled={page <= 1}
          >
            ‹ Prev
          </button>
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => onChange({ page: page + 1 })}
            disabled={page >= lastPage}
          >
            Next ›
          </button>
        </footer>
      ) : null}
    </section>
  );
}
