import type { Kpi, KpiFigure } from "./kpis";
import { Sparkline } from "./Sparkline";

function Figure({ figure }: { figure: KpiFigure }) {
  return (
    <span className="kpi-figure" title={figure.title}>
      <span className="muted">{figure.label}</span>{" "}
      <span className={figure.tone ?? undefined}>{figure.value}</span>
    </span>
  );
}

/** One KPI: the headline figure, its companions, and its 18-month trend (when it has one). */
export function KpiTile({
  kpi,
  months,
  provisional,
  currency,
}: {
  kpi: Kpi;
  months: string[];
  provisional: boolean[];
  currency: string;
}) {
  return (
    <section
      className={kpi.wide ? "card kpi-tile kpi-tile-wide" : "card kpi-tile"}
      aria-label={kpi.label}
      data-testid={`kpi-${kpi.key}`}
    >
      <h2 className="kpi-label">
        <span className="has-tip" title={kpi.definition}>
          {kpi.label}
        </span>
      </h2>
      <div className="kpi-main">
        <span className="kpi-value" data-testid="kpi-value" title={kpi.valueTitle}>
          {kpi.value}
        </span>
        {kpi.figures.map((f) => (
          <Figure key={f.label} figure={f} />
        ))}
      </div>
      {kpi.note ? <div className="kpi-note muted">{kpi.note}</div> : null}
      {kpi.secondary ? (
        <div className="kpi-secondary" data-testid="kpi-secondary">
          {kpi.secondary.map((f) => (
            <Figure key={f.label} figure={f} />
          ))}
        </div>
      ) : null}
      {kpi.trend ? (
        <Sparkline
          months={months}
          values={kpi.values}
          provisional={provisional}
          kind={kpi.kind}
          color={kpi.color}
          currency={currency}
          label={kpi.trend}
        />
      ) : null}
    </section>
  );
}
