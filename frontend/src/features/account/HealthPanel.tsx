import { lazy, type ReactNode, Suspense, useMemo, useState } from "react";
import {
  addDays,
  DASH,
  formatDate,
  formatMetric,
  formatMoneyCompact,
  formatNumber,
  formatPercent,
  formatScore,
  humanize,
  NO_DATA,
} from "../../lib/format";
import { Health, QuadrantPill } from "../../ui/health";
import { Pill } from "../../ui/Pill";
import { EmptyState, ErrorState, LoadingBlock, Skeleton } from "../../ui/states";
import { useReportingContext } from "../meta/queries";
import { ExplainCard } from "./ExplainCard";
import { COMPONENT_COLORS, HISTORY_COMPONENTS, type HistoryComponent } from "./healthCharts";
import { QuadrantTimeline } from "./QuadrantTimeline";
import {
  type AccountHealth,
  type ComponentHealth,
  useAccountHealth,
  useHealthHistory,
} from "./queries";

// ECharts is only loaded when a chart is on screen.
const HealthHistoryChart = lazy(() => import("./HealthHistoryChart"));

const HISTORY_RANGES = [
  { days: 30, label: "30 days" },
  { days: 90, label: "90 days" },
  { days: 180, label: "6 months" },
  { days: 365, label: "12 months" },
] as const;

/** Nicer names for the counts behind the sub-metrics (`context`); others are humanized. */
const CONTEXT_LABELS: Record<string, string> = {
  user_days: "User-days (4 wk)",
  active_users: "Active users",
  prev_active_users: "Active users (prior 4 wk)",
  seats: "Seats",
  core_used: "Core features used",
  core_available: "Core features on plan",
  minutes: "Minutes (4 wk)",
  tickets_14d: "Tickets (14 d)",
  tickets_prior_90d: "Tickets (prior 90 d)",
  nps_respondents: "NPS respondents",
  csat_responses: "CSAT responses",
  arr: "ARR",
  arr_year_ago: "ARR a year ago",
  unpaid_invoices: "Unpaid invoices",
};

function contextValue(key: string, value: unknown, currency: string): string {
  if (typeof value === "number") {
    if (key.startsWith("arr")) return formatMoneyCompact(value, currency);
    return formatNumber(value, Math.abs(value) >= 100 ? 0 : 1);
  }
  if (value === null || value === undefined) return DASH;
  return String(value);
}

