import { useMemo } from "react";
import { formatDate, formatInteger, formatMoneyCompact } from "../../lib/format";
import { Chart } from "../../ui/Chart";
import { QueryState } from "../../ui/QueryState";
import { Segmented } from "../../ui/Segmented";
import { EmptyState } from "../../ui/states";
import { driversLabel, driversOption } from "./charts";
import { type Driver, useChurnDrivers } from "./queries";
import type { DriverDimension } from "./searchState";

export const DIMENSIONS = [
  { value: "reason", label: "Reason" },
  { value: "kind", label: "Voluntary / involuntary" },
  { value: "quadrant", label: "Quadrant before" },
  { value: "segment", label: "Segment" },
  { value: "plan", label: "Plan" },
] as const;

function DriversChart({
  drivers,
  dimension,
  currency,
}: {
  drivers: Driver[];
  dimension: DriverDimension;
  currency: string;
}) {
  const option = useMemo(
    () => driversOption(drivers, dimension, currency),
    [drivers, dimension, currency],
  );
  return (
    <Chart
      option={option}
      height={Math.max(180, 34 * drivers.length + 24)}
      label={driversLabel(drivers, dimension, currency)}
    />
  );
}

/** Churns of the period ranked by lost ARR, with their count, along one dimension. */
export function DriversCard({
  months,
  dimension,
  currency,
  onDimension,
}: {
  months: number;
  dimension: DriverDimension;
  currency: string;
  onDimension: (dimension: DriverDimension) => void;
}) {
  const drivers = useChurnDrivers(months);
  const d = drivers.data;
  const total = d?.kind.reduce(
    (sum, k) => ({ churns: sum.churns + k.churns, lost: sum.lost + k.lost_arr }),
    { churns: 0, lost: 0 },
  );
  return (
    <section className="card" aria-labelledby="drivers-title">
      <div className="card-header card-header-wrap">
        <div>
          <h2 id="drivers-title">Churn drivers</h2>
          <span className="muted small">
            {d && total
              ? `${formatInteger(total.churns)} churns, ${formatMoneyCompact(total.lost, currency)} lost ARR since ${formatDate(d.since)} · bars: lost ARR · churns`
              : "\u00a0"}
          </span>
        </div>
        <Segmented<DriverDimension>
          label="Churn driver"
          options={DIMENSIONS}
          value={dimension}
          onChange={onDimension}
        />
      </div>
      <QueryState
        query={drivers}
        what="the churn drivers"
        isEmpty={(data) => data[dimension].length === 0}
        empty={
          <EmptyState title="No churn in this period">No account churned since then.</EmptyState>
        }
      >
        {(data) => (
          <div className="card-body chart-body">
            <DriversChart drivers={data[dimension]} dimension={dimension} currency={currency} />
          </div>
        )}
      </QueryState>
    </section>
  );
}
