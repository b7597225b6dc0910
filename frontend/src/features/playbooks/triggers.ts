import { QUADRANT_KEYS, quadrantLabel } from "../../ui/health";
import type { TriggerType } from "./queries";

export const TRIGGER_TYPES: readonly { value: TriggerType; label: string }[] = [
  { value: "alert_rule", label: "Alert" },
  { value: "quadrant_move", label: "Quadrant move" },
  { value: "renewal_milestone", label: "Renewal milestone" },
  { value: "manual", label: "Manual" },
];

/** The alert rules a play can start from (the server's rule names, plus data_stale). */
export const ALERT_RULES: readonly { value: string; label: string }[] = [
  { value: "health_drop", label: "Health drop" },
  { value: "critical_ticket", label: "Critical ticket" },
  { value: "renewal_90", label: "Renewal in 90 days" },
  { value: "renewal_60", label: "Renewal in 60 days" },
  { value: "renewal_30", label: "Renewal in 30 days" },
  { value: "usage_decline", label: "Usage decline" },
  { value: "inactivity", label: "Inactivity" },
  { value: "detractor", label: "Detractor" },
  { value: "ticket_surge", label: "Ticket surge" },
  { value: "quadrant_down", label: "Quadrant move down" },
  { value: "payment_overdue", label: "Payment overdue" },
  { value: "seat_limit", label: "Seat limit" },
  { value: "api_limit", label: "API limit" },
  { value: "expansion_ready", label: "Expansion ready" },
  { value: "data_stale", label: "Stale data" },
];

/** Days before renewal the renewal alerts fire at (the server's default milestones). */
export const RENEWAL_MILESTONES = ["90", "60", "30"] as const;

/** "*" (any quadrant) and the four quadrants, for the from/to selects. */
export const QUADRANT_OPTIONS: readonly { value: string; label: string }[] = [
  { value: "*", label: "Any quadrant" },
  ...QUADRANT_KEYS.map((q) => ({ value: q, label: quadrantLabel(q) })),
];

/** Where a trigger type starts when picked. */
export const DEFAULT_TRIGGER_VALUE: Record<TriggerType, string> = {
  alert_rule: "health_drop",
  quadrant_move: "*->churn_risk",
  renewal_milestone: "90",
  manual: "",
};

export function ruleLabel(rule: string): string {
  return ALERT_RULES.find((r) => r.value === rule)?.label ?? rule.replace(/_/g, " ");
}

/** "Critical ticket" → "critical ticket"; acronyms stay ("API limit"). */
function lowerFirst(label: string): string {
  return /^[A-Z]{2}/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);
}

/** "*->churn_risk" → ["*", "churn_risk"]; a value without an arrow reads as any → any. */
export function splitMove(value: string | null | undefined): [string, string] {
  const [from, to] = (value ?? "").split("->");
  return [from?.trim() || "*", to?.trim() || "*"];
}

function quadrantName(q: string): string {
  return quadrantLabel(q);
}

/**
 * A play's trigger in words: "When an account moves into Churn Risk", "90 days before
 * renewal", "Alert: critical ticket", "Manual".
 */
export function triggerInWords(type: TriggerType, value: string | null | undefined): string {
  const v = (value ?? "").trim();
  switch (type) {
    case "alert_rule":
      return v ? `Alert: ${lowerFirst(ruleLabel(v))}` : "Alert";
    case "renewal_milestone":
      return v ? `${v} days before renewal` : "Before renewal";
    case "quadrant_move": {
      const [from, to] = splitMove(v);
      if (from === "*" && to === "*") return "When an account moves quadrant";
      if (from === "*") return `When an account moves into ${quadrantName(to)}`;
      if (to === "*") return `When an account moves out of ${quadrantName(from)}`;
      return `When an account moves from ${quadrantName(from)} to ${quadrantName(to)}`;
    }
    case "manual":
      return "Manual";
    default:
      return String(type);
  }
}

export const ASSIGNEE_ROLES = [
  { value: "owner", label: "Account owner" },
  { value: "leader", label: "Leader" },
  { value: "csm", label: "CSM" },
  { value: "admin", label: "Admin" },
] as const;
export type AssigneeRole = (typeof ASSIGNEE_ROLES)[number]["value"];

export function assigneeLabel(role: string): string {
  return ASSIGNEE_ROLES.find((r) => r.value === role)?.label ?? role;
}
