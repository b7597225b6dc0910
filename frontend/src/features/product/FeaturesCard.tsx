import { useMemo } from "react";
import { Chart } from "../../ui/Chart";
import { QueryState } from "../../ui/QueryState";
import { EmptyState } from "../../ui/states";
import { featuresLabel, featuresOption } from "./charts";
import { type FeatureByQuadrant, useFeaturesByQuadrant } from "./queries";

function FeaturesChart({ features }: { features: FeatureByQuadrant[] }) {
  const option = useMemo(() => featuresOption(features), [features]);
  return (
    <Chart
      option={option}
      height={Math.max(200, 26 * features.length + 64)}
      label={featuresLabel(features)}
    />
  );
}

/** Which features Champions use that Frustrated Power Users don't (and the reverse). */
export function FeaturesCard() {
  const features = useFeaturesByQuadrant();
  return (
    <section className="card" aria-labelledby="features-title">
      <div className="card-header product-header">
        <div>
          <h2 id="features-title">Features: Champions vs Frustrated Power Users</h2>
          <span className="muted small">
            share of each quadrant&apos;s accounts using the feature in 28 days, largest gap first ·
            ★ core feature
          </span>
        </div>
      </div>
      <QueryState
        query={features}
        what="feature use by quadrant"
        lines={8}
        isEmpty={(rows) => rows.length === 0}
        empty={
          <EmptyState title="No feature use to compare">
            It needs placed accounts and product events from the last 28 days.
          </EmptyState>
        }
      >
        {(rows) => (
          <div className="card-body chart-body">
            <FeaturesChart features={rows} />
          </div>
        )}
      </QueryState>
    </section>
  );
}
