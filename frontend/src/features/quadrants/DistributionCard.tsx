import { useMemo } from "react";
import type { ListScope } from "../../lib/scope";
import { Chart } from "../../ui/Chart";
import { Segmented } from "../../ui/Segmented";
import { EmptyState, ErrorState, LoadingBlock } from "../../ui/states";
import { distributionOption } from "./charts";
import { useQuadrantHistory } from "./queries";
import type { Measure } from "./searchState";

const MEASURES = [
  { value: "count", label: "Accounts" },
  { value: "arr", label: "ARR" },
] as const;

/** Accounts (or ARR) per quadrant, week by week over the last 18 months. */
export function DistributionCard({
  to,
  scope,
  measure,
  currency,
  onMeasure,
}: {
  to: string;
  /** Whose accounts ("" = the caller's default). */
  scope: ListScope | "";
  measure: Measure;
  currency: string;
  onMeasure: (measure: Measure) => void;
}) {
  const history = useQuadrantHistory(to, scope);
  const option = useMemo(
    () => (history.data ? distributionOption(history.data, measure, currency) : null),
    [history.data, measure, currency],
  );

  let body = null;
  if (history.isPending) body = <LoadingBlock lines={6} label="Loading the distribution" />;
  else if (history.isError) {
    body = (
      <ErrorState
        title="Couldn't load the distribution"
        error={history.error}
        onRetry={() => void history.refetch()}
      />
    );
  } else if (history.data.series.length < 2 || !option) {
    body = (
      <EmptyState title="Not enough history yet">
        Weekly totals appear once more than one date has been scored (a new install scores its
        history in the background).
      </EmptyState>
    );
  } else {
    body = (
      <div className="card-body chart-body">
        <Chart
          option={option}
          height={460}
          label={`Stacked area chart of ${measure === "arr" ? "ARR" : "accounts"} per quadrant by week`}
        />
      </div>
    );
  }

  return (
    <section className="card" aria-labelledby="distribution-title">
      <div className="card-header">
        <h2 id="distribution-title">Distribution over time</h2>
        <Segmented label="Measure" options={MEASURES} value={measure} onChange={onMeasure} />
      </div>
      {body}
    </section>
  );
}
