import type { UseQueryResult } from "@tanstack/react-query";
import { useMemo } from "react";
import { Chart } from "../../ui/Chart";
import { QueryState } from "../../ui/QueryState";
import { EmptyState } from "../../ui/states";
import { curvesLabel, curvesOption } from "./charts";
import { maxAge, retentionCurves } from "./cohortMath";
import type { CohortReport } from "./queries";
import type { RetentionMetric } from "./searchState";

function CurveChart({ report, metric }: { report: CohortReport; metric: RetentionMetric }) {
  const curves = useMemo(
    () => retentionCurves(report.cohorts, metric, report.split !== "none"),
    [report, metric],
  );
  const option = useMemo(() => curvesOption(curves, metric), [curves, metric]);
  return (
    <div className="curve-panel">
      <h3 className="curve-title">
        {metric === "logo" ? "Logo retention" : "Revenue retention (NRR by age)"}
      </h3>
      <Chart option={option} height={280} label={curvesLabel(curves, metric)} />
    </div>
  );
}

/**
 * Logo and revenue retention by age: one line per group of the split, or the cohorts pooled
 * (weighted by size) without one. Revenue above 100% is expansion.
 */
export function CurvesCard({ report }: { report: UseQueryResult<CohortReport> }) {
  return (
    <section className="card" aria-labelledby="curves-title">
      <div className="card-header">
        <h2 id="curves-title">Retention curves</h2>
        <span className="muted small">
          {report.data?.split && report.data.split !== "none"
            ? "one line per group, cohorts pooled"
            : "all cohorts pooled, weighted by size"}
        </span>
      </div>
      <QueryState
        query={report}
        what="the retention curves"
        lines={6}
        isEmpty={(d) => maxAge(d.cohorts) < 1}
        empty={
          <EmptyState title="Not enough history for curves">
            Curves need cohorts at least two months old.
          </EmptyState>
        }
      >
        {(d) => (
          <div className="card-body curves">
            <CurveChart report={d} metric="logo" />
            <CurveChart report={d} metric="revenue" />
          </div>
        )}
      </QueryState>
    </section>
  );
}
