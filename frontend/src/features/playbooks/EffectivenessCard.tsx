import type { UseQueryResult } from "@tanstack/react-query";
import { type ReactNode, useMemo } from "react";
import { formatInteger, formatPercent, formatSigned } from "../../lib/format";
import { Chart, type ChartOption } from "../../ui/Chart";
import { ErrorState, LoadingBlock } from "../../ui/states";
import { improvementSentence, overallRate, windowOf } from "./effects";
import type { Effectiveness } from "./queries";

const WINDOWS = [30, 60] as const;

const pct = (rate: number | null | undefined) =>
  rate === null || rate === undefined ? null : Math.round(rate * 1000) / 10;

function chartOption(effect: Effectiveness, all: Effectiveness[]): ChartOption {
  return {
    grid: { left: 44, right: 12, top: 32, bottom: 24 },
    legend: { top: 0, right: 0, itemWidth: 10, itemHeight: 10 },
    tooltip: {
      trigger: "axis",
      valueFormatter: (v) => (typeof v === "number" ? `${v}%` : "—"),
    },
    xAxis: { type: "category", data: WINDOWS.map((d) => `${d} days`) },
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    series: [
      {
        name: "This play",
        type: "bar",
        barMaxWidth: 32,
        itemStyle: { color: "#4f46e5" },
        label: { show: true, position: "top", formatter: "{c}%" },
        data: WINDOWS.map((d) => pct(windowOf(effect, d)?.rate)),
      },
      {
        name: "All plays",
        type: "bar",
        barMaxWidth: 32,
        itemStyle: { color: "#cfd4dc" },
        data: WINDOWS.map((d) => pct(overallRate(all, d))),
      },
    ],
  };
}

/**
 * How often this play was followed by an improvement (health +5 or a better quadrant) 30 and
 * 60 days after it started, next to the library's average.
 */
export function EffectivenessCard({
  playbookId,
  effectiveness,
}: {
  playbookId: string;
  effectiveness: UseQueryResult<Effectiveness[]>;
}) {
  const all = effectiveness.data;
  const effect = all?.find((e) => e.playbook_id === playbookId);
  const measured = WINDOWS.some((d) => (windowOf(effect, d)?.measured ?? 0) > 0);
  const option = useMemo(
    () => (effect && all && measured ? chartOption(effect, all) : null),
    [effect, all, measured],
  );

  let body: ReactNode;
  if (effectiveness.isPending) body = <LoadingBlock lines={4} label="Loading effectiveness" />;
  else if (effectiveness.isError) {
    body = (
      <ErrorState
        title="Couldn't load effectiveness"
        error={effectiveness.error}
        onRetry={() => void effectiveness.refetch()}
      />
    );
  } else {
    const label = WINDOWS.map((d) => {
      const mine = windowOf(effect, d);
      return `${d} days: this play ${mine?.measured ? formatPercent(mine.rate, 0) : "no data"}, all plays ${formatPercent(overallRate(all ?? [], d), 0)}`;
    }).join("; ");
    body = (
      <div className="card-body pb-effect-body">
        <dl className="facts pb-effect-facts">
          <div>
            <dt>Runs</dt>
            <dd data-testid="effect-runs">{formatInteger(effect?.runs ?? 0)}</dd>
          </div>
          <div>
            <dt>Active</dt>
            <dd>{formatInteger(effect?.active ?? 0)}</dd>
          </div>
          <div>
            <dt>Completed</dt>
            <dd>{formatInteger(effect?.completed ?? 0)}</dd>
          </div>
        </dl>
        <ul className="pb-effect-list">
          {WINDOWS.map((d) => {
            const w = windowOf(effect, d);
            return (
              <li key={d} data-testid={`effect-${d}`}>
                <span>{improvementSentence(w, d)}</span>
                {w?.measured && w.mean_health_change !== null ? (
                  <span className="muted small">
                    {" "}
                    · mean health change {formatSigned(w.mean_health_change, 1)}
                  </span>
                ) : null}
              </li>
            );
          })}
        </ul>
        {option ? (
          <Chart
            option={option}
            height={180}
            label={`Improvement rate by window. ${label}`}
            className="pb-effect-chart"
          />
        ) : null}
        <p className="field-hint">
          Improved: health up 5 points or a better quadrant that many days after the start. Only
          runs started long enough ago count.
        </p>
      </div>
    );
  }

  return (
    <section className="card" aria-labelledby="pb-effect-title" data-testid="effectiveness">
      <div className="card-header">
        <h2 id="pb-effect-title">Effectiveness</h2>
      </div>
      {body}
    </section>
  );
}
