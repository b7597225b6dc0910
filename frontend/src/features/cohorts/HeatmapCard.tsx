import type { UseQueryResult } from "@tanstack/react-query";
import { formatInteger } from "../../lib/format";
import { QueryState } from "../../ui/QueryState";
import { Segmented } from "../../ui/Segmented";
import { EmptyState } from "../../ui/states";
import { cohortGroups, pickGroup } from "./cohortMath";
import type { CohortReport } from "./queries";
import { RetentionHeatmap } from "./RetentionHeatmap";
import type { CohortsState, RetentionMetric } from "./searchState";

export const METRICS = [
  { value: "logo", label: "Logo" },
  { value: "revenue", label: "Revenue" },
] as const;

const SPLIT_NAME: Record<string, string> = {
  segment: "Segment",
  plan: "Plan",
  channel: "Channel",
  onboarding: "Onboarding",
};

/** The retention heatmap, one group at a time when the cohorts are split. */
export function HeatmapCard({
  report,
  state,
  currency,
  onChange,
}: {
  report: UseQueryResult<CohortReport>;
  state: CohortsState;
  currency: string;
  onChange: (patch: Partial<CohortsState>) => void;
}) {
  // The answer may still be the previous split's while the new one loads.
  const data = report.data?.split === state.split ? report.data : undefined;
  const groups = data && state.split !== "none" ? cohortGroups(data.cohorts) : [];
  const group = data && state.split !== "none" ? pickGroup(data.cohorts, state.group) : "";

  return (
    <section className="card" aria-labelledby="heatmap-title">
      <div className="card-header card-header-wrap">
        <h2 id="heatmap-title">Retention by cohort</h2>
        <div className="toolbar-inline">
          {groups.length > 0 ? (
            <label className="inline-field">
              {SPLIT_NAME[state.split]}
              <select
                className="select select-sm"
                value={group}
                onChange={(e) => onChange({ group: e.target.value })}
              >
                {groups.map((g) => (
                  <option key={g.group} value={g.group}>
                    {g.group} ({formatInteger(g.accounts)})
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <Segmented<RetentionMetric>
            label="Retention"
            options={METRICS}
            value={state.metric}
            onChange={(metric) => onChange({ metric })}
          />
        </div>
      </div>
      <QueryState
        query={report}
        what="the cohorts"
        lines={8}
        isEmpty={(d) => d.cohorts.length === 0}
        empty={
          <EmptyState title="No cohorts in this period">
            Cohorts are accounts grouped by the month of their first ARR: pick a longer period, or
            import subscription lines.
          </EmptyState>
        }
      >
        {(d) => {
          const shown = d.split === "none" ? "" : pickGroup(d.cohorts, state.group);
          const cohorts =
            d.split === "none" ? d.cohorts : d.cohorts.filter((c) => c.group === shown);
          return (
            <div className="card-body">
              <RetentionHeatmap
                cohorts={cohorts}
                metric={state.metric}
                currency={currency}
                caption={d.split === "none" ? "all accounts" : shown}
              />
              <p className="heatmap-note muted small">
                Month 0 is the month after the first ARR.{" "}
                {state.metric === "revenue"
                  ? "Revenue retention is ARR now over ARR in month 0 (NRR by age): green above 100% (expansion), red below."
                  : "Logo retention is the share of the cohort's accounts still paying."}{" "}
                <span className="heat-to-date-key" aria-hidden="true" /> The last cell of each row
                is the month to date.
              </p>
            </div>
          );
        }}
      </QueryState>
    </section>
  );
}
