import { useMemo } from "react";
import { formatDate, formatInteger, formatMoney, formatPercent } from "../../lib/format";
import { quadrantLabel } from "../../ui/health";
import { QueryState } from "../../ui/QueryState";
import { EmptyState } from "../../ui/states";
import { quarterLabel, quarterSteps, shiftQuarter } from "./periods";
import { type TransitionMatrix, useTransitions } from "./queries";
import { type Slot, shortQuadrant, transitionGrid } from "./transitions";

function Matrix({ matrix, currency }: { matrix: TransitionMatrix; currency: string }) {
  const grid = useMemo(() => transitionGrid(matrix.cells), [matrix.cells]);
  const rowName = (s: Slot) => (s === null ? "New" : shortQuadrant(s));
  const colName = (s: Slot) => (s === null ? "Gone" : shortQuadrant(s));
  return (
    <>
      <div className="matrix">
        <table
          className="table table-compact matrix-table product-matrix"
          aria-label="Quadrant transitions"
        >
          <caption className="matrix-caption">
            Rows: quadrant on {formatDate(matrix.snapshot_from)}; columns: on{" "}
            {formatDate(matrix.snapshot_to)}
          </caption>
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">From</span>
              </th>
              {grid.columns.map((to) => (
                <th
                  key={to ?? "none"}
                  scope="col"
                  className="num"
                  title={to === null ? "Not placed on the second date" : quadrantLabel(to)}
                >
                  {colName(to)}
                </th>
              ))}
              <th scope="col" className="num">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {grid.rows.map((from) => (
              <tr key={from ?? "none"}>
                <th
                  scope="row"
                  title={from === null ? "Not placed on the first date" : quadrantLabel(from)}
                >
                  {rowName(from)}
                </th>
                {grid.columns.map((to) => {
                  const c = grid.cell(from, to);
                  const n = c?.accounts ?? 0;
                  const cls =
                    from !== null && from === to
                      ? "num matrix-same"
                      : n > 0
                        ? "num matrix-move"
                        : "num muted";
                  return (
                    <td
                      key={to ?? "none"}
                      className={cls}
                      title={c ? `${formatMoney(c.arr, currency)} ARR` : undefined}
                    >
                      {formatInteger(n)}
                    </td>
                  );
                })}
                <td className="num">{formatInteger(grid.rowTotal(from))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted small matrix-note">
        {formatInteger(grid.stayed)} of {formatInteger(grid.placed)} accounts placed on both dates
        kept their quadrant ({formatPercent(grid.placed ? grid.stayed / grid.placed : null, 0)}).
        New: not placed on the first date; gone: not placed on the second (churned or unscored).
      </p>
    </>
  );
}

/** How accounts moved between quadrants over a quarter: its start against the next one's. */
export function TransitionsCard({
  quarter,
  today,
  currency,
  onQuarter,
}: {
  quarter: string;
  /** The server's today; undefined until it is known (the default quarter depends on it). */
  today: string | undefined;
  currency: string;
  onQuarter: (quarter: string) => void;
}) {
  const steps = useMemo(() => (today ? quarterSteps(today) : []), [today]);
  const to = quarter || (steps[0]?.to ?? "");
  const from = to ? shiftQuarter(to, -1) : "";
  const options =
    !to || steps.some((s) => s.to === to)
      ? steps
      : [...steps, { from, to, label: `${quarterLabel(from)} → ${quarterLabel(to)}` }];
  const transitions = useTransitions(from, to);
  return (
    <section className="card" aria-labelledby="transitions-title">
      <div className="card-header product-header">
        <h2 id="transitions-title">Quadrant transitions</h2>
        <label className="inline-field">
          Quarter over quarter
          <select
            className="select select-sm"
            value={to}
            onChange={(e) => onQuarter(e.target.value === steps[0]?.to ? "" : e.target.value)}
          >
            {options.map((s) => (
              <option key={s.to} value={s.to}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <QueryState
        query={transitions}
        what="the transitions"
        lines={6}
        isEmpty={(m) => m.cells.length === 0}
        empty={
          <EmptyState title="No scores on these dates">
            The matrix needs accounts scored at both quarter starts.
          </EmptyState>
        }
      >
        {(m) => (
          <div className="card-body">
            <Matrix matrix={m} currency={currency} />
          </div>
        )}
      </QueryState>
    </section>
  );
}
