import { formatInteger, formatMoney, formatMoneyCompact, formatPercent } from "../../lib/format";
import { QUADRANT_KEYS, QUADRANTS } from "../../ui/health";
import { Skeleton } from "../../ui/states";
import type { QuadrantCount } from "./queries";

/** One tile per quadrant: accounts, ARR and the quadrant's share of placed ARR. */
export function SummaryTiles({
  summary,
  currency,
}: {
  summary: QuadrantCount[] | undefined;
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
            className="card quadrant-tile"
            aria-label={meta.label}
            data-testid="quadrant-tile"
            style={{ borderTopColor: meta.color }}
          >
            <h2 className="quadrant-tile-title">
              <span className="dot" style={{ background: meta.color }} aria-hidden="true" />
              {meta.label}
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
