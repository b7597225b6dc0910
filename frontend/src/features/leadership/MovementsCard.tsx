import { type ReactNode, useMemo } from "react";
import { Chart } from "../../ui/Chart";
import { Segmented } from "../../ui/Segmented";
import { EmptyState, ErrorState, LoadingBlock } from "../../ui/states";
import { movementsLabel, movementsOption } from "./charts";
import { PeriodsTable } from "./PeriodsTable";
import { useRetention } from "./queries";
import { RetentionFilters } from "./RetentionFilters";
import {
  hasRetentionFilters,
  type Interval,
  type LeadershipState,
  toRetentionQuery,
} from "./searchState";

const INTERVAL_OPTIONS: { value: Interval; label: string }[] = [
  { value: "month", label: "Month" },
  { value: "quarter", label: "Quarter" },
  { value: "ttm", label: "TTM" },
];

/** ARR movements per period (stacked bars, ending ARR as a line) and the periods' table. */
export function MovementsCard({
  state,
  currency,
  onChange,
}: {
  state: LeadershipState;
  currency: string;
  onChange: (patch: Partial<LeadershipState>) => void;
}) {
  const query = useMemo(() => toRetentionQuery(state), [state]);
  const retention = useRetention(query);
  const periods = retention.data?.periods;
  const option = useMemo(
    () => (periods ? movementsOption(periods, state.interval, currency) : null),
    [periods, state.interval, currency],
  );
  const filtered = hasRetentionFilters(state);
  const empty =
    periods?.every((p) => p.starting_arr === 0 && p.ending_arr === 0 && p.new === 0) ?? false;

  let body: ReactNode;
  if (retention.isPending) body = <LoadingBlock lines={8} label="Loading ARR movements" />;
  else if (retention.isError) {
    body = (
      <ErrorState
        title="Couldn't load ARR movements"
        error={retention.error}
        onRetry={() => void retention.refetch()}
      />
    );
  } else if (empty || !periods || !option) {
    body = (
      <EmptyState
        title={filtered ? "No ARR for these filters" : "No ARR movements yet"}
        action={
          filtered ? (
            <button
              type="button"
              className="btn btn-sm"
              onClick={() => onChange({ segment: "", plan: "", icpTier: "" })}
            >
              Clear filters
            </button>
          ) : undefined
        }
      >
        {filtered
          ? "No account with these current values had ARR in the period."
          : "Movements appear once subscription lines have been imported."}
      </EmptyState>
    );
  } else {
    body = (
      <div className={retention.isPlaceholderData ? "is-busy" : undefined}>
        <div className="card-body chart-body">
          <Chart
            option={option}
            height={320}
            label={movementsLabel(periods, state.interval, currency)}
          />
        </div>
        <PeriodsTable periods={periods} interval={state.interval} currency={currency} />
      </div>
    );
  }

  return (
    <section className="card table-card" aria-labelledby="movements-title">
      <div className="card-header">
        <h2 id="movements-title">ARR movements</h2>
        <span className="muted small">
          starting ARR + new + expansion + reactivation − contraction − churn ± FX (exchange rates)
          = ending ARR
        </span>
      </div>
      <div className="toolbar">
        <Segmented
          label="Interval"
          options={INTERVAL_OPTIONS}
          value={state.interval}
          onChange={(interval) => onChange({ interval })}
        />
        <RetentionFilters state={state} onChange={onChange} />
        {filtered ? (
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            onClick={() => onChange({ segment: "", plan: "", icpTier: "" })}
          >
            Clear
          </button>
        ) : null}
        <div className="toolbar-spacer" />
        {retention.isFetching && !retention.isPending ? (
          <span className="fetching" aria-live="polite">
            Updating…
          </span>
        ) : null}
      </div>
      {body}
    </section>
  );
}
