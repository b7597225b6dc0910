import { type ReactNode, useState } from "react";
import { formatInteger } from "../../lib/format";
import { Skeleton } from "../../ui/states";
import type { Renewal } from "./queries";
import { RenewalRow } from "./RenewalRow";

const SKELETON_WIDTHS = [180, 120, 60, 50, 90, 110, 110, 80, 120, 140];
/** Rows rendered at first (and added per "Show more"): "any date" can list the whole book. */
const STEP = 100;

/**
 * Renewals by date with their term: health, quadrant, ARR, the team's forecast (editable)
 * beside health's.
 */
export function RenewalsTable({
  items,
  currency,
  canEdit,
  showOutcome,
  busy,
  empty,
}: {
  /** undefined while loading. */
  items: Renewal[] | undefined;
  currency: string;
  canEdit: boolean;
  showOutcome: boolean;
  busy: boolean;
  /** Shown instead of the table (error or empty). */
  empty: ReactNode;
}) {
  const [limit, setLimit] = useState(STEP);
  if (empty) return <div className="table-scroll">{empty}</div>;
  const hidden = items ? items.length - limit : 0;
  return (
    <div className="table-scroll">
      <table className={busy ? "table renewals-table table-busy" : "table renewals-table"}>
        <thead>
          <tr>
            <th scope="col">Account</th>
            <th scope="col">Renewal</th>
            <th scope="col">
              <span
                className="has-tip"
                title="What the renewal renews: a monthly billing cycle, a yearly or multi-year term, or a CRM contract date of unknown length. Hover a term to see where its date comes from."
              >
                Term
              </span>
            </th>
            <th scope="col" className="num" title="ARR up for renewal">
              ARR
            </th>
            <th scope="col">Health</th>
            <th scope="col">Quadrant</th>
            <th scope="col">Forecast</th>
            <th scope="col">
              <span
                className="has-tip"
                title="What health suggests, from the account's churn probability now: under 10% commit, under 25% upside, under 50% risk, else churn"
              >
                Suggested
              </span>
            </th>
            {showOutcome ? <th scope="col">Outcome</th> : null}
            <th scope="col">Notes</th>
            <th scope="col">Owner</th>
          </tr>
        </thead>
        <tbody>
          {items
            ? items
                .slice(0, limit)
                .map((r) => (
                  <RenewalRow
                    key={r.id}
                    renewal={r}
                    currency={currency}
                    canEdit={canEdit}
                    showOutcome={showOutcome}
                  />
                ))
            : Array.from({ length: 8 }, (_, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: static placeholder rows
                <tr key={i} className="row-loading">
                  {SKELETON_WIDTHS.map((w, j) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: static placeholder cells
                    <td key={j}>
                      <Skeleton width={w} />
                    </td>
                  ))}
                </tr>
              ))}
        </tbody>
      </table>
      {hidden > 0 ? (
        <div className="renewals-more">
          <button type="button" className="btn btn-sm" onClick={() => setLimit(limit + STEP)}>
            Show {formatInteger(Math.min(STEP, hidden))} more
          </button>
          <span className="muted small">{formatInteger(hidden)} not shown</span>
        </div>
      ) : null}
    </div>
  );
}
