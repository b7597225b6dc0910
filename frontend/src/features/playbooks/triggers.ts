import { QUADRANT_KEYS, quadrantLabel } from "../../ui/health";
import type { Band, TriggerType } from "./queries";

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

/** "critical_ticket" → "Critical ticket"; a rule this list does not know reads as its name. */
export function ruleLabel(rule: string): string {
  const known = ALERT_RULES.find((r) => r.value === rule)?.label;
  if (known) return known;
  const words = rule.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The types whose value is a list: several alert rules, several renewal milestones. */
export function isListTrigger(type: TriggerType): boolean {
  return type === "alert_rule" || type === "renewal_milestone";
}

/** "expansion_ready, seat_limit,,api_limit" → ["expansion_ready", "seat_limit", "api_limit"]. */
export function splitValues(value: string | null | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

/**
 * The list with `item` ticked or unticked, in the order of `options` (values the options do
 * not know keep their place after them), as the comma list the server reads.
 */
export function toggleValue(
  value: string,
  item: string,
  on: boolean,
  options: readonly string[],
): string {
  const current = splitValues(value).filter((v) => v !== item);
  const picked = new Set(on ? [...current, item] : current);
  const known = options.filter((o) => picked.has(o));
  const unknown = [...picked].filter((v) => !options.includes(v));
  return [...known, ...unknown].join(",");
}

/** ["a"] → "a"; ["a", "b"] → "a or b"; ["a", "b", "c"] → "a, b or c". */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

export const BANDS: readonly { value: Band; label: string }[] = [
  { value: "healthy", label: "Healthy" },
  { value: "watch", label: "Watch" },
  { value: "at_risk", label: "At risk" },
];

/** The bands ticked, in the order healthy, watch, at risk, without repeats or unknown names. */
export function orderBands(bands: readonly string[]): Band[] {
  return BANDS.map((b) => b.value).filter((b) => bands.includes(b));
}

/** How a band reads after "an account": "at risk", "on watch"; healthy comes before it. */
const BAND_WORDS: Record<Band, string> = {
  healthy: "healthy",
  watch: "on watch",
  at_risk: "at risk",
};

/**
 * The accounts a play is for, as a noun phrase: "an account" (any band), "a healthy account",
 * "an account at risk", "an account on watch or at risk", "an account that is healthy or at risk".
 */
export function accountInBands(bands: readonly string[] | null | undefined): string {
  const ordered = orderBands(bands ?? []);
  if (!ordered.length) return "an account";
  if (ordered.length === 1 && ordered[0] === "healthy") return "a healthy account";
  const words = orList(ordered.map((b) => BAND_WORDS[b]));
  return ordered.includes("healthy") ? `an account that is ${words}` : `an account ${words}`;
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
 * A play's trigger in words: "When an account at risk moves into Churn Risk", "60 or 30 days
 * before renewal", "When Expansion ready, Seat limit or API limit fires on an account at risk",
 * "Manual". Lists read in the order they are written; the bands name the accounts it is for.
 */
export function triggerInWords(
  type: TriggerType,
  value: string | null | undefined,
  bands?: readonly string[] | null,
): string {
  const who = accountInBands(bands);
  const on = bands?.length ? ` on ${who}` : "";
  switch (type) {
    case "alert_rule": {
      const rules = splitValues(value);
      return rules.length ? `When ${orList(rules.map(ruleLabel))} fires${on}` : `Alert${on}`;
    }
    case "renewal_milestone": {
      const days = splitValues(value);
      return days.length ? `${orList(days)} days before renewal${on}` : `Before renewal${on}`;
    }
    case "quadrant_move": {
      const [from, to] = splitMove(value);
      if (from === "*" && to === "*") return `When ${who} moves quadrant`;
      if (from === "*") return `When ${who} moves into ${quadrantName(to)}`;
      if (to === "*") return `When ${who} moves out of ${quadrantName(from)}`;
      return `When ${who} moves from ${quadrantName(from)} to ${quadrantName(to)}`;
    }
    case "manual":
      return "Manual";
    default:
      return String(type);
  }
}

/** Who a step's task goes to. csm and admin are older roles, offered only to plays that use them. */
export const ASSIGNEE_ROLES = [
  {
    value: "owner",
    label: "Account owner",
    about: "the account's owner",
  },
  {
    value: "leader",
    label: "Owner's lead",
    about: "the owner's lead, else the first active leader",
  },
  {
    value: "support_lead",
    label: "Support lead",
    about: "the support lead set for the workspace, else the owner's lead",
  },
] as const;

const LEGACY_ROLES: readonly { value: string; label: string }[] = [
  { value: "csm", label: "CSM" },
  { value: "admin", label: "Admin" },
];

/** The roles a step may pick: the three above, plus its own role when it is an older one. */
export function roleOptions(current: string): readonly { value: string; label: string }[] {
  if (ASSIGNEE_ROLES.some((r) => r.value === current)) return ASSIGNEE_ROLES;
  const legacy = LEGACY_ROLES.find((r) => r.value === current);
  return [...ASSIGNEE_ROLES, legacy ?? { value: current, label: current }];
}

export function assigneeLabel(role: string): string {
  return (
    ASSIGNEE_ROLES.find((r) => r.value === role)?.label ??
    LEGACY_ROLES.find((r) => r.value === role)?.label ??
    role
  );
}
