import { parseIsoDate } from "../../lib/format";
import type { Renewal } from "./queries";

export interface CalendarDay {
  /** YYYY-MM-DD */
  date: string;
  day: number;
  inMonth: boolean;
  renewals: Renewal[];
  arr: number;
}

export const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;

const DAY_MS = 86_400_000;

function iso(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/** "2026-12-02" → "2026-12". */
export function monthOf(date: string): string {
  return date.slice(0, 7);
}

/** Calendar month arithmetic: shiftMonth("2026-12", 1) → "2027-01". */
export function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split("-").map(Number);
  const d = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1 + by, 1));
  return iso(d.getTime()).slice(0, 7);
}

const monthFormat = new Intl.DateTimeFormat("en-US", {
  month: "long",
  year: "numeric",
  timeZone: "UTC",
});

/** "2026-12" → "December 2026". */
export function monthLabel(month: string): string {
  const t = parseIsoDate(`${month}-01`);
  return t === null ? month : monthFormat.format(t);
}

/**
 * The weeks (Monday first) covering `month`, each day with its renewals (in the list's order)
 * and their ARR. Days of the neighbouring months fill the first and last week.
 */
export function monthGrid(month: string, renewals: readonly Renewal[]): CalendarDay[][] {
  const first = parseIsoDate(`${month}-01`);
  if (first === null) return [];
  const byDate = new Map<string, Renewal[]>();
  for (const r of renewals) {
    const list = byDate.get(r.renewal_date);
    if (list) list.push(r);
    else byDate.set(r.renewal_date, [r]);
  }
  const weekday = (new Date(first).getUTCDay() + 6) % 7; // Monday = 0
  const next = parseIsoDate(`${shiftMonth(month, 1)}-01`) ?? first;
  const daysInMonth = Math.round((next - first) / DAY_MS);
  const weeks = Math.ceil((weekday + daysInMonth) / 7);
  const start = first - weekday * DAY_MS;
  return Array.from({ length: weeks }, (_, w) =>
    Array.from({ length: 7 }, (_, d) => {
      const t = start + (w * 7 + d) * DAY_MS;
      const date = iso(t);
      const list = byDate.get(date) ?? [];
      return {
        date,
        day: new Date(t).getUTCDate(),
        inMonth: date.startsWith(month),
        renewals: list,
        arr: list.reduce((sum, r) => sum + r.arr_up_for_renewal, 0),
      };
    }),
  );
}
