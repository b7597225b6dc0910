import { Fragment, useMemo } from "react";
import { formatInteger, formatMoneyCompact, formatPercent } from "../../lib/format";
import type { ListScope } from "../../lib/scope";
import { Chart } from "../../ui/Chart";
import { AccountsRow } from "./AccountsList";
import { fillRatesLabel, fillRatesOption } from "./charts";
import { formatShare, rankedFillRates } from "./hygiene";
import type { HygieneFillRate } from "./queries";

/**
 * How many accounts have each field filled in: bars lowest first (amber under the threshold),
 * and the same figures as a table (for screen readers and keyboards), each field's missing
 * accounts one click away.
 */
export function FillRatesCard({
  fills,
  scope,
  currency,
  open,
  onToggle,
}: {
  fills: HygieneFillRate[];
  scope: ListScope | "";
  currency: string;
  open: string;
  onToggle: (key: string) => void;
}) {
  const option = useMemo(() => fillRatesOption(fills), [fills]);
  const ranked = useMemo(() => rankedFillRates(fills), [fills]);
  const unmeasured = fills.filter((f) => f.total === 0);
  const threshold = fills[0]?.threshold ?? 0.9;
  const tableOpen = fills.some((f) => f.accounts_key === open);
  return (
    <section className="card hygiene-fill-card" aria-labelledby="hygiene-fill-title">
      <div className="card-header">
        <div>
          <h2 id="hygiene-fill-title">Fill rates</h2>
          <span className="muted small">
            Share of the accounts each field applies to that have it; the dashed line is the{" "}
            {formatPercent(threshold, 0)} target
          </span>
        </div>
      </div>
      <div className="card-body chart-body">
        <Chart
          option={option}
          label={fillRatesLabel(fills)}
          height={Math.max(160, 26 * ranked.length + 24)}
        />
        {unmeasured.length > 0 ? (
          <p className="muted small">
            Nothing to measure: {unmeasured.map((f) => f.label).join(", ")}.
          </p>
        ) : null}
      </div>
      <details className="hygiene-fill-details" open={tableOpen || undefined}>
        <summary>Fill rates as a table, with the accounts missing each field</summary>
        <div className="table-scroll">
          <table className="table table-compact hygiene-fill-table">
            <caption className="visually-hidden">Fill rate by field</caption>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col" className="num">
                  Filled
                </th>
                <th scope="col" className="num">
                  Rate
                </th>
                <th scope="col" className="num">
                  ARR missing it
                </th>
                <th scope="col">
                  <span className="visually-hidden">Accounts</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {fills.map((f) => {
                const missing = f.total - f.filled;
                const expanded = open === f.accounts_key;
                const panel = `hygiene-list-${f.key}`;
                return (
                  <Fragment key={f.key}>
                    <tr data-testid={`fill-${f.key}`}>
                      <th scope="row">
                        <span className="has-tip" title={f.definition}>
                          {f.label}
                        </span>
                        {f.weight === 0 ? <span className="muted small"> · not scored</span> : null}
                      </th>
                      <td className="num">
                        {formatInteger(f.filled)} of {formatInteger(f.total)}
                      </td>
                      <td className={f.needs_attention ? "num negative" : "num"}>
                        {formatShare(f.rate)}
                      </td>
                      <td className="num">{formatMoneyCompact(f.missing_arr, currency)}</td>
                      <td>
                        {missing > 0 ? (
                          <button
                            type="button"
                            className="btn btn-ghost btn-sm"
                            aria-expanded={expanded}
                            aria-controls={expanded ? panel : undefined}
                            aria-label={
                              expanded
                                ? `Hide accounts missing ${f.label}`
                                : `${formatInteger(missing)} missing ${f.label}`
                            }
                            onClick={() => onToggle(f.accounts_key)}
                          >
                            {expanded ? "Hide" : `${formatInteger(missing)} missing`}
                          </button>
                        ) : null}
                      </td>
                    </tr>
                    {expanded ? (
                      <AccountsRow
                        id={panel}
                        colSpan={5}
                        checkKey={f.accounts_key}
                        label={`missing ${f.label}`}
                        scope={scope}
                        currency={currency}
                      />
                    ) : null}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}
