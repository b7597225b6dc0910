import type { AccountDetail } from "../../api/client";
import { DASH, daysBetween, formatInteger, formatSigned, humanize } from "../../lib/format";
import type { Tone } from "../../ui/Pill";
import type { RenewalView } from "./queries";

/** "today", "yesterday", "12 days ago" from the reporting day; null → "Never". */
export function daysAgo(today: string, date: string | null | undefined): string {
  if (!date) return "Never";
  const days = daysBetween(date, today);
  if (days === null) return "Never";
  if (days <= 0) return "today";
  if (days === 1) return "yesterday";
  return `${formatInteger(days)} days ago`;
}

/** A ratio as a signed whole percentage: 0.353 → "+35%", -0.2 → "−20%", null → "—". */
export function formatChange(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return DASH;
  return `${formatSigned(ratio * 100, 0)}%`;
}

export function changeClass(ratio: number | null | undefined): string | undefined {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return undefined;
  if (ratio <= -0.1) return "negative";
  if (ratio >= 0.1) return "positive";
  return undefined;
}

function lookup<T>(table: Record<string, T>, key: string | null | undefined): T | undefined {
  return key && Object.hasOwn(table, key) ? table[key] : undefined;
}

const SEVERITIES: Record<string, { label: string; tone: Tone }> = {
  high: { label: "High", tone: "red" },
  medium: { label: "Medium", tone: "amber" },
  low: { label: "Low", tone: "blue" },
};

export function severity(value: string): { label: string; tone: Tone } {
  return lookup(SEVERITIES, value) ?? { label: humanize(value), tone: "neutral" };
}

/** P1 and P2 are urgent. */
export function priorityTone(priority: number): Tone {
  if (priority <= 1) return "red";
  if (priority === 2) return "amber";
  return "neutral";
}

const FORECASTS: Record<string, Tone> = {
  commit: "green",
  upside: "blue",
  risk: "amber",
  churn: "red",
};

export function forecastTone(forecast: string | null | undefined): Tone {
  return lookup(FORECASTS, forecast) ?? "neutral";
}

const OUTCOMES: Record<string, Tone> = {
  renewed: "green",
  expanded: "green",
  contracted: "amber",
  churned: "red",
};

export function outcomeTone(outcome: string | null | undefined): Tone {
  return lookup(OUTCOMES, outcome) ?? "neutral";
}

const SENTIMENTS: Record<string, Tone> = {
  positive: "green",
  neutral: "neutral",
  negative: "red",
};

export function sentimentTone(sentiment: string | null | undefined): Tone {
  return lookup(SENTIMENTS, sentiment) ?? "neutral";
}

/** NPS: 0–6 detractor, 7–8 passive, 9–10 promoter. CSAT (1–5): ≤2 bad, ≥4 good. */
export function surveyTone(kind: string, score: number): Tone {
  if (kind === "nps") return score <= 6 ? "red" : score >= 9 ? "green" : "amber";
  return score <= 2 ? "red" : score >= 4 ? "green" : "amber";
}

const INVOICE_STATUSES: Record<string, Tone> = {
  paid: "green",
  open: "blue",
  uncollectible: "red",
  void: "neutral",
  draft: "neutral",
};

export function invoiceTone(status: string, daysOverdue: number | null): Tone {
  if (daysOverdue !== null && daysOverdue > 0) return "red";
  return lookup(INVOICE_STATUSES, status) ?? "neutral";
}

export const TIMELINE_KINDS: Record<string, string> = {
  ticket: "Ticket",
  nps: "NPS",
  csat: "CSAT",
  touch: "Touch",
  quadrant_move: "Quadrant",
  alert: "Alert",
  playbook: "Play",
  note: "Note",
};

export function timelineKind(kind: string): string {
  return lookup(TIMELINE_KINDS, kind) ?? humanize(kind);
}

/** Is an amount in another currency than the reporting one (a line's, an invoice's)? */
export function isForeign(amountCurrency: string | null | undefined, reporting: string): boolean {
  return !!amountCurrency && amountCurrency.toUpperCase() !== reporting.toUpperCase();
}

/** Due date of a task relative to today; overdue only while the task is open. */
export function plural(n: number, one: string, many: string): string {
  return `${formatInteger(n)} ${n === 1 ? one : many}`;
}

export interface NextRenewal {
  /** YYYY-MM-DD */
  date: string;
  /** Days from today (negative once past); null when unknown. */
  days: number | null;
  term: string | null;
  /** "crm" or "billing"; null when the picture has no record for the date. */
  source: string | null;
  /** The open renewal record on that date (ARR up for renewal, forecast), when listed. */
  record: RenewalView | null;
}

/**
 * The account's next renewal, the one the header and the Renewal card both show: the
 * account's `renewal_date` (its CRM contract date when one is ahead, else its next billing
 * cycle), with the open renewal record on that date for its ARR, forecast, term and source.
 * No `renewal_date`, no next renewal, whatever older records say.
 */
export function nextRenewal(account: AccountDetail, today: string): NextRenewal | null {
  const date = account.renewal_date;
  if (!date) return null;
  const record = account.renewals.find((r) => r.renewal_date === date && !r.outcome) ?? null;
  return {
    date,
    days: record ? record.days_to_renewal : daysBetween(today, date),
    term: record?.term ?? account.renewal_term ?? null,
    source: record?.source ?? null,
    record,
  };
}
