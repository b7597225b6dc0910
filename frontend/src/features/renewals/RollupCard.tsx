import { formatInteger, formatMoney, formatMoneyCompact } from "../../lib/format";
import { isListScope, type ListScope, scopeWords } from "../../lib/scope";
import { EmptyState, ErrorState, LoadingBlock } from "../../ui/states";
import { BUCKET_KEYS, FORECASTS, type ForecastBucket } from "./forecast";
import { type RollupRow, useRenewalsRollup } from "./queries";
import { windowLabel } from "./searchState";
import { type TermFilter, termFilterWords } from "./terms";

function find(rows: RollupRow[], bucket: ForecastBucket): RollupRow {
  return rows.find((r) => r.forecast === bucket) ?? { forecast: bucket, renewals: 0, arr: 0 };
}

function Bar({
  kind,
  row,
  max,
  color,
  currency,
}: {
  kind: "team" | "suggested";
  row: RollupRow;
  max: number;
  color: string;
  currency: string;
}) {
  const width = max > 0 ? `${Math.max(row.arr > 0 ? 1 : 0, (row.arr / max) * 100)}%` : "0%";
  return (
    <div className={`rollup-line rollup-line-${kind}`} data-testid={`rollup-${kind}`}>
      <span className="visually-hidden">{kind === "team" ? "Team" : "Suggested"}: </span>
      <span className="rollup-track" aria-hidden="true">
        <span className="rollup-fill" style={{ width, background: color }} />
      </span>
      <span className="rollup-value" title={formatMoney(row.arr, currency)}>
        {formatMoneyCompact(row.arr, currency)}
        <span className="muted"> · {formatInteger(row.renewals)}</span>
      </span>
    </div>
  );
}

/** Open renewals' ARR by forecast: the team's forecasts against what health suggests. */
export function RollupCard({
  days,
  withinDays,
  term,
  scope,
  currency,
}: {
  /** The page's window (null = any date), for the subtitle. */
  days: number | null;
  withinDays: number;
  /** Which renewals count (the page's term filter). */
  term: TermFilter;
  /** Whose accounts (the page's toggle; "" = the caller's default). */
  scope: ListScope | "";
  currency: string;
}) {
  const rollup = useRenewalsRollup(withinDays, term, scope);
  const data = rollup.data;

  let body = null;
  if (rollup.isPending) body = <LoadingBlock lines={5} label="Loading the rollup" />;
  else if (rollup.isError) {
    body = (
      <ErrorState
        title="Couldn't load the rollup"
        error={rollup.error}
        onRetry={() => void rollup.refetch()}
      />
    );
  } else if (!data || data.by_forecast.every((r) => r.renewals === 0)) {
    body = (
      <EmptyState title="No open renewals">
        Nothing is up for renewal in {windowLabel(days)} among {termFilterWords(term)}.
      </EmptyState>
    );
  } else {
    const max = Math.max(...[...data.by_forecast, ...data.by_suggested].map((r) => r.arr));
    body = (
      <div className={rollup.isPlaceholderData ? "card-body rollup is-busy" : "card-body rollup"}>
        <div className="rollup-row rollup-head" aria-hidden="true">
          <span />
          <span>Team's forecast</span>
          <span>Suggested by health</span>
        </div>
        {BUCKET_KEYS.map((bucket) => {
          const meta = FORECASTS[bucket];
          return (
            <section
              key={bucket}
              className="rollup-row"
              aria-label={meta.label}
              data-testid={`rollup-${bucket}`}
            >
              <span className="rollup-label">
                <span className="dot" style={{ background: meta.color }} aria-hidden="true" />
                {meta.label}
              </span>
              <Bar
                kind="team"
                row={find(data.by_forecast, bucket)}
                max={max}
                color={meta.color}
                currency={currency}
              />
              <Bar
                kind="suggested"
                row={find(data.by_suggested, bucket)}
                max={max}
                color={meta.color}
                currency={currency}
              />
            </section>
          );
        })}
        <p className="muted small rollup-note">
          Team: the forecast the owner set. Suggested: from each account's churn probability now.
          Open {termFilterWords(term)} of {scopeWords(isListScope(data.scope) ? data.scope : scope)}{" "}
          (the term filter and the toggle apply; the segment and forecast filters do not).
        </p>
      </div>
    );
  }

  return (
    <section className="card" aria-labelledby="rollup-title">
      <div className="card-header">
        <h2 id="rollup-title">Forecast rollup</h2>
        <span className="muted small" data-testid="rollup-total">
          {data ? (
            <>
              {windowLabel(days)} ·{" "}
              <span title={formatMoney(data.total_arr, currency)}>
                {formatMoneyCompact(data.total_arr, currency)} ARR
              </span>{" "}
              · {termFilterWords(data.term ?? term)}
            </>
          ) : (
            "\u00a0"
          )}
        </span>
      </div>
      {body}
    </section>
  );
}
