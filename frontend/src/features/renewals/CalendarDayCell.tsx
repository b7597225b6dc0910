import { Link } from "@tanstack/react-router";
import { formatDate, formatMoney, formatMoneyCompact } from "../../lib/format";
import type { CalendarDay } from "./calendar";
import { FORECASTS, type ForecastBucket, forecastLabel } from "./forecast";
import type { Renewal } from "./queries";
import { sourceLabel, termLabel } from "./terms";

const SHOWN = 3;

function Entry({ renewal, currency }: { renewal: Renewal; currency: string }) {
  const bucket = (renewal.forecast ?? "unset") as ForecastBucket;
  const term = termLabel(renewal.term);
  const source = sourceLabel(renewal.source);
  // "· Annual, from the CRM contract date" (the cell has no room for it: the tooltip says it).
  const termText = term
    ? ` · ${term}${source ? `, ${source.charAt(0).toLowerCase()}${source.slice(1)}` : ""}`
    : "";
  return (
    <li
      className="cal-entry"
      style={{ borderLeftColor: FORECASTS[bucket]?.color }}
      title={`${renewal.account_name}: ${formatMoney(renewal.arr_up_for_renewal, currency)}${termText} · forecast ${forecastLabel(renewal.forecast)}`}
    >
      <Link to="/accounts/$accountId" params={{ accountId: renewal.account_id }}>
        {renewal.account_name}
      </Link>
      <span className="cal-entry-arr">
        {formatMoneyCompact(renewal.arr_up_for_renewal, currency)}
      </span>
    </li>
  );
}

/** One day of the month grid: its renewals (the first few, the rest behind "+N more") and ARR. */
export function CalendarDayCell({
  day,
  today,
  currency,
}: {
  day: CalendarDay;
  today: string;
  currency: string;
}) {
  const count = day.renewals.length;
  const classes = ["cal-day"];
  if (!day.inMonth) classes.push("cal-day-out");
  if (day.date === today) classes.push("cal-day-today");
  if (day.date < today) classes.push("cal-day-past");
  if (!day.inMonth) {
    return (
      <div className={classes.join(" ")} aria-hidden="true">
        <span className="cal-day-num">{day.day}</span>
      </div>
    );
  }
  const shown = day.renewals.slice(0, SHOWN);
  const rest = day.renewals.slice(SHOWN);
  return (
    <section
      className={classes.join(" ")}
      data-testid={`calendar-day-${day.date}`}
      aria-label={`${formatDate(day.date)}${
        count
          ? `: ${count} ${count === 1 ? "renewal" : "renewals"}, ${formatMoney(day.arr, currency)}`
          : ""
      }`}
    >
      <div className="cal-day-head">
        <span className="cal-day-num">{day.day}</span>
        {count ? (
          <span className="cal-day-arr" data-testid="calendar-day-arr">
            {formatMoneyCompact(day.arr, currency)}
          </span>
        ) : null}
      </div>
      {count ? (
        <ul className="cal-list">
          {shown.map((r) => (
            <Entry key={r.id} renewal={r} currency={currency} />
          ))}
        </ul>
      ) : null}
      {rest.length ? (
        <details className="cal-more">
          <summary>+{rest.length} more</summary>
          <ul className="cal-list">
            {rest.map((r) => (
              <Entry key={r.id} renewal={r} currency={currency} />
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
