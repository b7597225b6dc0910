import { Segmented } from "../../ui/Segmented";
import { useBookFields } from "../book/queries";
import { FORECAST_KEYS, FORECASTS, isForecast } from "./forecast";
import type { RenewalStatus, RenewalsState, RenewalsView } from "./searchState";
import { DEFAULT_TERM_FILTER, isTermFilter, TERM_FILTER_HELP, TERM_FILTERS } from "./terms";
import { WindowPicker } from "./WindowPicker";

const STATUS_OPTIONS: { value: RenewalStatus; label: string }[] = [
  { value: "open", label: "Open" },
  { value: "closed", label: "Closed" },
  { value: "all", label: "All" },
];

const VIEW_OPTIONS: { value: RenewalsView; label: string }[] = [
  { value: "list", label: "List" },
  { value: "calendar", label: "Calendar" },
];

/** Window, status, term, forecast and segment filters, and the list/calendar toggle. */
export function RenewalsFilters({
  state,
  onChange,
}: {
  state: RenewalsState;
  onChange: (patch: Partial<RenewalsState>, replace?: boolean) => void;
}) {
  const fields = useBookFields();
  const segments = fields.data?.fields.find((f) => f.name === "segment")?.choices ?? [];
  // A segment in the URL that the book no longer has stays selectable.
  const segmentChoices =
    state.segment && !segments.includes(state.segment) ? [state.segment, ...segments] : segments;
  return (
    <>
      <WindowPicker days={state.days} onChange={(days) => onChange({ days })} />
      <Segmented
        label="Status"
        options={STATUS_OPTIONS}
        value={state.status}
        onChange={(status) => onChange({ status })}
      />
      <label className="inline-field" title={TERM_FILTER_HELP}>
        Term
        <select
          className="select select-sm"
          value={state.term}
          onChange={(e) => {
            const v = e.target.value;
            onChange({ term: isTermFilter(v) ? v : DEFAULT_TERM_FILTER });
          }}
        >
          {TERM_FILTERS.map((t) => (
            <option key={t.value} value={t.value}>
              {t.label}
            </option>
          ))}
        </select>
      </label>
      <label className="inline-field">
        Forecast
        <select
          className="select select-sm"
          value={state.forecast}
          onChange={(e) => {
            const v = e.target.value;
            onChange({ forecast: isForecast(v) ? v : "" });
          }}
        >
          <option value="">Any</option>
          {FORECAST_KEYS.map((f) => (
            <option key={f} value={f}>
              {FORECASTS[f].label}
            </option>
          ))}
        </select>
      </label>
      <label className="inline-field">
        Segment
        <select
          className="select select-sm"
          value={state.segment}
          onChange={(e) => onChange({ segment: e.target.value })}
        >
          <option value="">All</option>
          {segmentChoices.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <div className="toolbar-spacer" />
      <Segmented
        label="View"
        options={VIEW_OPTIONS}
        value={state.view}
        onChange={(view) => onChange({ view }, true)}
      />
    </>
  );
}
