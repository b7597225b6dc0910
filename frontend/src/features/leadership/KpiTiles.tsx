import { useMemo } from "react";
import { Skeleton } from "../../ui/states";
import { KpiTile } from "./KpiTile";
import { buildKpis } from "./kpis";
import type { Summary } from "./queries";

const PLACEHOLDERS = [
  "ARR",
  "NRR (TTM)",
  "GRR (TTM)",
  "Logo churn (monthly)",
  "Revenue churn (monthly)",
  "Expansion ARR (monthly)",
  "Revenue at risk",
  "Net new ARR, existing customers",
];

/** The KPIs as tiles, each with its 18-month sparkline (revenue at risk: today only). */
export function KpiTiles({
  summary,
  currency,
}: {
  summary: Summary | undefined;
  currency: string;
}) {
  const kpis = useMemo(() => (summary ? buildKpis(summary, currency) : null), [summary, currency]);
  const months = useMemo(() => summary?.series.map((p) => p.month) ?? [], [summary]);
  const provisional = useMemo(() => summary?.series.map((p) => p.provisional) ?? [], [summary]);

  if (!kpis) {
    return (
      <div className="kpi-tiles" aria-busy="true">
        {PLACEHOLDERS.map((label) => (
          <section key={label} className="card kpi-tile" aria-label={label}>
            <h2 className="kpi-label">{label}</h2>
            <div className="kpi-loading">
              <Skeleton width={90} />
              <Skeleton width="100%" />
            </div>
          </section>
        ))}
      </div>
    );
  }
  return (
    <div className="kpi-tiles">
      {kpis.map((kpi) => (
        <KpiTile
          key={kpi.key}
          kpi={kpi}
          months={months}
          provisional={provisional}
          currency={currency}
        />
      ))}
    </div>
  );
}
