/** Small API answers for the Cohorts tests. */
import type { ChurnDrivers, Cohort, CohortReport, EngagementChurn, TimeToValue } from "./queries";

function cohort(
  month: string,
  group: string,
  size: number,
  initial: number,
  ages: [retained: number, arr: number][],
): Cohort {
  return {
    cohort: month,
    group,
    size,
    initial_arr: initial,
    ages: ages.map(([retained, arr], age) => ({
      age,
      retained,
      arr,
      logo_retention: retained / size,
      revenue_retention: arr / initial,
    })),
  };
}

/** Oct 2025: 4 accounts, 100% → 75% → 50% logo, 100% → 90% → 110% revenue. */
export const OCT = cohort("2025-10-01", "all", 4, 40_000, [
  [4, 40_000],
  [3, 36_000],
  [2, 44_000],
]);
/** Nov 2025: 5 accounts, 100% → 80% logo, 100% → 120% revenue. */
export const NOV = cohort("2025-11-01", "all", 5, 10_000, [
  [5, 10_000],
  [4, 12_000],
]);

export const report: CohortReport = { split: "none", cohorts: [OCT, NOV] };

export const segmentReport: CohortReport = {
  split: "segment",
  cohorts: [
    cohort("2025-10-01", "Enterprise", 2, 200_000, [
      [2, 200_000],
      [2, 230_000],
    ]),
    cohort("2025-10-01", "SMB", 10, 20_000, [
      [10, 20_000],
      [7, 15_000],
    ]),
  ],
};

export const drivers: ChurnDrivers = {
  since: "2025-01-01",
  reason: [
    { driver: "too_expensive", churns: 3, lost_arr: 30_000 },
    { driver: "not given", churns: 1, lost_arr: 50_000 },
  ],
  kind: [
    { driver: "voluntary", churns: 3, lost_arr: 60_000 },
    { driver: "involuntary", churns: 1, lost_arr: 20_000 },
  ],
  quadrant: [
    { driver: "churn_risk", churns: 3, lost_arr: 70_000 },
    { driver: "not scored", churns: 1, lost_arr: 10_000 },
  ],
  segment: [{ driver: "SMB", churns: 4, lost_arr: 80_000 }],
  plan: [{ driver: "Growth", churns: 4, lost_arr: 80_000 }],
};

export const timeToValue: TimeToValue[] = [
  {
    segment: "Enterprise",
    accounts: 12,
    median_days: 48.5,
    p25_days: 36,
    p75_days: 56.5,
    median_onboarding_days: 87,
  },
  {
    segment: "SMB",
    accounts: 40,
    median_days: 24,
    p25_days: null,
    p75_days: null,
    median_onboarding_days: null,
  },
];

export const engagement: EngagementChurn = {
  horizon_days: 90,
  tiers: [
    { label: "low", outcomes: 20, churned: 10, churn_rate: 0.5 },
    { label: "medium", outcomes: 40, churned: 8, churn_rate: 0.2 },
    { label: "high", outcomes: 50, churned: 5, churn_rate: 0.1 },
  ],
};
