import type { Schemas } from "../../api/client";
import type { operations } from "../../api/schema";

/**
 * Renewal terms (one definition everywhere): an account's next renewal is its CRM contract
 * date when one is ahead, else its next billing cycle. "Term renewals" (annual, multi-year,
 * contract) are what every renewal list shows unless asked for monthly billing cycles.
 */

export type RenewalTerm = Schemas["RenewalTerm"];
export type RenewalSource = Schemas["RenewalSource"];
/** `renewals:list` / `renewals:rollup`'s `term`: "term" (the default), "all", or one term. */
export type TermFilter = NonNullable<
  NonNullable<operations["listRenewals"]["parameters"]["query"]>["term"]
>;

export const TERM_KEYS: readonly RenewalTerm[] = ["monthly", "annual", "multi_year", "contract"];

export const TERMS: Record<RenewalTerm, string> = {
  monthly: "Monthly",
  annual: "Annual",
  multi_year: "Multi-year",
  contract: "Contract",
};

export const DEFAULT_TERM_FILTER: TermFilter = "term";

export const TERM_FILTERS: readonly { value: TermFilter; label: string }[] = [
  { value: "term", label: "Term renewals" },
  { value: "all", label: "All, incl. monthly" },
  ...TERM_KEYS.map((t) => ({ value: t, label: TERMS[t] })),
];

export function isTermFilter(value: unknown): value is TermFilter {
  return typeof value === "string" && TERM_FILTERS.some((f) => f.value === value);
}

/** "Annual", "Multi-year"…; "" for none (or a term this client does not know, humanised). */
export function termLabel(term: string | null | undefined): string {
  if (!term) return "";
  return Object.hasOwn(TERMS, term) ? TERMS[term as RenewalTerm] : term.replace(/_/g, " ");
}

/** Where a renewal's date comes from, for a tooltip. */
export function sourceLabel(source: string | null | undefined): string {
  if (source === "crm") return "From the CRM contract date";
  if (source === "billing") return "Next billing cycle";
  return "";
}

/** The term filter in words, for totals: "term renewals", "all renewals", "monthly renewals". */
export function termFilterWords(term: TermFilter): string {
  if (term === "term") return "term renewals";
  if (term === "all") return "all renewals";
  return `${termLabel(term).toLowerCase()} renewals`;
}

export const TERM_FILTER_HELP =
  "Term renewals are annual, multi-year and CRM contract renewals. Monthly billing cycles show only with “All, incl. monthly” or “Monthly”.";
