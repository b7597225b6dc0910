import { formatInteger, formatMoney, formatMoneyCompact, formatPercent } from "../../lib/format";
import type { Summary } from "./queries";

/** Small facts beside the KPIs: customers, ARPA, LTV and the gross margin LTV uses. */
export function SummaryFacts({ summary, currency }: { summary: Summary; currency: string }) {
  return (
    <dl className="leadership-facts" aria-label="Unit economics">
      <div>
        <dt className="has-tip" title="Accounts with ARR > 0 today">
          Customers
        </dt>
        <dd data-testid="fact-customers">{formatInteger(summary.customers)}</dd>
      </div>
      <div>
        <dt className="has-tip" title="ARPA = MRR / customers">
          ARPA
        </dt>
        <dd data-testid="fact-arpa" title={formatMoney(summary.arpa, currency)}>
          {formatMoneyCompact(summary.arpa, currency)}
          <span className="muted"> / month</span>
        </dd>
      </div>
      <div>
        <dt className="has-tip" title="LTV = ARPA × gross margin / monthly revenue churn">
          LTV
        </dt>
        <dd data-testid="fact-ltv" title={formatMoney(summary.ltv, currency)}>
          {formatMoneyCompact(summary.ltv, currency)}
        </dd>
      </div>
      <div>
        <dt className="has-tip" title="Gross margin (TEMPO_GROSS_MARGIN), used for LTV">
          Gross margin
        </dt>
        <dd>{formatPercent(summary.gross_margin, 0)}</dd>
      </div>
    </dl>
  );
}
