import type { Hygiene, HygieneAccounts, HygieneCheck, HygieneFillRate } from "./queries";

function fill(
  key: string,
  label: string,
  filled: number,
  total: number,
  missingArr: number,
  weight = 1,
): HygieneFillRate {
  const rate = total ? filled / total : null;
  return {
    key,
    label,
    definition: `${label} is set.`,
    filled,
    total,
    rate,
    missing_arr: missingArr,
    weight,
    threshold: 0.9,
    needs_attention: rate !== null && rate < 0.9,
    accounts_key: `missing:${key}`,
  };
}

function check(
  overrides: Partial<HygieneCheck> & Pick<HygieneCheck, "key" | "label">,
): HygieneCheck {
  const failing = overrides.failing ?? 0;
  const total = overrides.total ?? 850;
  return {
    definition: `${overrides.label}: the definition.`,
    unit: "accounts",
    measurable: true,
    note: null,
    failing,
    total,
    share: total ? failing / total : null,
    severity: "high",
    arr_affected: 0,
    oldest_days: null,
    book_wide: false,
    weight: 2,
    threshold: 0.02,
    needs_attention: false,
    lists_accounts: true,
    ...overrides,
  };
}

/** The demo-like book of the page's tests: 850 active accounts, a few problems. */
export const hygiene: Hygiene = {
  scope: "all",
  as_of: "2026-01-15T09:00:00Z",
  silent_days: 30,
  accounts: 850,
  arr: 40_000_000,
  score: 87.4,
  score_formula: "100 × the weighted mean of the parts.",
  score_parts: [
    {
      key: "fill:segment",
      label: "Segment",
      kind: "fill_rate",
      weight: 2,
      value: 1,
      counted: true,
    },
    {
      key: "fill:icp_tier",
      label: "ICP tier",
      kind: "fill_rate",
      weight: 2,
      value: 0.6,
      counted: true,
    },
    {
      key: "fill:region",
      label: "Region",
      kind: "fill_rate",
      weight: 0,
      value: 0.95,
      counted: false,
    },
    {
      key: "check:renewal_past",
      label: "Renewal date in the past",
      kind: "check",
      weight: 2,
      value: 0.97,
      counted: true,
    },
    {
      key: "check:arr_mismatch",
      label: "CRM and billing ARR disagree",
      kind: "check",
      weight: 2,
      value: null,
      counted: false,
    },
  ],
  fill_rates: [
    fill("segment", "Segment", 850, 850, 0, 2),
    fill("icp_tier", "ICP tier", 510, 850, 4_100_000, 2),
    fill("region", "Region", 808, 850, 300_000, 0),
    fill("contract_end", "Contract end", 0, 0, 0, 0),
  ],
  checks: [
    check({
      key: "renewal_past",
      label: "Renewal date in the past",
      failing: 25,
      total: 600,
      arr_affected: 1_200_000,
      needs_attention: true,
    }),
    check({
      key: "arr_mismatch",
      label: "CRM and billing ARR disagree",
      severity: "medium",
      measurable: false,
      total: 0,
      share: null,
      note: "No active account in scope has both an ARR from the CRM and subscription lines.",
    }),
    check({
      key: "silent",
      label: "No signal",
      severity: "medium",
      weight: 1,
      threshold: 0.1,
      failing: 120,
      arr_affected: 2_500_000,
      needs_attention: true,
    }),
    check({ key: "no_owner", label: "No owner", failing: 0, arr_affected: 0 }),
    check({
      key: "unmatched_backlog",
      label: "Unmatched backlog",
      unit: "records",
      severity: "low",
      weight: 0,
      threshold: 7,
      failing: 14,
      total: 40,
      arr_affected: null,
      oldest_days: 9.2,
      book_wide: true,
      lists_accounts: false,
      needs_attention: true,
    }),
    check({
      key: "stale_sources",
      label: "Stale data sources",
      unit: "sources",
      weight: 0,
      threshold: 0,
      failing: 0,
      total: 6,
      arr_affected: null,
      book_wide: true,
      lists_accounts: false,
    }),
  ],
};

export const renewalPastAccounts: HygieneAccounts = {
  key: "renewal_past",
  label: "Renewal date in the past",
  definition: "Renewal date in the past: the definition.",
  scope: "all",
  columns: [
    { key: "renewal_date", label: "CRM renewal date" },
    { key: "days_past", label: "Days past" },
    { key: "next_renewal_date", label: "Renewal used instead" },
  ],
  items: [
    {
      id: "a0000000-0000-4000-8000-000000000001",
      external_id: "ACME-001",
      name: "Acme Corp",
      owner_email: "casey@tempo.test",
      arr: 120_000,
      values: { renewal_date: "2026-01-05", days_past: 10, next_renewal_date: "2026-03-01" },
    },
    {
      id: "a0000000-0000-4000-8000-000000000002",
      external_id: "GLOBEX",
      name: "Globex",
      owner_email: null,
      arr: 30_000,
      values: { renewal_date: "2025-12-01", days_past: 45, next_renewal_date: null },
    },
  ],
  total: 25,
};
