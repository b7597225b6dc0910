import { errorMessage } from "../../api/errors";
import { ForecastPill } from "./ForecastPill";
import { FORECAST_KEYS, FORECASTS, isForecast } from "./forecast";
import { type Renewal, useUpdateRenewal } from "./queries";

/** The team's forecast: a select that saves on change, or a pill for read-only roles. */
export function ForecastCell({ renewal, canEdit }: { renewal: Renewal; canEdit: boolean }) {
  const update = useUpdateRenewal();
  if (!canEdit) return <ForecastPill forecast={renewal.forecast} />;
  // While saving, show the value being saved rather than the old one.
  const value = update.isPending
    ? (update.variables.body.forecast ?? "")
    : (renewal.forecast ?? "");
  return (
    <span className="renewal-forecast">
      <select
        className={`select select-sm forecast-select forecast-${value || "unset"}`}
        aria-label={`Forecast for ${renewal.account_name}`}
        value={value}
        disabled={update.isPending}
        onChange={(e) => {
          const next = e.target.value;
          update.mutate({ id: renewal.id, body: { forecast: isForecast(next) ? next : null } });
        }}
      >
        <option value="">None</option>
        {FORECAST_KEYS.map((f) => (
          <option key={f} value={f}>
            {FORECASTS[f].label}
          </option>
        ))}
      </select>
      {update.isPending ? <span className="fetching">Saving…</span> : null}
      {update.isError ? (
        <span className="field-error small" role="alert">
          {errorMessage(update.error)}
        </span>
      ) : null}
    </span>
  );
}
