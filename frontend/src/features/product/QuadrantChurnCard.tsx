import { useMemo } from "react";
import { formatInteger, formatNumber, formatPercent } from "../../lib/format";
import { Chart } from "../../ui/Chart";
import { QUADRANT_KEYS, QUADRANTS } from "../../ui/health";
import { QueryState } from "../../ui/QueryState";
import { EmptyState } from "../../ui/states";
import { quadrantChurnLabel, quadrantChurnOption } from "./charts";
import { activeQuarters, quarterLabel, quarterStart } from "./periods";
import { type QuarterChurn, useQuadrantChurn } from "./queries";
import { shortQuadrant } from "./transitions";

function ChurnTable({ quarters, current }: { quarters: QuarterChurn[]; current: string }) {
  return (
    <div className="table-scroll">
      <table className="table table-compact" aria-label="Churn rate by quadrant per quarter">
        <thead>
          <tr>
            <th scope="col">Quarter</th>
            {QUADRANT_KEYS.map((key) => (
              <th key={key} scope="col" className="num" title={QUADRANTS[key].label}>
                {shortQuadrant(key)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {[...quarters].reverse().map((q) => (
            <tr key={q.quarter}>
              <th scope="row">
                {quarterLabel(q.quarter)}
                {q.quarter === current ? <span className="muted small"> to date</span> : null}
              </th>
              {QUADRANT_KEYS.map((key) => {
                const r = q.quadrants.find((x) => x.label === key);
                const ratio = r?.ratio_to_champions;
                return (
                  <td
                    key={key}
                    className="num"
                    title={
                      r
                        ? `${formatInteger(r.churned)} of ${formatInteger(r.outcomes)} churned`
                        : undefined
                    }
                  >
                    {formatPercent(r?.churn_rate, 1)}
                    {r && r.outcomes > 0 ? (
                      <span className="muted small" data-testid="churn-sample">
                        {" "}
                        ({formatInteger(r.churned)} of {formatInteger(r.outcomes)})
                      </span>
                    ) : null}
                    {key !== "champions" && ratio !== null && ratio !== undefined ? (
                      <span className="ratio"> {formatNumber(ratio, 1)}×</span>
                    ) : null}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Churn rate by quadrant (90 days before each outcome) per quarter, with the ratio to Champions. */
export function QuadrantChurnCard({ today }: { today: string }) {
  const churn = useQuadrantChurn();
  const quarters = useMemo(
    () => (churn.data ? activeQuarters(churn.data.quarters) : []),
    [churn.data],
  );
  const option = useMemo(() => quadrantChurnOption(quarters), [quarters]);
  return (
    <section className="card" aria-labelledby="quadrant-churn-title">
      <div className="card-header product-header">
        <div>
          <h2 id="quadrant-churn-title">Churn rate by quadrant</h2>
          <span className="muted small">
            quadrant {churn.data?.horizon_days ?? 90} days before each renewal or churn, by quarter
            of the outcome · × = ratio to Champions
          </span>
        </div>
      </div>
      <QueryState
        query={churn}
        what="churn by quadrant"
        lines={6}
        isEmpty={() => quarters.length === 0}
        empty={
          <EmptyState title="No outcomes yet">
            Rates appear once renewals or churns happened after accounts were scored.
          </EmptyState>
        }
      >
        {() => (
          <div className="card-body product-split">
            <Chart option={option} height={260} label={quadrantChurnLabel(quarters)} />
            <ChurnTable quarters={quarters} current={quarterStart(today)} />
          </div>
        )}
      </QueryState>
    </section>
  );
}
