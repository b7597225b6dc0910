import { useMemo } from "react";
import { formatInteger, formatMoney, formatMoneyCompact } from "../../lib/format";
import { CalendarDayCell } from "./CalendarDayCell";
import { monthGrid, monthLabel, monthOf, shiftMonth, WEEKDAYS } from "./calendar";
import { BUCKET_KEYS, FORECASTS } from "./forecast";
import type { Renewal } from "./queries";

/** A month grid with each day's renewals and their ARR; ‹ › move between months. */
export function RenewalsCalendar({
  items,
  month,
  today,
  currency,
  onMonth,
}: {
  items: Renewal[];
  /** "YYYY-MM" */
  month: string;
  today: string;
  currency: string;
  onMonth: (month: string) => void;
}) {
  const weeks = useMemo(() => monthGrid(month, items), [month, items]);
  const inMonth = items.filter((r) => r.renewal_date.startsWith(month));
  const arr = inMonth.reduce((sum, r) => sum + r.arr_up_for_renewal, 0);
  const thisMonth = monthOf(today);
  return (
    <div className="cal">
      <div className="cal-toolbar">
        <button
          type="button"
          className="btn btn-sm"
          aria-label="Previous month"
          onClick={() => onMonth(shiftMonth(month, -1))}
        >
          ‹
        </button>
        <h3 className="cal-title" aria-live="polite">
          {monthLabel(month)}
        </h3>
        <button
          type="button"
          className="btn btn-sm"
          aria-label="Next month"
          onClick={() => onMonth(shiftMonth(month, 1))}
        >
          ›
        </button>
        {month !== thisMonth ? (
          <button type="button" className="btn btn-sm btn-ghost" onClick={() => onMonth(thisMonth)}>
            This month
          </button>
        ) : null}
        <span className="muted small" data-testid="calendar-month-total">
          {inMonth.length
            ? `${formatInteger(inMonth.length)} ${inMonth.length === 1 ? "renewal" : "renewals"} · `
            : "No renewals in this month"}
          {inMonth.length ? (
            <span title={formatMoney(arr, currency)}>{formatMoneyCompact(arr, currency)} ARR</span>
          ) : null}
        </span>
        <div className="toolbar-spacer" />
        <span className="cal-legend">
          <span className="visually-hidden">Forecast colours:</span>
          {BUCKET_KEYS.map((f) => (
            <span key={f} className="cal-legend-item">
              <span className="cal-swatch" style={{ background: FORECASTS[f].color }} />
              {FORECASTS[f].label}
            </span>
          ))}
        </span>
      </div>
      <div className="cal-grid" role="presentation">
        {WEEKDAYS.map((d) => (
          <div key={d} className="cal-weekday" aria-hidden="true">
            {d}
          </div>
        ))}
        {weeks.flat().map((day) => (
          <CalendarDayCell key={day.date} day={day} today={today} currency={currency} />
        ))}
      </div>
    </div>
  );
}
