import { formatInteger, formatNumber } from "../../lib/format";
import { QueryState } from "../../ui/QueryState";
import { EmptyState } from "../../ui/states";
import { type ComplaintToFix, useComplaintToFix } from "./queries";

const days = (v: number | null) => (v === null ? "—" : `${formatNumber(v, 0)} d`);

function ComplaintsTable({ rows }: { rows: ComplaintToFix[] }) {
  const longest = Math.max(0, ...rows.map((r) => r.median_days_to_ship ?? 0));
  return (
    <div className="table-scroll">
      <table className="table table-compact" aria-label="Complaint to fix by product area">
        <thead>
          <tr>
            <th scope="col">Product area</th>
            <th scope="col" className="num">
              Raised
            </th>
            <th scope="col" className="num">
              Shipped
            </th>
            <th scope="col" className="num">
              Confirmed
            </th>
            <th scope="col" className="ship-col">
              Median days to ship
            </th>
            <th scope="col" className="num">
              Median days to confirm
            </th>
            <th scope="col" className="num">
              Oldest open
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.product_area} data-testid="complaint-row">
              <th scope="row">{r.product_area}</th>
              <td className="num">{formatInteger(r.raised)}</td>
              <td className="num">{formatInteger(r.shipped)}</td>
              <td className="num">{formatInteger(r.confirmed)}</td>
              <td className="ship-col">
                <span className="ship-bar">
                  <span
                    className="ship-bar-fill"
                    style={{
                      width: `${longest > 0 && r.median_days_to_ship !== null ? (100 * r.median_days_to_ship) / longest : 0}%`,
                    }}
                  />
                </span>
                <span className="ship-value">{days(r.median_days_to_ship)}</span>
              </td>
              <td className="num">{days(r.median_days_to_confirm)}</td>
              <td className="num">{days(r.oldest_open_days)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Product issues raised through CS over 12 months: how fast they were fixed and confirmed. */
export function ComplaintsCard() {
  const complaints = useComplaintToFix();
  return (
    <section className="card" aria-labelledby="complaints-title">
      <div className="card-header product-header">
        <div>
          <h2 id="complaints-title">Complaint to fix</h2>
          <span className="muted small">
            product issues raised through CS in 12 months · confirm: from the fix shipping to the
            customer confirming it
          </span>
        </div>
      </div>
      <QueryState
        query={complaints}
        what="complaint-to-fix"
        isEmpty={(rows) => rows.length === 0}
        empty={
          <EmptyState title="No product issues raised in 12 months">
            Issues appear here once CS records customer feedback for the product team.
          </EmptyState>
        }
      >
        {(rows) => <ComplaintsTable rows={rows} />}
      </QueryState>
    </section>
  );
}
