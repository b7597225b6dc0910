import { type ReactNode, useMemo, useState } from "react";
import { formatInteger, formatNumber, formatPercent, humanize } from "../../lib/format";
import { Chart, type ChartOption } from "../../ui/Chart";
import { BandPill, QuadrantPill } from "../../ui/health";
import { EmptyState, ErrorState, LoadingBlock } from "../../ui/states";
import { type ValidationReport as Report, useValidation, type ValidationBucket } from "./queries";

const HORIZONS = [30, 90, 180, 365] as const;

const AUC_LABELS: Record<string, string> = { health_score: "Health score" };

/** AUC reads: 0.5 no better than chance, 0.7 useful, 0.8+ strong. */
function aucTone(auc: number | null): string {
  if (auc === null) return "auc-none";
  if (auc >= 0.7) return "auc-good";
  if (auc >= 0.6) return "auc-fair";
  return "auc-weak";
}

function AucList({ auc }: { auc: Report["auc"] }) {
  const entries = Object.entries(auc);
  return (
    <ul className="auc-list" aria-label="AUC by score">
      {entries.map(([key, value]) => {
        const label = AUC_LABELS[key] ?? humanize(key);
        return (
          <li
            key={key}
            className={key === "health_score" ? "auc auc-main" : "auc"}
            data-testid="auc"
          >
            <span className="auc-label">{label}</span>
            <span className="auc-track" aria-hidden="true">
              <span
                className={`auc-fill ${aucTone(value)}`}
                style={{ width: `${Math.max(0, Math.min(1, value ?? 0)) * 100}%` }}
              />
              <span className="auc-ref" title="0.5: no better than chance" />
            </span>
            <span className="auc-value" data-testid={`auc-${key}`}>
              {value === null ? "—" : formatNumber(value, 2)}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

function decileOption(deciles: ValidationBucket[]): ChartOption {
  return {
    animation: false,
    grid: { left: 40, right: 8, top: 12, bottom: 48 },
    tooltip: {
      trigger: "axis",
      valueFormatter: (v) => (typeof v === "number" ? formatPercent(v, 0) : "—"),
    },
    xAxis: {
      type: "category",
      data: deciles.map((d) => d.label),
      axisLabel: { rotate: 35, fontSize: 10, interval: 0 },
      axisTick: { show: false },
    },
    yAxis: {
      type: "value",
      axisLabel: { formatter: (v: number) => formatPercent(v, 0) },
      splitLine: { lineStyle: { color: "#eef0f3" } },
    },
    series: [
      {
        type: "bar",
        name: "Churn rate",
        data: deciles.map((d) => d.churn_rate),
        color: "#dc3b3b",
        barMaxWidth: 28,
      },
    ],
  };
}

function BucketTable({
  title,
  rows,
  first,
  extra,
}: {
  title: string;
  rows: ValidationBucket[];
  first: (b: ValidationBucket) => ReactNode;
  extra?: { header: string; cell: (b: ValidationBucket) => ReactNode };
}) {
  return (
    <div className="table-scroll">
      <table className="table table-compact" aria-label={title}>
        <caption className="matrix-caption">{title}</caption>
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Group</span>
            </th>
            <th scope="col" className="num">
              Outcomes
            </th>
            <th scope="col" className="num">
              Churned
            </th>
            <th scope="col" className="num">
              Churn rate
            </th>
            {extra ? (
              <th scope="col" className="num">
                {extra.header}
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((b) => (
            <tr key={b.label}>
              <th scope="row">{first(b)}</th>
              <td className="num">{formatInteger(b.outcomes)}</td>
              <td className="num">{formatInteger(b.churned)}</td>
              <td className="num">{formatPercent(b.churn_rate, 0)}</td>
              {extra ? <td className="num">{extra.cell(b)}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ReportBody({ report }: { report: Report }) {
  const option = useMemo(() => decileOption(report.by_decile), [report.by_decile]);
  if (report.outcomes === 0) {
    return (
      <EmptyState title="No outcomes yet">
        {report.note ??
          "Validation needs renewals and churns that happened after accounts were scored."}
      </EmptyState>
    );
  }
  return (
    <div className="card-body validation-body">
      <dl className="facts validation-facts">
        <div>
          <dt>Outcomes</dt>
          <dd>{formatInteger(report.outcomes)}</dd>
        </div>
        <div>
          <dt>Churned</dt>
          <dd>{formatInteger(report.churned)}</dd>
        </div>
        <div>
          <dt>Renewed</dt>
          <dd>{formatInteger(report.renewed)}</dd>
        </div>
        <div title="Mean squared error of the churn probabilities (lower is better)">
          <dt>Brier score</dt>
          <dd>{formatNumber(report.brier_score, 3)}</dd>
        </div>
      </dl>

      <div>
        <h3 className="report-subtitle">
          AUC <span className="muted small">renewed vs churned · 0.5 = chance</span>
        </h3>
        <AucList auc={report.auc} />
      </div>

      <div>
        <h3 className="report-subtitle">Churn rate by health decile</h3>
        <Chart
          option={option}
          height={200}
          label={`Churn rate by health decile: ${report.by_decile
            .map((d) => `${d.label} ${formatPercent(d.churn_rate, 0)}`)
            .join(", ")}`}
        />
      </div>

      <BucketTable
        title="By band"
        rows={report.by_band}
        first={(b) => <BandPill band={b.label} />}
      />
      <BucketTable
        title="By quadrant"
        rows={report.by_quadrant}
        first={(b) => <QuadrantPill quadrant={b.label} />}
        extra={{
          header: "× Champions",
          cell: (b) =>
            b.ratio_to_champions === null || b.ratio_to_champions === undefined
              ? "—"
              : `${formatNumber(b.ratio_to_champions, 2)}×`,
        }}
      />

      <div className="table-scroll">
        <table className="table table-compact" aria-label="Calibration">
          <caption className="matrix-caption">
            Calibration: predicted vs observed churn ·{" "}
            {report.probability_source === "calibrated"
              ? "the book's own fit, each outcome predicted by a fit that did not see it"
              : "the config's default curve"}
          </caption>
          <thead>
            <tr>
              <th scope="col">Predicted</th>
              <th scope="col" className="num">
                Outcomes
              </th>
              <th scope="col" className="num">
                Mean predicted
              </th>
              <th scope="col" className="num">
                Observed
              </th>
            </tr>
          </thead>
          <tbody>
            {report.calibration.map((b) => (
              <tr key={b.label} className={b.outcomes === 0 ? "metric-missing" : undefined}>
                <th scope="row">{b.label}</th>
                <td className="num">{formatInteger(b.outcomes)}</td>
                <td className="num">{formatPercent(b.mean_predicted, 0)}</td>
                <td className="num">{formatPercent(b.churn_rate, 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {report.note ? <p className="alert alert-info">{report.note}</p> : null}
    </div>
  );
}

/** How well the active config's scores told renewals from churn. */
export function ValidationReport() {
  const [horizon, setHorizon] = useState<number>(90);
  const validation = useValidation(horizon);
  return (
    <section className="card" aria-labelledby="validation-title" data-testid="validation-report">
      <div className="card-header">
        <h2 id="validation-title">Validation</h2>
        <select
          className="select select-sm"
          aria-label="Horizon"
          value={horizon}
          onChange={(e) => setHorizon(Number(e.target.value))}
        >
          {HORIZONS.map((h) => (
            <option key={h} value={h}>
              Scored {h} days before the outcome
            </option>
          ))}
        </select>
      </div>
      {validation.isPending ? (
        <LoadingBlock lines={8} label="Loading the validation report" />
      ) : validation.isError ? (
        <ErrorState
          title="Couldn't load the validation report"
          error={validation.error}
          onRetry={() => void validation.refetch()}
        />
      ) : (
        <ReportBody report={validation.data} />
      )}
    </section>
  );
}
