import { useMemo } from "react";
import { formatInteger } from "../../lib/format";
import { Chart } from "../../ui/Chart";
import { QueryState } from "../../ui/QueryState";
import { EmptyState } from "../../ui/states";
import { engagementLabel, engagementOption, TIER_NAMES } from "./charts";
import { type Rate, useEngagementChurn } from "./queries";

function EngagementBody({ tiers }: { tiers: Rate[] }) {
  const option = useMemo(() => engagementOption(tiers), [tiers]);
  return (
    <div className="card-body chart-body">
      <Chart option={option} height={220} label={engagementLabel(tiers)} />
      <p className="muted small engagement-counts">
        {tiers
          .map(
            (t) =>
              `${TIER_NAMES[t.label] ?? t.label}: ${formatInteger(t.churned)} of ${formatInteger(t.outcomes)}`,
          )
          .join(" · ")}
      </p>
    </div>
  );
}

/** Churn rate by usage tier 90 days before each renewal outcome. */
export function EngagementCard() {
  const engagement = useEngagementChurn();
  return (
    <section className="card" aria-labelledby="engagement-title">
      <div className="card-header">
        <div>
          <h2 id="engagement-title">Churn by engagement</h2>
          <span className="muted small">
            usage score {engagement.data?.horizon_days ?? 90} days before the outcome: low &lt; 40 ≤
            medium &lt; 70 ≤ high
          </span>
        </div>
      </div>
      <QueryState
        query={engagement}
        what="churn by engagement"
        isEmpty={(d) => d.tiers.every((t) => t.outcomes === 0)}
        empty={
          <EmptyState title="No outcomes yet">
            Rates appear once renewals or churns happened after accounts were scored.
          </EmptyState>
        }
      >
        {(d) => <EngagementBody tiers={d.tiers} />}
      </QueryState>
    </section>
  );
}
