import { Link } from "@tanstack/react-router";
import {
  formatInteger,
  formatMoney,
  formatMoneyCompact,
  formatNumber,
  formatScore,
  formatSigned,
} from "../../lib/format";
import {
  BANDS,
  BandPill,
  bandLabel,
  QUADRANT_KEYS,
  QuadrantPill,
  quadrantLabel,
} from "../../ui/health";
import type { ConfigPreview, TransitionCell } from "./queries";

const BAND_KEYS = Object.keys(BANDS);

/** Column headers of the quadrant matrix must fit a narrow column; the full name is the title. */
const SHORT: Record<string, string> = {
  frustrated_power_users: "Frustrated",
  relationship_dependent: "Rel.-Dependent",
};

/** From (rows) × to (columns) counts; "None" is an account without a value (not placed). */
function TransitionTable({
  title,
  cells,
  keys,
  labelOf,
  currency,
}: {
  title: string;
  cells: TransitionCell[];
  keys: string[];
  labelOf: (key: string | null) => string;
  currency: string;
}) {
  const values: (string | null)[] = [...keys];
  if (cells.some((c) => c.from_value === null || c.to_value === null)) values.push(null);
  const cell = (from: string | null, to: string | null) =>
    cells.find((c) => c.from_value === from && c.to_value === to);
  const name = (v: string | null) => (v === null ? "None" : labelOf(v));
  return (
    <div className="matrix">
      <table className="table table-compact matrix-table" aria-label={title}>
        <caption className="matrix-caption">{title}: rows now, columns with this config</caption>
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Now</span>
            </th>
            {values.map((to) => (
              <th key={to ?? "none"} scope="col" className="num" title={name(to)}>
                {(to && SHORT[to]) || name(to)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {values.map((from) => (
            <tr key={from ?? "none"}>
              <th scope="row">{name(from)}</th>
              {values.map((to) => {
                const c = cell(from, to);
                const n = c?.accounts ?? 0;
                const cls =
                  from === to ? "num matrix-same" : n > 0 ? "num matrix-move" : "num muted";
                return (
                  <td
                    key={to ?? "none"}
                    className={cls}
                    title={c ? `${formatMoney(c.arr, currency)} ARR` : undefined}
                  >
                    {formatInteger(n)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** What the edited config would change, as the server computed it on today's inputs. */
export function PreviewResult({ preview, currency }: { preview: ConfigPreview; currency: string }) {
  const meanDelta =
    preview.mean_health_before !== null && preview.mean_health_after !== null
      ? preview.mean_health_after - preview.mean_health_before
      : null;
  return (
    <section className="card" aria-labelledby="preview-title" data-testid="preview-result">
      <div className="card-header">
        <h2 id="preview-title">Impact preview</h2>
        <span className="muted small">compared with active v{preview.current_version}</span>
      </div>
      <div className="card-body preview-body">
        <p className="preview-summary" data-testid="preview-summary">
          {formatInteger(preview.quadrant_changes)}{" "}
          {preview.quadrant_changes === 1 ? "account changes" : "accounts change"} quadrant,{" "}
          {formatInteger(preview.band_changes)} change band
          <span className="muted"> (of {formatInteger(preview.accounts)} scored accounts)</span>
        </p>
        <dl className="facts">
          <div>
            <dt>Mean health now</dt>
            <dd>{formatNumber(preview.mean_health_before, 1)}</dd>
          </div>
          <div>
            <dt>With this config</dt>
            <dd>
              {formatNumber(preview.mean_health_after, 1)}{" "}
              <span className="muted">({formatSigned(meanDelta, 1)})</span>
            </dd>
          </div>
        </dl>
        <div className="matrices">
          <TransitionTable
            title="Quadrants"
            cells={preview.quadrant_matrix}
            keys={QUADRANT_KEYS}
            labelOf={quadrantLabel}
            currency={currency}
          />
          <TransitionTable
            title="Bands"
            cells={preview.band_matrix}
            keys={BAND_KEYS}
            labelOf={bandLabel}
            currency={currency}
          />
        </div>
        {preview.largest_changes.length ? (
          <div className="table-scroll">
            <table className="table table-compact" aria-label="Largest changes">
              <caption className="matrix-caption">Largest changes in health</caption>
              <thead>
                <tr>
                  <th scope="col">Account</th>
                  <th scope="col" className="num">
                    Health
                  </th>
                  <th scope="col">Band</th>
                  <th scope="col">Quadrant</th>
                  <th scope="col" className="num">
                    ARR
                  </th>
                </tr>
              </thead>
              <tbody>
                {preview.largest_changes.map((c) => (
                  <tr key={c.account_id} data-testid="preview-change">
                    <td>
                      <Link to="/accounts/$accountId" params={{ accountId: c.account_id }}>
                        {c.name}
                      </Link>
                    </td>
                    <td className="num">
                      {formatScore(c.health_before)} → {formatScore(c.health_after)}
                      <span className="cell-sub">
                        {c.health_before !== null && c.health_after !== null
                          ? formatSigned(c.health_after - c.health_before, 1)
                          : ""}
                      </span>
                    </td>
                    <td>
                      {c.band_before === c.band_after ? (
                        <span className="muted">{bandLabel(c.band_after)}</span>
                      ) : (
                        <span className="move">
                          <BandPill band={c.band_before} /> → <BandPill band={c.band_after} />
                        </span>
                      )}
                    </td>
                    <td>
                      {c.quadrant_before === c.quadrant_after ? (
                        <span className="muted" title={quadrantLabel(c.quadrant_after)}>
                          {(c.quadrant_after && SHORT[c.quadrant_after]) ||
                            quadrantLabel(c.quadrant_after)}
                        </span>
                      ) : (
                        <span className="move">
                          <QuadrantPill quadrant={c.quadrant_before} /> →{" "}
                          <QuadrantPill quadrant={c.quadrant_after} />
                        </span>
                      )}
                    </td>
                    <td className="num" title={formatMoney(c.arr, currency)}>
                      {formatMoneyCompact(c.arr, currency)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </div>
    </section>
  );
}
