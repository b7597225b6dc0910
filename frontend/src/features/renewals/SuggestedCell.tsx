import { formatPercent } from "../../lib/format";
import { ForecastPill } from "./ForecastPill";
import { disagrees, forecastLabel } from "./forecast";
import type { Renewal } from "./queries";

/** What health suggests (from the churn probability), marked when the team's forecast differs. */
export function SuggestedCell({ renewal }: { renewal: Renewal }) {
  const { forecast, suggested_forecast: suggested, churn_probability: p } = renewal;
  const basis = p === null ? "No health score yet" : `Churn probability ${formatPercent(p, 0)}`;
  if (!disagrees(forecast, suggested)) {
    return <ForecastPill forecast={suggested} title={basis} />;
  }
  return (
    <span
      className="renewal-disagree"
      data-testid="forecast-disagrees"
      title={`${basis}: health suggests ${forecastLabel(suggested)}, the team forecasts ${forecastLabel(forecast)}`}
    >
      <ForecastPill forecast={suggested} />
      <span className="renewal-disagree-mark">differs</span>
    </span>
  );
}
