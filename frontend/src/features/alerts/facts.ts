import {
  formatDate,
  formatInteger,
  formatMoney,
  formatNumber,
  formatPercent,
  formatScore,
  humanize,
} from "../../lib/format";
import { quadrantLabel } from "../../ui/health";

/**
 * The facts an alert rule fired on (backend `app/alerts/rules.py`), as people read them: a label
 * and a value in its unit ("ARR up for renewal: $114,877", "Change: −35%", "Renews in: 45 days").
 * One table for every view that shows an alert's facts (the account page, Today).
 */

type Unit =
  | "score"
  | "points"
  | "count"
  | "days"
  | "money"
  | "percent"
  | "change"
  | "ratio"
  | "date"
  | "quadrant"
  | "priority"
  | "text";

interface FactMeta {
  label: string;
  unit: Unit;
}

const FACTS: Record<string, FactMeta> = {
  health: { label: "Health", unit: "score" },
  health_before: { label: "Health before", unit: "score" },
  drop: { label: "Drop", unit: "points" },
  urgent_open: { label: "Urgent tickets open", unit: "count" },
  oldest_open_days: { label: "Oldest open for", unit: "days" },
  renewal_date: { label: "Renews on", unit: "date" },
  days: { label: "Days", unit: "days" },
  arr_up_for_renewal: { label: "ARR up for renewal", unit: "money" },
  user_days: { label: "Active user-days, last 4 weeks", unit: "count" },
  prev_user_days: { label: "Active user-days, 4 weeks before", unit: "count" },
  change: { label: "Change", unit: "change" },
  lowest_nps: { label: "Lowest NPS answer", unit: "count" },
  detractors: { label: "Detractors, last 30 days", unit: "count" },
  ticket_volume: { label: "Ticket volume", unit: "ratio" },
  open_tickets: { label: "Open tickets", unit: "count" },
  from: { label: "From", unit: "quadrant" },
  to: { label: "To", unit: "quadrant" },
  moved_on: { label: "Moved on", unit: "date" },
  days_overdue: { label: "Overdue by", unit: "days" },
  unpaid_invoices: { label: "Unpaid invoices", unit: "count" },
  active_users: { label: "Active users", unit: "count" },
  seat_limit: { label: "Seat limit", unit: "count" },
  api_calls: { label: "API calls, last 4 weeks", unit: "count" },
  api_call_limit: { label: "API call limit", unit: "count" },
  feature_adoption: { label: "Core features adopted", unit: "percent" },
  ticket_subject: { label: "Ticket", unit: "text" },
  ticket_id: { label: "Ticket ID", unit: "text" },
  priority: { label: "Priority", unit: "priority" },
};

function metaOf(key: string): FactMeta | undefined {
  return Object.hasOwn(FACTS, key) ? FACTS[key] : undefined;
}

/** `days` means days to the renewal for a renewal alert, days without activity for inactivity. */
function labelFor(key: string, rule: string | undefined): string {
  if (key === "days" && rule?.startsWith("renewal")) return "Renews in";
  if (key === "days" && rule === "inactivity") return "Inactive for";
  return metaOf(key)?.label ?? humanize(key);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T|$)/;

function plural(n: number, one: string, many: string): string {
  return `${formatInteger(n)} ${Math.round(n) === 1 ? one : many}`;
}

function formatValue(unit: Unit | undefined, value: number | string, currency: string): string {
  if (typeof value === "string") {
    if (unit === "quadrant") return quadrantLabel(value);
    if (unit === "date" || ISO_DATE.test(value)) return formatDate(value);
    if (unit === "priority" && /^\d$/.test(value)) return `P${value}`;
    return value;
  }
  switch (unit) {
    case "score":
      return formatScore(value);
    case "points":
      return `${formatNumber(value, 1)} points`;
    case "count":
      return formatInteger(value);
    case "days":
      return plural(value, "day", "days");
    case "money":
      return formatMoney(value, currency);
    case "percent":
      return formatPercent(value, 0);
    case "change": {
      const text = formatPercent(Math.abs(value), 0);
      return value > 0 ? `+${text}` : value < 0 ? `\u2212${text}` : text;
    }
    case "ratio":
      return `${formatNumber(value, 1)}\u00d7 usual`;
    case "priority":
      return `P${formatInteger(value)}`;
    case "text":
      return String(value);
    default:
      return formatNumber(value, 1);
  }
}

export interface AlertFact {
  key: string;
  label: string;
  value: string;
}

const ORDER = new Map(Object.keys(FACTS).map((key, i) => [key, i]));

/**
 * An alert's facts, labelled and formatted, in the table's order (stored as JSON, they lose the
 * rule's; unknown keys follow in the order given); facts without a value (null, or not a number
 * or text) are left out. `currency`: the reporting currency, which
 * money facts are in; `rule`: the alert's rule, for the few keys whose meaning depends on it.
 */
export function alertFacts(
  facts: Record<string, unknown> | null | undefined,
  { currency, rule }: { currency: string; rule?: string | undefined },
): AlertFact[] {
  return Object.entries(facts ?? {})
    .filter(
      (e): e is [string, number | string] =>
        (typeof e[1] === "number" && Number.isFinite(e[1])) ||
        (typeof e[1] === "string" && e[1].trim() !== ""),
    )
    .map(([key, value], i) => ({ key, value, rank: ORDER.get(key) ?? ORDER.size + i }))
    .sort((a, b) => a.rank - b.rank)
    .map(({ key, value }) => ({
      key,
      label: labelFor(key, rule),
      value: formatValue(metaOf(key)?.unit, value, currency),
    }));
}

/** The facts as one line: "Urgent tickets open: 1 · Oldest open for: 5 days". */
export function factsText(
  facts: Record<string, unknown> | null | undefined,
  context: { currency: string; rule?: string | undefined },
): string {
  return alertFacts(facts, context)
    .map((f) => `${f.label}: ${f.value}`)
    .join(" · ");
}
