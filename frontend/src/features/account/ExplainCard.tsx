import { type ReactNode, useState } from "react";
import { errorMessage, isNotFound } from "../../api/errors";
import { formatDate, formatMetric, formatScore, formatSigned } from "../../lib/format";
import { EmptyState, ErrorState, LoadingBlock } from "../../ui/states";
import { useReportingContext } from "../meta/queries";
import { type ComponentAttribution, type Explanation, useHealthExplain } from "./queries";

/** Sub-metric moves smaller than this (in health points) are left out of the breakdown. */
const MIN_SHOWN = 0.05;

/** Colour class of a signed change as displayed (rounded to one decimal). */
function tone(value: number | null): string {
  const rounded = Math.round((value ?? 0) * 10) / 10;
  return rounded < 0 ? "negative" : rounded > 0 ? "positive" : "muted";
}

function Bar({ value, max }: { value: number; max: number }) {
  const share = max > 0 ? Math.min(1, Math.abs(value) / max) : 0;
  return (
    <span className="contrib-bar" aria-hidden="true">
      <span
        className={value < 0 ? "contrib-fill contrib-neg" : "contrib-fill contrib-pos"}
        style={{ width: `${share * 50}%` }}
      />
    </span>
  );
}

function ComponentRow({ component, max }: { component: ComponentAttribution; max: number }) {
  const movers = component.sub_metrics
    .filter((m) => Math.abs(m.contribution) >= MIN_SHOWN)
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  return (
    <li className="contrib" data-testid="contribution">
      <div className="contrib-row">
        <span className="contrib-label">{component.label}</span>
        <Bar value={component.contribution} max={max} />
        <span className={`contrib-value ${tone(component.contribution)}`}>
          {formatSigned(component.contribution, 1)}
        </span>
      </div>
      {movers.length ? (
        <ul className="contrib-subs">
          {movers.map((m) => (
            <li key={m.name}>
              {m.label} {formatMetric(m.raw_from, m.unit)} → {formatMetric(m.raw_to, m.unit)}{" "}
              <span className={tone(m.contribution)}>({formatSigned(m.contribution, 1)})</span>
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

function Breakdown({ explanation }: { explanation: Explanation }) {
  const components = [...explanation.components].sort(
    (a, b) => Math.abs(b.contribution) - Math.abs(a.contribution),
  );
  const max = components.reduce((m, c) => Math.max(m, Math.abs(c.contribution)), 0);
  return (
    <>
      <p className="explain-sentence" data-testid="explain-sentence">
        {explanation.sentence}
      </p>
      <div className="explain-delta">
        <span>
          {formatDate(explanation.date_from)}:{" "}
          <strong>{formatScore(explanation.health_from)}</strong>
        </span>
        <span aria-hidden="true">→</span>
        <span>
          {formatDate(explanation.date_to)}: <strong>{formatScore(explanation.health_to)}</strong>
        </span>
        <span className={tone(explanation.delta)} title="Change in health score">
          {formatSigned(explanation.delta, 1)}
        </span>
      </div>
      {explanation.config_from !== explanation.config_to ? (
        <p className="alert alert-info">
          Scored with config v{explanation.config_from} on the first date and v
          {explanation.config_to} on the second: part of the change comes from the new config.
        </p>
      ) : null}
      <ul className="contrib-list" aria-label="Contributions by component">
        {components.map((c) => (
          <ComponentRow key={c.name} component={c} max={max} />
        ))}
      </ul>
    </>
  );
}

/** Why health moved between two dates: the sentence, then each component's contribution. */
export function ExplainCard({ accountId }: { accountId: string }) {
  const { today } = useReportingContext();
  // "" = the server's defaults (the 30 days up to the latest snapshot).
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const explain = useHealthExplain(accountId, from, to);
  const data = explain.data;

  let body: ReactNode;
  if (explain.isPending) body = <LoadingBlock lines={5} label="Loading the explanation" />;
  else if (isNotFound(explain.error)) {
    // No snapshot to compare with (a new account, or history not scored yet).
    body = (
      <EmptyState title="Nothing to compare yet">
        {errorMessage(explain.error).replace(/\.$/, "")}. Pick a later start date, or wait for more
        days to be scored.
      </EmptyState>
    );
  } else if (explain.isError) {
    body = (
      <ErrorState
        title="Couldn't explain this period"
        error={explain.error}
        onRetry={() => void explain.refetch()}
      />
    );
  } else if (explain.data.health_from === null && explain.data.health_to === null) {
    body = <EmptyState title="No scores in this period">Pick other dates.</EmptyState>;
  } else {
    body = (
      <div
        className={explain.isPlaceholderData ? "card-body explain is-busy" : "card-body explain"}
      >
        <Breakdown explanation={explain.data} />
      </div>
    );
  }

  return (
    <section className="card" aria-labelledby="explain-title" data-testid="explain-card">
      <div className="card-header">
        <h2 id="explain-title">What changed</h2>
        <div className="date-range">
          <input
            type="date"
            className="input input-sm"
            aria-label="Explain from"
            value={from || data?.date_from || ""}
            max={to || data?.date_to || today}
            onChange={(e) => setFrom(e.target.value)}
          />
          <span aria-hidden="true">–</span>
          <input
            type="date"
            className="input input-sm"
            aria-label="Explain to"
            value={to || data?.date_to || ""}
            max={today}
            onChange={(e) => setTo(e.target.value)}
          />
        </div>
      </div>
      {body}
    </section>
  );
}
