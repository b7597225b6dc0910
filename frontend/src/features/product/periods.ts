/** Pure calendar helpers of the Product view: quarters and monthly snapshots. */
import type { QuadrantHistory } from "../quadrants/queries";
import type { QuarterChurn } from "./queries";

/** "2026-11-20" → "2026-10-01". */
export function quarterStart(date: string): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const q = Math.floor((m - 1) / 3) * 3 + 1;
  return `${y}-${String(q).padStart(2, "0")}-01`;
}

/** Move a quarter start by `n` quarters: ("2026-01-01", -1) → "2025-10-01". */
export function shiftQuarter(start: string, n: number): string {
  const index = Number(start.slice(0, 4)) * 4 + Math.floor((Number(start.slice(5, 7)) - 1) / 3) + n;
  const y = Math.floor(index / 4);
  const m = (index - y * 4) * 3 + 1;
  return `${y}-${String(m).padStart(2, "0")}-01`;
}

/** "2025-07-01" → "Q3 2025". */
export function quarterLabel(start: string): string {
  return `Q${Math.floor((Number(start.slice(5, 7)) - 1) / 3) + 1} ${start.slice(0, 4)}`;
}

export interface QuarterStep {
  /** Previous quarter's start. */
  from: string;
  /** This quarter's start. */
  to: string;
  label: string;
}

/** The last `count` quarter-over-quarter steps up to the quarter of `today`, newest first. */
export function quarterSteps(today: string, count = 8): QuarterStep[] {
  const current = quarterStart(today);
  return Array.from({ length: count }, (_, i) => {
    const to = shiftQuarter(current, -i);
    const from = shiftQuarter(to, -1);
    return { from, to, label: `${quarterLabel(from)} → ${quarterLabel(to)}` };
  });
}

/** The weekly history reduced to the last point of each month (dated as that point). */
export function monthlyHistory(history: QuadrantHistory): QuadrantHistory {
  const byMonth = new Map<string, QuadrantHistory["series"][number]>();
  for (const point of history.series) byMonth.set(point.as_of.slice(0, 7), point);
  return { ...history, interval: "month", series: [...byMonth.values()] };
}

/** Quarters with at least one outcome (earlier quarters predate the scoring history). */
export function activeQuarters(quarters: QuarterChurn[]): QuarterChurn[] {
  return quarters.filter((q) => q.quadrants.some((r) => r.outcomes > 0));
}
