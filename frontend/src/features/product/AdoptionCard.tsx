import { useMemo } from "react";
import { formatDate, formatInteger } from "../../lib/format";
import { Chart } from "../../ui/Chart";
import { QueryState } from "../../ui/QueryState";
import { Segmented } from "../../ui/Segmented";
import { EmptyState } from "../../ui/states";
import { adoptionLabel, adoptionOption } from "./charts";
import { type AdoptionBeforeRenewal, useAdoptionBeforeRenewal } from "./queries";
import type { DaysBefore } from "./searchState";

const DAY_OPTIONS = [
  { value: "90", label: "90 days" },
  { value: "60", label: "60 days" },
  { value: "30", label: "30 days" },
] as const;

function AdoptionChart({ data, days }: { data: AdoptionBeforeRenewal; days: DaysBefore }) {
  const option = useMemo(() => adoptionOption(data.features, days), [data.features, days]);
  return (
    <Chart
      option={option}
      height={Math.max(200, 30 * data.features.length + 64)}
      label={adoptionLabel(data.features, days)}
    />
  );
}

/** Per feature: share of renewed vs churned accounts using it in the 4 weeks `days` before renewal. */
export function AdoptionCard({
  days,
  onDays,
}: {
  days: DaysBefore;
  onDays: (days: DaysBefore) => void;
}) {
  const adoption = useAdoptionBeforeRenewal();
  const data = adoption.data;
  const counts = data?.features[0]?.windows.find((w) => w.days_before === days);
  return (
    <section className="card" aria-labelledby="adoption-title">
      <div className="card-header product-header">
        <div>
          <h2 id="adoption-title">Feature adoption before renewal</h2>
          <span className="muted small">
            {data && counts
              ? `used in the 4 weeks ending ${days} days before: ${formatInteger(counts.renewed)} renewals, ${formatInteger(counts.churned)} churns since ${formatDate(data.since)}`
              : `used in the 4 weeks ending ${days} days before renewal`}
          </span>
        </div>
        <Segmented
          label="Days before renewal"
          options={DAY_OPTIONS}
          value={String(days) as "90" | "60" | "30"}
          onChange={(v) => onDays(Number(v) as DaysBefore)}
        />
      </div>
      <QueryState
        query={adoption}
        what="feature adoption"
        lines={8}
        isEmpty={(d) =>
          d.features.length === 0 ||
          d.features.every((f) => f.windows.every((w) => w.renewed + w.churned === 0))
        }
        empty={
          <EmptyState title="No renewal outcomes yet">
            It compares accounts that renewed with those that churned over 18 months.
          </EmptyState>
        }
      >
        {(d) => (
          <div className="card-body chart-body">
            <AdoptionChart data={d} days={days} />
          </div>
        )}
      </QueryState>
    </section>
  );
}
