import { useMemo } from "react";
import { formatInteger, formatNumber } from "../../lib/format";
import { Chart } from "../../ui/Chart";
import { QueryState } from "../../ui/QueryState";
import { EmptyState } from "../../ui/states";
import { timeToValueLabel, timeToValueOption } from "./charts";
import { type TimeToValue, useTimeToValue } from "./queries";

const days = (v: number | null) => (v === null ? "—" : `${formatNumber(v, 0)} d`);

function TimeToValueBody({ rows }: { rows: TimeToValue[] }) {
  const option = useMemo(() => timeToValueOption(rows), [rows]);
  return (
    <div className="card-body ttv">
      <Chart
        option={option}
        height={Math.max(160, 48 * rows.length + 72)}
        label={timeToValueLabel(rows)}
      />
      <div className="table-scroll">
        <table className="table table-compact" aria-label="Time to value by segment">
          <thead>
            <tr>
              <th scope="col">Segment</th>
              <th scope="col" className="num">
                Accounts
              </th>
              <th scope="col" className="num">
                To value
              </th>
              <th scope="col" className="num">
                p25–p75
              </th>
              <th scope="col" className="num">
                To onboarded
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.segment}>
                <th scope="row">{r.segment}</th>
                <td className="num">{formatInteger(r.accounts)}</td>
                <td className="num">{days(r.median_days)}</td>
                <td className="num">
                  {r.p25_days === null || r.p75_days === null
                    ? "—"
                    : `${formatNumber(r.p25_days, 0)}–${formatNumber(r.p75_days, 0)} d`}
                </td>
                <td className="num">{days(r.median_onboarding_days)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** Days from signup to first value (median, p25–p75) and to onboarding completed, by segment. */
export function TimeToValueCard() {
  const ttv = useTimeToValue();
  return (
    <section className="card" aria-labelledby="ttv-title">
      <div className="card-header">
        <h2 id="ttv-title">Time to value</h2>
        <span className="muted small">days from signup, by segment · medians and p25–p75</span>
      </div>
      <QueryState
        query={ttv}
        what="time to value"
        isEmpty={(rows) => rows.length === 0}
        empty={
          <EmptyState title="No time-to-value data">
            It needs accounts with a signup date and a first-value date.
          </EmptyState>
        }
      >
        {(rows) => <TimeToValueBody rows={rows} />}
      </QueryState>
    </section>
  );
}
