import type { Schemas } from "../../api/client";
import { formatInteger, formatPercent } from "../../lib/format";
import { ALERT_RULES } from "../playbooks/triggers";
import type { AlertThresholds, ConfigBody, RulePrecision } from "./queries";

export type Severity = Schemas["Severity"];

/** Below this many firings a rule's precision says little: it is shown, not ranked. */
export const MIN_FIRINGS = 10;

/** 0: judged; 1: fired, but too few times to judge; 2: never fired in the window. */
export function tierOf(rule: RulePrecision): 0 | 1 | 2 {
  if (rule.firings === 0) return 2;
  return rule.firings < MIN_FIRINGS ? 1 : 0;
}

/**
 * Rules to show: the judged ones by precision, lowest (noisiest) first, then those with too few
 * firings, then those that never fired; ties by more firings, then by name.
 */
export function orderRules(rules: readonly RulePrecision[]): RulePrecision[] {
  return [...rules].sort(
    (a, b) =>
      tierOf(a) - tierOf(b) ||
      (a.precision ?? 0) - (b.precision ?? 0) ||
      b.firings - a.firings ||
      a.rule.localeCompare(b.rule),
  );
}

/** "42% · 21 of 50"; "too few to judge · 2 of 5"; "never fired". */
export function precisionText(rule: RulePrecision): string {
  const sample = `${formatInteger(rule.followed)} of ${formatInteger(rule.firings)}`;
  switch (tierOf(rule)) {
    case 0:
      return `${formatPercent(rule.precision, 0)} · ${sample}`;
    case 1:
      return `too few to judge · ${sample}`;
    default:
      return "never fired";
  }
}

/** The median precision of the judged rules; null when none is. */
export function medianPrecision(rules: readonly RulePrecision[]): number | null {
  const values = rules
    .filter((r) => tierOf(r) === 0 && r.precision !== null)
    .map((r) => r.precision as number)
    .sort((a, b) => a - b);
  if (!values.length) return null;
  const mid = Math.floor(values.length / 2);
  return values.length % 2
    ? (values[mid] as number)
    : ((values[mid - 1] as number) + (values[mid] as number)) / 2;
}

// -- noise controls ---------------------------------------------------------------------------

export const SEVERITIES: readonly { value: Severity; label: string }[] = [
  { value: "low", label: "Low: every account with an alert" },
  { value: "medium", label: "Medium: leave out accounts whose alerts are all low" },
  { value: "high", label: "High: only accounts with a high alert" },
];

/** What the noise controls edit, as typed: a blank rule's days mean "the default". */
export type NoiseDraft = {
  minSeverity: Severity;
  defaultDays: string;
  ruleDays: Record<string, string>;
};

// The server always sends `alerts` (with its defaults); only hand-written bodies lack it.
const NO_ALERTS = { queue_min_severity: "low", snooze_default_days: 7, snooze_days: {} } as const;

export function noiseDraftOf(alerts: AlertThresholds | undefined): NoiseDraft {
  const source = alerts ?? NO_ALERTS;
  return {
    minSeverity: source.queue_min_severity,
    defaultDays: String(source.snooze_default_days),
    ruleDays: Object.fromEntries(
      Object.entries(source.snooze_days ?? {}).map(([rule, days]) => [rule, String(days)]),
    ),
  };
}

/**
 * The rules whose snooze days can be set: every known rule (renewal milestones as configured),
 * then any other rule the config already names.
 */
export function snoozeRules(alerts: AlertThresholds | undefined): string[] {
  const milestones = (alerts?.renewal_days ?? [90, 60, 30]).map((d) => `renewal_${d}`);
  const known = ALERT_RULES.map((r) => r.value).filter(
    (r) => !r.startsWith("renewal_") || milestones.includes(r),
  );
  const extra = [...milestones, ...Object.keys(alerts?.snooze_days ?? {})].filter(
    (r) => !known.includes(r),
  );
  return [...known, ...[...new Set(extra)].sort()];
}

/** Why a number of days is not accepted (whole days from 1 to 365); null when it is. */
export function daysProblem(text: string, allowBlank: boolean): string | null {
  const t = text.trim();
  if (t === "") return allowBlank ? null : "Enter a number of days.";
  if (!/^\d+$/.test(t)) return "Whole days only.";
  const n = Number(t);
  return n >= 1 && n <= 365 ? null : "From 1 to 365 days.";
}

/** Problems by field: "default" for the default days, else the rule's name. */
export function noiseProblems(draft: NoiseDraft): Map<string, string> {
  const out = new Map<string, string>();
  const main = daysProblem(draft.defaultDays, false);
  if (main) out.set("default", main);
  for (const [rule, text] of Object.entries(draft.ruleDays)) {
    const problem = daysProblem(text, true);
    if (problem) out.set(rule, problem);
  }
  return out;
}

/** The draft as the config stores it: rules left blank are not listed (they use the default). */
export function noiseSettings(draft: NoiseDraft) {
  return {
    queue_min_severity: draft.minSeverity,
    snooze_default_days: Number(draft.defaultDays.trim()),
    snooze_days: Object.fromEntries(
      Object.entries(draft.ruleDays)
        .filter(([, text]) => text.trim() !== "")
        .map(([rule, text]) => [rule, Number(text.trim())]),
    ),
  };
}

/** True when the draft stores the same settings as `initial`. */
export function sameNoise(draft: NoiseDraft, initial: NoiseDraft): boolean {
  const a = noiseSettings(draft);
  const b = noiseSettings(initial);
  const rules = new Set([...Object.keys(a.snooze_days), ...Object.keys(b.snooze_days)]);
  return (
    a.queue_min_severity === b.queue_min_severity &&
    a.snooze_default_days === b.snooze_default_days &&
    [...rules].every((r) => a.snooze_days[r] === b.snooze_days[r])
  );
}

/** `body` with the draft's noise controls; every other setting as it was. */
export function withNoise(body: ConfigBody, draft: NoiseDraft): ConfigBody {
  // Absent `alerts` (hand-written bodies only): the server fills in the other thresholds.
  const alerts = { ...(body.alerts ?? {}), ...noiseSettings(draft) } as AlertThresholds;
  return { ...body, alerts };
}
