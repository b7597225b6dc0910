import { useMemo } from "react";
import { Chart } from "../../ui/Chart";
import { QueryState } from "../../ui/QueryState";
import { Segmented } from "../../ui/Segmented";
import { EmptyState } from "../../ui/states";
import { distributionOption } from "../quadrants/charts";
import { useQuadrantHistory } from "../quadrants/queries";
import type { Measure } from "../quadrants/searchState";
import { monthlyHistory } from "./periods";

const MEASURES = [
  { value: "count", label: "Accounts" },
  { value: "arr", label: "ARR" },
] as const;

/** Accounts (or ARR) per quadrant at the end of each month (the Quadrants view's history). */
export function MonthlyDistributionCard({
  measure,
  currency,
  onMeasure,
}: {
  measure: Measure;
  currency: string;
  onMeasure: (measure: Measure) => void;
}) {
  const history = useQuadrantHistory("");
  const monthly = useMemo(
    () => (history.data ? monthlyHistory(history.data) : null),
    [history.data],
  );
  const option = useMemo(
    () => (monthly ? distributionOption(monthly, measure, currency) : null),
    [monthly, measure, currency],
  );
  return (
    <section className="card" aria-labelledby="distribution-title">
      <div className="card-header product-header">
        <div>
          <h2 id="distribution-title">Quadrants by month</h2>
          <span className="muted small">last scored week of each month, 18 months</span>
        </div>
        <Segmented label="Measure" options={MEASURES} value={measure} onChange={onMeasure} />
      </div>
      <QueryState
        query={history}
        what="the quadrant history"
        lines={6}
        isEmpty={() => (monthly?.series.length ?? 0) < 2}
        empty={
          <EmptyState title="Not enough history yet">
            Monthly totals appear once more than one month has been scored (a new install scores its
            history in the background).
          </EmptyState>
        }
      >
        {() =>
          option ? (
            <div className="card-body chart-body">
              <Chart
                option={option}
                height={320}
                label={`Stacked area chart of ${measure === "arr" ? "ARR" : "accounts"} per quadrant by month`}
              />
            </div>
          ) : null
        }
      </QueryState>
    </section>
  );
}
