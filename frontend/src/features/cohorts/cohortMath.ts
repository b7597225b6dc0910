/** Pure helpers behind the cohort heatmap and retention curves. */
import type { Cohort, CohortAge } from "./queries";
import type { RetentionMetric } from "./searchState";

const monthFormat = new Intl.DateTimeFormat("en-US", {
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});

/** "2026-07-01" → "Jul 2026". */
export function monthLabel(iso: string): string {
  const t = Date.parse(`${iso.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(t) ? iso : monthFormat.format(t);
}

export function retentionOf(age: CohortAge, metric: RetentionMetric): number | null {
  return metric === "logo" ? age.logo_retention : age.revenue_retention;
}

export interface GroupSize {
  group: string;
  accounts: number;
}

/** The groups of a split, largest (most accounts) first. */
export function cohortGroups(cohorts: Cohort[]): GroupSize[] {
  const sizes = new Map<string, number>();
  for (const c of cohorts) sizes.set(c.group, (sizes.get(c.group) ?? 0) + c.size);
  return [...sizes]
    .map(([group, accounts]) => ({ group, accounts }))
    .sort((a, b) => b.accounts - a.accounts || a.group.localeCompare(b.group));
}

/** The wanted group if it has cohorts, else the largest one ("" when there are none). */
export function pickGroup(cohorts: Cohort[], wanted: string): string {
  const groups = cohortGroups(cohorts);
  return groups.some((g) => g.group === wanted) ? wanted : (groups[0]?.group ?? "");
}

export function maxAge(cohorts: Cohort[]): number {
  let max = -1;
  for (const c of cohorts) for (const a of c.ages) max = Math.max(max, a.age);
  return max;
}

export interface CurvePoint {
  age: number;
  /** Pooled retention: Σ retained / Σ size (logo) or Σ ARR / Σ initial ARR (revenue). */
  value: number | null;
  cohorts: number;
  accounts: number;
}

/**
 * Retention by age pooled over cohorts, i.e. the cohorts' retention weighted by their size
 * (accounts for logo retention, initial ARR for revenue retention). Each age pools only the
 * cohorts old enough to have it.
 */
export function pooledCurve(cohorts: Cohort[], metric: RetentionMetric): CurvePoint[] {
  const last = maxAge(cohorts);
  const points: CurvePoint[] = [];
  for (let age = 0; age <= last; age++) {
    let num = 0;
    let den = 0;
    let count = 0;
    let accounts = 0;
    for (const c of cohorts) {
      const a = c.ages.find((x) => x.age === age);
      if (!a) continue;
      count += 1;
      accounts += c.size;
      num += metric === "logo" ? a.retained : a.arr;
      den += metric === "logo" ? c.size : c.initial_arr;
    }
    points.push({ age, value: den > 0 ? num / den : null, cohorts: count, accounts });
  }
  return points;
}

export interface Curve {
  name: string;
  points: CurvePoint[];
}

/** One pooled curve per group (in order of size), or one over all cohorts without a split. */
export function retentionCurves(
  cohorts: Cohort[],
  metric: RetentionMetric,
  split: boolean,
): Curve[] {
  if (!split) return [{ name: "All cohorts", points: pooledCurve(cohorts, metric) }];
  return cohortGroups(cohorts).map(({ group }) => ({
    name: group,
    points: pooledCurve(
      cohorts.filter((c) => c.group === group),
      metric,
    ),
  }));
}

const INDIGO = "79 70 229";
const GREEN = "34 163 90";
const RED = "220 59 59";

function shade(rgb: string, t: number): { background: string; color: string } {
  const alpha = Math.round((0.06 + 0.84 * Math.max(0, Math.min(1, t))) * 100) / 100;
  // white text only on the darkest cells: below that, dark text keeps 4.5:1 (WCAG AA)
  return { background: `rgb(${rgb} / ${alpha})`, color: alpha >= 0.85 ? "#ffffff" : "" };
}

/**
 * Heatmap colours. Logo retention: darker indigo the higher it is (50% or less is the
 * lightest). Revenue retention diverges at 100%: green for expansion, red for contraction,
 * darker up to ±50 points.
 */
export function heatColor(
  value: number | null,
  metric: RetentionMetric,
): { background: string; color: string } {
  if (value === null || !Number.isFinite(value)) return { background: "transparent", color: "" };
  if (metric === "logo") return shade(INDIGO, (value - 0.5) / 0.5);
  return value >= 1 ? shade(GREEN, (value - 1) / 0.5) : shade(RED, (1 - value) / 0.5);
}