function Fact({ label, title, children }: { label: string; title?: string; children: ReactNode }) {
  return (
    <div title={title}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function HealthFacts({ health }: { health: AccountHealth }) {
  return (
    <dl className="facts health-facts">
      <Fact label="Health score">
        <Health score={health.health_score} band={health.band} />
      </Fact>
      <Fact label="Quadrant">
        <QuadrantPill quadrant={health.quadrant} />
      </Fact>
      <Fact label="Usage axis" title="x of the quadrant: the usage component's score">
        {formatScore(health.usage_axis)}
      </Fact>
      <Fact label="Health axis" title="y of the quadrant: the other components, weighted">
        {formatScore(health.health_axis)}
      </Fact>
      <Fact label="Coverage" title="Share of the configured weight that had data">
        {formatPercent(health.coverage, 0)}
      </Fact>
      <Fact label="Churn probability" title="Within a year, from the scoring config's curve">
        {formatPercent(health.churn_probability, 0)}
      </Fact>
    </dl>
  );
}

function TrendSection({ accountId, health }: { accountId: string; health: AccountHealth }) {
  const { today } = useReportingContext();
  const [days, setDays] = useState(90);
  const [visible, setVisible] = useState<HistoryComponent[]>([]);
  // 90 days is the server's default range: no parameter then, so the cache key stays stable.
  const history = useHealthHistory(accountId, days === 90 ? "" : addDays(today, -days));
  const labels = useMemo(() => {
    const out: Partial<Record<HistoryComponent, string>> = {};
    for (const c of health.components) out[c.name as HistoryComponent] = c.label;
    return out;
  }, [health.components]);

  const toggle = (c: HistoryComponent) =>
    setVisible((prev) =>
      prev.includes(c)
        ? prev.filter((v) => v !== c)
        : HISTORY_COMPONENTS.filter((v) => v === c || prev.includes(v)),
    );

  let chart: ReactNode;
  if (history.isPending) chart = <LoadingBlock lines={5} label="Loading the health history" />;
  else if (history.isError) {
    chart = (
      <ErrorState
        title="Couldn't load the history"
        error={history.error}
        onRetry={() => void history.refetch()}
      />
    );
  } else if (history.data.points.filter((p) => p.health_score !== null).length < 2) {
    chart = (
      <EmptyState title="Not enough history in this period">
        The trend appears once the account has been scored on more than one day (a new install
        scores its history in the background).
      </EmptyState>
    );
  } else {
    chart = (
      <>
        <Suspense fallback={<div className="chart-placeholder" style={{ height: 240 }} />}>
          <HealthHistoryChart history={history.data} visible={visible} labels={labels} />
        </Suspense>
        <QuadrantTimeline history={history.data} />
      </>
    );
  }

  return (
    <div className="trend">
      <div className="trend-toolbar">
        <h3>History</h3>
        <select
          className="select select-sm"
          aria-label="History range"
          value={days}
          onChange={(e) => setDays(Number(e.target.value))}
        >
          {HISTORY_RANGES.map((r) => (
            <option key={r.days} value={r.days}>
              Last {r.label}
            </option>
          ))}
        </select>
        <fieldset className="chips" aria-label="Show components">
          {HISTORY_COMPONENTS.map((c) => (
            <label key={c} className="chip">
              <input type="checkbox" checked={visible.includes(c)} onChange={() => toggle(c)} />
              <span className="chip-swatch" style={{ background: COMPONENT_COLORS[c] }} />
              {labels[c] ?? humanize(c)}
            </label>
          ))}
        </fieldset>
      </div>
      {chart}
    </div>
  );
}

function ComponentBlock({ component }: { component: ComponentHealth }) {
  const { currency } = useReportingContext();
  const titleId = `component-${component.name}`;
  const context = Object.entries(component.context ?? {});
  return (
    <section
      className="component"
      aria-label={`${component.label} (health component)`}
      data-testid="health-component"
    >
      <header className="component-head">
        <h3 id={titleId}>{component.label}</h3>
        <span
          className={component.score === null ? "component-score muted" : "component-score"}
          data-testid="component-score"
        >
          {component.score === null ? NO_DATA : formatScore(component.score)}
        </span>
        <span className="component-weights">
          <span title="Configured weight in the health score">
            weight {formatNumber(component.weight, 2)}
          </span>
          {" · "}
          <span title="Share of the health score after renormalising away missing data">
            effective {formatPercent(component.effective_weight, 0)}
          </span>
          {" · "}
          <span title="Share of the component's configured weight that had data">
            coverage {formatPercent(component.coverage, 0)}
          </span>
        </span>
      </header>
      <table className="table table-compact">
        <thead>
          <tr>
            <th scope="col">Metric</th>
            <th scope="col" className="num">
              Raw
            </th>
            <th scope="col" className="num">
              Score
            </th>
            <th scope="col" className="num" title="Configured weight within the component">
              Weight
            </th>
            <th
              scope="col"
              className="num"
              title="Share of the component after renormalising away missing data"
            >
              Effective
            </th>
          </tr>
        </thead>
        <tbody>
          {component.sub_metrics.map((m) => {
            // No raw value but a score (e.g. "no QBR" scores 0) still counts: only grey what was left out.
            const missing = m.score === null;
            const raw = m.raw === null && m.score !== null ? "none" : formatMetric(m.raw, m.unit);
            return (
              <tr
                key={m.name}
                className={missing ? "metric-missing" : undefined}
                data-testid="sub-metric"
                data-metric={m.name}
              >
                <th scope="row">
                  <span className="has-tip" title={m.description}>
                    {m.label}
                  </span>
                </th>
                <td className="num">{raw}</td>
                <td className="num">{formatScore(m.score)}</td>
                <td className="num">{formatNumber(m.weight, 2)}</td>
                <td className="num">{formatPercent(m.effective_weight, 0)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {context.length ? (
        <dl className="context-list" aria-label={`${component.label} counts`}>
          {context.map(([key, value]) => (
            <div key={key}>
              <dt>{CONTEXT_LABELS[key] ?? humanize(key)}</dt>
              <dd>{contextValue(key, value, currency)}</dd>
            </div>
          ))}
        </dl>
      ) : null}
    </section>
  );
}

/**
 * The account's health: score, band, quadrant, coverage and churn probability; the trend
 * with config changes and quadrant moves; why it changed; every component and its inputs.
 */
export function HealthPanel({ accountId }: { accountId: string }) {
  const health = useAccountHealth(accountId);

  if (health.isPending) {
    return (
      <section className="card" aria-label="Health">
        <div className="card-header">
          <h2>Health</h2>
          <Skeleton width={160} />
        </div>
        <LoadingBlock lines={6} label="Loading health" />
      </section>
    );
  }
  if (health.isError) {
    return (
      <section className="card" aria-label="Health">
        <ErrorState
          title="Couldn't load this account's health"
          error={health.error}
          onRetry={() => void health.refetch()}
        />
      </section>
    );
  }

  const data = health.data;
  return (
    <>
      <div className="health-grid">
        <section className="card" aria-labelledby="health-title" data-testid="health-panel">
          <div className="card-header">
            <h2 id="health-title">Health</h2>
            <span className="muted small">
              {data.stored ? "Scored" : "Computed now"} for {formatDate(data.as_of)} · config v
              {data.config_version}
            </span>
          </div>
          <div className="card-body health-body">
            <HealthFacts health={data} />
            <TrendSection accountId={accountId} health={data} />
          </div>
        </section>
        <ExplainCard accountId={accountId} />
      </div>
      <section className="card" aria-labelledby="components-title">
        <div className="card-header">
          <h2 id="components-title">Score components</h2>
          {data.coverage < 1 ? (
            <Pill
              tone="amber"
              title="Some inputs had no data; their weight was spread over the rest"
            >
              {formatPercent(data.coverage, 0)} coverage
            </Pill>
          ) : null}
        </div>
        <div className="card-body components-grid">
          {data.components.map((c) => (
            <ComponentBlock key={c.name} component={c} />
          ))}
        </div>
      </section>
    </>
  );
}
