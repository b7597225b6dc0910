import { formatInteger, formatPercent } from "../../lib/format";
import type { Effectiveness, WindowEffect } from "./queries";

export function windowOf(
  effect: Effectiveness | undefined,
  days: number,
): WindowEffect | undefined {
  return effect?.windows.find((w) => w.days === days);
}

/** "50% improved in 30 days (1 of 2)"; "No runs old enough to judge at 30 days" when none. */
export function improvementSentence(window: WindowEffect | undefined, days: number): string {
  if (!window || window.measured === 0 || window.rate === null) {
    return `No runs old enough to judge at ${days} days yet`;
  }
  return `${formatPercent(window.rate, 0)} improved in ${days} days (${formatInteger(
    window.improved,
  )} of ${formatInteger(window.measured)})`;
}

/** "50%" or "—" for the library's compact figures. */
export function rateText(window: WindowEffect | undefined): string {
  return window && window.measured > 0 ? formatPercent(window.rate, 0) : "—";
}

/** Improved over measured across every play, per window: the library's average. */
export function overallRate(effects: Effectiveness[], days: number): number | null {
  let measured = 0;
  let improved = 0;
  for (const effect of effects) {
    const w = windowOf(effect, days);
    measured += w?.measured ?? 0;
    improved += w?.improved ?? 0;
  }
  return measured > 0 ? improved / measured : null;
}
