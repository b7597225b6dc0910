import { formatInteger, formatNumber, formatSigned } from "../../lib/format";
import { Skeleton } from "../../ui/states";
import type { Overview } from "./queries";
import { Tip } from "./Tip";

/** "▲ +12 vs the 90 days before" in green, "▼ −0.4" in red, "no change", or nothing to compare. */
function Change({ change, digits, unit }: { change: number | null; digits: number; unit: string }) {
  if (change === null) {
    return <span className="muted small">no earlier responses to compare</span>;
  }
  const rounded = Number(change.toFixed(digits));
  if (rounded === 0) return <span className="muted small">no change on the 90 days before</span>;
  const up = rounded > 0;
  return (
    <span className={up ? "positive small" : "negative small"} data-testid="sentiment-change">
      <span aria-hidden="true">{up ? "▲" : "▼"} </span>
      {formatSigned(rounded, digits)}
      {unit} vs the 90 days before
    </span>
  );
}

function Figure({
  testId,
  label,
  definition,
  value,
  digits,
  count,
  noun,
  change,
  previous,
  unit,
}: {
  testId: string;
  label: string;
  definition: string;
  value: number | null;
  digits: number;
  count: number;
  noun: string;
  change: number | null;
  previous: number | null;
  unit: string;
}) {
  return (
    <section className="card kpi-tile" aria-label={label} data-testid={testId}>
      <h2 className="kpi-label">
        <Tip text={definition}>{label}</Tip>
      </h2>
      <div className="kpi-main">
        <span className="kpi-value" data-testid="sentiment-value">
          {value === null ? "—" : formatNumber(value, digits)}
        </span>
        <span className="kpi-figure muted">
          {formatInteger(count)} {noun}
          {count === 1 ? "" : "s"} · last 90 days
        </span>
      </div>
      <div className="kpi-secondary">
        <Change change={change} digits={digits} unit={unit} />
        {previous !== null ? (
          <span className="kpi-figure muted">before: {formatNumber(previous, digits)}</span>
        ) : null}
      </div>
    </section>
  );
}

/** Book-level NPS and CSAT of the last 90 days, with their change on the 90 days before. */
export function SentimentCards({ data }: { data: Overview | undefined }) {
  if (!data) {
    return (
      <div className="sentiment-tiles" aria-busy="true">
        {["NPS", "CSAT"].map((label) => (
          <section key={label} className="card kpi-tile" aria-label={label}>
            <h2 className="kpi-label">{label}</h2>
            <div className="kpi-loading">
              <Skeleton width={90} />
            </div>
          </section>
        ))}
      </div>
    );
  }
  const { nps, csat } = data;
  return (
    <div className="sentiment-tiles">
      <Figure
        testId="sentiment-nps"
        label="NPS"
        definition={nps.definition}
        value={nps.value}
        digits={0}
        count={nps.respondents}
        noun="respondent"
        change={nps.change}
        previous={nps.previous}
        unit=" pts"
      />
      <Figure
        testId="sentiment-csat"
        label="CSAT"
        definition={csat.definition}
        value={csat.value}
        digits={2}
        count={csat.responses}
        noun="response"
        change={csat.change}
        previous={csat.previous}
        unit=""
      />
    </div>
  );
}
