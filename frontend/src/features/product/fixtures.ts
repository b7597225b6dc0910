/** Small API answers for the Product tests. */
import type { QuadrantHistory } from "../quadrants/queries";
import type {
  AdoptionBeforeRenewal,
  ComplaintToFix,
  FeatureByQuadrant,
  QuadrantChurn,
  TransitionMatrix,
} from "./queries";

function feature(
  key: string,
  name: string,
  isCore: boolean,
  champions: number | null,
  frustrated: number | null,
): FeatureByQuadrant {
  return {
    key,
    name,
    is_core: isCore,
    quadrants: [
      { quadrant: "champions", accounts: 100, share: champions, events_per_account: 10 },
      {
        quadrant: "frustrated_power_users",
        accounts: 20,
        share: frustrated,
        events_per_account: 12,
      },
    ],
    champions_vs_frustrated:
      champions === null || frustrated === null ? null : champions - frustrated,
  };
}

/** Deliberately not in gap order: Reports +0.5, API −0.25, Alerts +0.25, Audit log no gap. */
export const features: FeatureByQuadrant[] = [
  feature("alerts", "Alerts", false, 0.75, 0.5),
  feature("audit", "Audit log", false, null, 0.1),
  feature("reports", "Reports", true, 0.75, 0.25),
  feature("api", "API", false, 0.25, 0.5),
];

export const quadrantChurn: QuadrantChurn = {
  horizon_days: 90,
  quarters: [
    {
      quarter: "2025-04-01",
      quadrants: [
        { label: "champions", outcomes: 0, churned: 0, churn_rate: null, ratio_to_champions: null },
        {
          label: "churn_risk",
          outcomes: 0,
          churned: 0,
          churn_rate: null,
          ratio_to_champions: null,
        },
      ],
    },
    {
      quarter: "2025-10-01",
      quadrants: [
        { label: "champions", outcomes: 20, churned: 2, churn_rate: 0.1, ratio_to_champions: 1 },
        {
          label: "frustrated_power_users",
          outcomes: 10,
          churned: 3,
          churn_rate: 0.3,
          ratio_to_champions: 3,
        },
        {
          label: "relationship_dependent",
          outcomes: 0,
          churned: 0,
          churn_rate: null,
          ratio_to_champions: null,
        },
        { label: "churn_risk", outcomes: 8, churned: 4, churn_rate: 0.5, ratio_to_champions: 5 },
      ],
    },
  ],
};

export const transitions: TransitionMatrix = {
  date_from: "2025-10-01",
  date_to: "2026-01-01",
  snapshot_from: "2025-09-29",
  snapshot_to: "2025-12-29",
  cells: [
    { from_quadrant: "champions", to_quadrant: "champions", accounts: 40, arr: 4e6 },
    { from_quadrant: "champions", to_quadrant: "churn_risk", accounts: 5, arr: 5e5 },
    { from_quadrant: "churn_risk", to_quadrant: "champions", accounts: 2, arr: 1e5 },
    { from_quadrant: "churn_risk", to_quadrant: null, accounts: 3, arr: 2e5 },
    { from_quadrant: null, to_quadrant: "champions", accounts: 7, arr: 3e5 },
  ],
};

export const adoption: AdoptionBeforeRenewal = {
  since: "2024-07-01",
  features: [
    {
      key: "api",
      name: "API",
      is_core: false,
      windows: [
        { days_before: 90, renewed_share: 0.3, churned_share: 0.1, renewed: 50, churned: 10 },
        { days_before: 60, renewed_share: 0.2, churned_share: 0.2, renewed: 50, churned: 10 },
        { days_before: 30, renewed_share: 0.25, churned_share: 0.1, renewed: 50, churned: 10 },
      ],
    },
    {
      key: "reports",
      name: "Reports",
      is_core: true,
      windows: [
        { days_before: 90, renewed_share: 0.8, churned_share: 0.4, renewed: 50, churned: 10 },
        { days_before: 60, renewed_share: 0.7, churned_share: 0.6, renewed: 50, churned: 10 },
        { days_before: 30, renewed_share: 0.9, churned_share: 0.3, renewed: 50, churned: 10 },
      ],
    },
  ],
};

export const complaints: ComplaintToFix[] = [
  {
    product_area: "Performance",
    raised: 10,
    shipped: 8,
    confirmed: 5,
    median_days_to_ship: 12.4,
    median_days_to_confirm: 3.6,
    oldest_open_days: 40.2,
  },
  {
    product_area: "Billing",
    raised: 4,
    shipped: 0,
    confirmed: 0,
    median_days_to_ship: null,
    median_days_to_confirm: null,
    oldest_open_days: 20,
  },
];

const counts = (champions: number) => ({
  champions,
  frustrated_power_users: 10,
  relationship_dependent: 20,
  churn_risk: 5,
});
const arr = (champions: number) => ({
  champions,
  frustrated_power_users: 1e5,
  relationship_dependent: 2e5,
  churn_risk: 5e4,
});

/** Weekly points over two months: the monthly view keeps Nov 24 and Dec 29. */
export const history: QuadrantHistory = {
  date_from: "2025-11-01",
  date_to: "2026-01-15",
  interval: "week",
  series: [
    { as_of: "2025-11-17", counts: counts(50), arr: arr(5e6) },
    { as_of: "2025-11-24", counts: counts(52), arr: arr(5.2e6) },
    { as_of: "2025-12-22", counts: counts(55), arr: arr(5.5e6) },
    { as_of: "2025-12-29", counts: counts(56), arr: arr(5.6e6) },
  ],
};
