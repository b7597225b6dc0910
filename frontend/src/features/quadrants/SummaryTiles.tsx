import { Link } from "@tanstack/react-router";
import { formatInteger, formatMoney, formatMoneyCompact, formatPercent } from "../../lib/format";
import type { ListScope } from "../../lib/scope";
import { QUADRANT_KEYS, QUADRANTS } from "../../ui/health";
import { Skeleton } from "../../ui/states";
import type { QuadrantChurnRates, QuadrantCount } from "./queries";

/**
 * "Churned 57% (4 of 7)": a rate always with the sample behind it, since 57% of 7 renewals
 * is not 57% of 700.
 */
export function churnText(churned: number, outcomes: number): string {
  if (outcomes === 0) return "–";
  return `${formatPercent(churned / outcomes, 0)} (${formatInteger(churned)} of ${formatInteger(outcomes)})`;
}

function ChurnLine({
  churn,
  quadrant,
}: {
  churn: QuadrantChurnRates | undefined;
  quadrant: string;
}) {
  const rate = churn?.quadrants.find((r) => r.quadrant === quadrant);
  if (!churn || !rate) return <Skeleton width={120} />;
  if (rate.outcomes === 0) {
    return (
      <span className="quadrant-tile-churn muted" data-testid="tile-churn">
        No renewals in the last 12 months
      </span>
    );
  }
  return (
    <span
      className="quadrant-tile-churn muted"
      data-testid="tile-churn"
      title={`Of the ${formatInteger(rate.outcomes)} renewals and churns in the last 12 months whose account was here ${churn.horizon_days} days before, ${formatInteger(rate.churned)} churned`}
    >
      Churned {churnText(rate.churned, rate.outcomes)}
    </span>
  );
}

/**
 * One tile per quadrant: accounts, ARR, the quadrant's share of placed ARR and how often its
 * accounts churned; each opens the Book on that quadrant, over the same accounts.
 */
export function SummaryTiles({
  summary,
  churn,
  scope,
  currency,
}: {
  summary: QuadrantCount[] | undefined;
  churn: QuadrantChurnRates | undefined;
  /** The page's scope, which the Book opens with ("" = the caller's default). */
  scope: ListScope | "";
  currency: string;
}) {
  const totalArr = (summary ?? []).reduce((sum, s) => sum + s.arr, 0);
  return (
    <div className="quadrant-tiles">
      {QUADRANT_KEYS.map((q) => {
        const row = summary?.find((s) => s.quadrant === q);
        const meta = QUADRANTS[q];
        return (
          <section
            key={q}
            className="card quadrant-tile quadrant-tile-link"
            aria-label={meta.label}
            data-testid="quadrant-tile"
            style={{ borderTopColor: meta.color }}
          >
            <h2 className="quadrant-tile-title">
              <span className="dot" style={{ background: meta.color }} aria-hidden="true" />
              <Link
                to="/book"
                search={{ filter: `quadrant=${q}`, ...(scope ? { scope } : {}) }}
                title={`${meta.label} in the Book`}
              >
                {meta.label}
              </Link>
            </h2>
            {summary ? (
              <>
                <div className="quadrant-tile-count" data-testid="tile-accounts">
                  {formatInteger(row?.accounts ?? 0)}
                  <span className="quadrant-tile-unit">
                    {(row?.accounts ?? 0) === 1 ? "account" : "accounts"}
                  </span>
                </div>
                <div className="quadrant-tile-arr">
                  <span title={formatMoney(row?.arr ?? 0, currency)} data-testid="tile-arr">
                    {formatMoneyCompact(row?.arr ?? 0, currency)} ARR
                  </span>
                  <span className="muted" data-testid="tile-share">
                    {totalArr > 0 ? `${formatPercent((row?.arr ?? 0) / totalArr, 0)} of ARR` : ""}
                  </span>
                </div>
                <ChurnLine churn={churn} quadrant={q} />
              </>
            ) : (
              <div style={{ display: "grid", gap: 8, paddingTop: 6 }}>
                <Skeleton width={80} />
                <Skeleton width={140} />
              </div>
            )}
          </section>
        );
      })}
    </div>
  );
}
