import { Pill } from "../../ui/Pill";
import { FORECASTS, type ForecastBucket, forecastLabel } from "./forecast";

/** A forecast as a coloured pill; none → a muted "Not set". */
export function ForecastPill({ forecast, title }: { forecast: string | null; title?: string }) {
  if (!forecast) {
    return (
      <span className="muted" title={title}>
        {FORECASTS.unset.label}
      </span>
    );
  }
  const meta = Object.hasOwn(FORECASTS, forecast)
    ? FORECASTS[forecast as ForecastBucket]
    : undefined;
  return (
    <Pill tone={meta?.tone ?? "neutral"} title={title}>
      {forecastLabel(forecast)}
    </Pill>
  );
}
