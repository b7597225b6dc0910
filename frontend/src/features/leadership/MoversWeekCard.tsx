import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { formatDate, formatInteger, formatMoney, formatMoneyCompact } from "../../lib/format";
import { DirectionPill, QuadrantMove } from "../../ui/health";
import { EmptyState, ErrorState, Skeleton } from "../../ui/states";
import { type Mover, useMovers } from "../quadrants/queries";

/** Rows shown here; the Quadrants view has them all. */
export const MOVER_ROWS = 10;
/** The server's default window: the 7 days before today. */
const QUERY = { limit: 500, offset: 0 };
const RANK: Record<string, number> = { worse: 0, sideways: 1, better: 2 };

/** Worse moves first, then sideways, then better; larger ARR first within each. */
export function worseFirst(movers: readonly Mover[]): Mover[] {
  return [...movers].sort(
    (a, b) => (RANK[a.direction] ?? 1) - (RANK[b.direction] ?? 1) || b.arr - a.arr,
  );
}

/** Accounts that changed quadrant in the last 7 days, worse moves first. */
export function MoversWeekCard({ currency }: { currency: string }) {
  const movers = useMovers(QUERY);
  const data = movers.data;
  const sorted = data ? worseFirst(data.items) : [];
  const worse = sorted.filter((m) => m.direction === "worse").length;
  const better = sorted.filter((m) => m.direction === "better").length;

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
      <EmptyState title="No quadrant moves this week">
        No account changed quadrant between {formatDate(data.since)} and {formatDate(data.until)}.
      </EmptyState>
    );
  }

  return (
    <section className="card table-card" aria-labelledby="movers-week-title">
      <div className="card-header">
        <h2 id="movers-week-title">Quadrant movers this week</h2>
        <span className="muted small" data-testid="movers-week-counts">
          {data ? (
            <>
              <span className="negative">{formatInteger(worse)} worse</span> ·{" "}
              <span className="positive">{formatInteger(better)} better</span>
            </>
          ) : (
            "\u00a0"
          )}
        </span>
      </div>
      <div className="table-scroll">
        {body ?? (
          <table className="table table-compact">
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Move</th>
                <th scope="col">Direction</th>
                <th scope="col" className="num">
                  ARR
                </th>
                <th scope="col">On</th>
              </tr>
            </thead>
            <tbody>
              {data
                ? sorted.slice(0, MOVER_ROWS).map((m) => (
                    <tr key={`${m.account_id}-${m.moved_on}`} data-testid="week-mover-row">
                      <td>
                        <div className="cell-account">
                          <Link to="/accounts/$accountId" params={{ accountId: m.account_id }}>
                            {m.name}
                          </Link>
                        </div>
                      </td>
                      <td>
                        <QuadrantMove from={m.from_quadrant} to={m.to_quadrant} />
                      </td>
                      <td>
                        <DirectionPill direction={m.direction} />
                      </td>
                      <td className="num">
                        <span title={formatMoney(m.arr, currency)}>
                          {formatMoneyCompact(m.arr, currency)}
                        </span>
                      </td>
                      <td>{formatDate(m.moved_on).replace(/, \d{4}$/, "")}</td>
                    </tr>
                  ))
                : Array.from({ length: 5 }, (_, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: static placeholder rows
                    <tr key={i} className="row-loading">
                      {[140, 220, 70, 50, 50].map((w, j) => (
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
      </div>
      {data && data.total > 0 ? (
        <footer className="pager">
          <span className="pager-range">
            {data.total > MOVER_ROWS
              ? `${MOVER_ROWS} of ${formatInteger(data.total)}`
              : `All ${formatInteger(data.total)}`}
          </span>
          <Link to="/quadrants" search={{ direction: "worse" }} className="btn btn-sm">
            Open Quadrants →
          </Link>
        </footer>
      ) : null}
    </section>
  );
}
