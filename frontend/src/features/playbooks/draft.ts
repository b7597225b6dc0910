import { ApiError } from "../../api/errors";
import type { Band, Playbook, PlaybookDefinition, PlaybookUpdate, TriggerType } from "./queries";
import { DEFAULT_TRIGGER_VALUE, isListTrigger, orderBands, splitValues } from "./triggers";

/** One step being edited; `uid` keeps its row (and focus) stable while steps are reordered. */
export interface StepDraft {
  uid: number;
  title: string;
  /** As typed: whole days after the start, 0–365. */
  due: string;
  assignee_role: string;
}

/** The editor's working copy of a play: strings as typed, turned into a definition to send. */
export interface Draft {
  name: string;
  description: string;
  trigger_type: TriggerType;
  /** Alert rules and renewal milestones: one or more, comma-separated ("60,30"). */
  trigger_value: string;
  /** The health bands the play fires on; none: any band. */
  trigger_bands: Band[];
  steps: StepDraft[];
  email_subject_template: string;
  email_body_template: string;
  is_active: boolean;
}

export const MAX_STEPS = 30;
export const MAX_DUE_DAYS = 365;

let uidCounter = 0;
export function nextUid(): number {
  uidCounter += 1;
  return uidCounter;
}

export function newStep(): StepDraft {
  return { uid: nextUid(), title: "", due: "0", assignee_role: "owner" };
}

export function fromPlaybook(playbook: Playbook): Draft {
  return {
    name: playbook.name,
    description: playbook.description ?? "",
    trigger_type: playbook.trigger_type,
    trigger_value: playbook.trigger_value ?? "",
    trigger_bands: [...(playbook.trigger_bands ?? [])],
    steps: playbook.steps.map((s) => ({
      uid: nextUid(),
      title: s.title,
      due: String(s.due_offset_days),
      assignee_role: s.assignee_role,
    })),
    email_subject_template: playbook.email_subject_template ?? "",
    email_body_template: playbook.email_body_template ?? "",
    is_active: playbook.is_active,
  };
}

/** A new play starts manual, with one step and a greeting to write the email in. */
export function blankDraft(): Draft {
  return {
    name: "",
    description: "",
    trigger_type: "manual",
    trigger_value: DEFAULT_TRIGGER_VALUE.manual,
    trigger_bands: [],
    steps: [{ ...newStep(), title: "Call {{ contact.name }}", due: "2" }],
    email_subject_template: "",
    email_body_template: "Hi {{ contact.first_name }},\n\n\n\nBest,\n{{ csm.name }}",
    is_active: true,
  };
}

function parseDays(due: string): number {
  const t = due.trim();
  return /^\d+$/.test(t) ? Number(t) : Number.NaN;
}

/** The trigger's value as sent: lists without blanks ("60, 30" → "60,30"), none for manual. */
function triggerValueOf(type: TriggerType, value: string): string | null {
  if (type === "manual") return null;
  if (isListTrigger(type)) return splitValues(value).join(",") || null;
  return value.trim() || null;
}

/**
 * What is sent: blank optional texts are null; a manual trigger has no value and no bands
 * (nothing fires it, so they would mean nothing).
 */
export function toDefinition(draft: Draft): PlaybookDefinition {
  return {
    name: draft.name.trim(),
    description: draft.description.trim() || null,
    trigger_type: draft.trigger_type,
    trigger_value: triggerValueOf(draft.trigger_type, draft.trigger_value),
    trigger_bands: draft.trigger_type === "manual" ? [] : orderBands(draft.trigger_bands),
    steps: draft.steps.map((s) => ({
      title: s.title.trim(),
      due_offset_days: parseDays(s.due),
      assignee_role: s.assignee_role,
    })),
    email_subject_template: draft.email_subject_template.trim()
      ? draft.email_subject_template
      : null,
    email_body_template: draft.email_body_template.trim() ? draft.email_body_template : null,
    is_active: draft.is_active,
  };
}

export function definitionOf(playbook: Playbook): PlaybookDefinition {
  return toDefinition(fromPlaybook(playbook));
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function sameDefinition(a: PlaybookDefinition, b: PlaybookDefinition): boolean {
  return same(a, b);
}

const FIELDS = [
  "name",
  "description",
  "trigger_type",
  "trigger_value",
  "trigger_bands",
  "steps",
  "email_subject_template",
  "email_body_template",
  "is_active",
] as const satisfies readonly (keyof PlaybookDefinition & keyof PlaybookUpdate)[];

/** The PATCH body: only the fields whose value differs from the saved play. */
export function changedFields(saved: Playbook, next: PlaybookDefinition): PlaybookUpdate {
  const before = definitionOf(saved);
  const out: Record<string, unknown> = {};
  for (const field of FIELDS) {
    if (!same(before[field], next[field])) out[field] = next[field];
  }
  return out as PlaybookUpdate;
}

/** Field path ("name", "steps.0.title", "email_body_template") → messages. "" is the whole play. */
export type FieldErrors = Map<string, string[]>;

function add(errors: FieldErrors, path: string, message: string) {
  errors.set(path, [...(errors.get(path) ?? []), message]);
}

/** Problems the editor can see without asking the server. */
export function localErrors(draft: Draft): FieldErrors {
  const errors: FieldErrors = new Map();
  if (!draft.name.trim()) add(errors, "name", "Give the play a name.");
  if (draft.trigger_type === "alert_rule" && !splitValues(draft.trigger_value).length) {
    add(errors, "trigger_value", "Tick at least one alert rule.");
  } else if (
    draft.trigger_type === "renewal_milestone" &&
    !splitValues(draft.trigger_value).length
  ) {
    add(errors, "trigger_value", "Tick at least one milestone.");
  } else if (draft.trigger_type !== "manual" && !draft.trigger_value.trim()) {
    add(errors, "trigger_value", "Pick what starts the play.");
  }
  draft.steps.forEach((step, i) => {
    if (!step.title.trim()) add(errors, `steps.${i}.title`, "Give the step a title.");
    const days = parseDays(step.due);
    if (!(days >= 0 && days <= MAX_DUE_DAYS)) {
      add(errors, `steps.${i}.due_offset_days`, `Whole days, 0 to ${MAX_DUE_DAYS}.`);
    }
  });
  return errors;
}

/**
 * A 422 problem's field errors keyed by their path in the definition:
 * ["body", "email_body_template"] and ["body", "definition", "steps", 0, "title"] (the
 * preview's wrapper) → "email_body_template", "steps.0.title".
 */
export function fieldErrorsOf(error: unknown): FieldErrors {
  const out: FieldErrors = new Map();
  if (!(error instanceof ApiError) || error.status !== 422) return out;
  for (const e of error.problem?.errors ?? []) {
    const loc = [...(e.loc ?? [])];
    if (loc[0] === "body") loc.shift();
    if (loc[0] === "definition") loc.shift();
    // One band wrong ("trigger_bands.1") is the bands' group error.
    if (loc[0] === "trigger_bands") loc.splice(1);
    add(out, loc.join("."), (e.msg ?? "Invalid value").replace(/^Value error, /, ""));
  }
  return out;
}

const PATH_LABELS: Record<string, string> = {
  "": "Playbook",
  name: "Name",
  key: "Key",
  description: "Description",
  trigger_type: "Trigger",
  trigger_value: "Trigger",
  trigger_bands: "Health bands",
  steps: "Steps",
  email_subject_template: "Email subject",
  email_body_template: "Email body",
  is_active: "Active",
};

const STEP_FIELDS: Record<string, string> = {
  title: "title",
  due_offset_days: "due days",
  assignee_role: "assignee",
};

/** "steps.1.title" → "Step 2 title"; "email_body_template" → "Email body". */
export function describePath(path: string): string {
  const step = /^steps\.(\d+)(?:\.(\w+))?$/.exec(path);
  if (step) {
    const n = Number(step[1]) + 1;
    return step[2] ? `Step ${n} ${STEP_FIELDS[step[2]] ?? step[2]}` : `Step ${n}`;
  }
  return PATH_LABELS[path] ?? path;
}

const KEY_MAX = 80;

/** "Churn-risk call (EMEA)" → "churn-risk-call-emea": the key a new play gets from its name. */
export function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+/, "")
    .slice(0, KEY_MAX)
    .replace(/-+$/, "");
  if (!slug) return "";
  // Keys have at least two characters.
  return slug.length < 2 ? `play-${slug}` : slug;
}

/** The slug, made unique among `taken` keys with a "-2", "-3"… suffix. */
export function uniqueKey(name: string, taken: ReadonlySet<string>): string {
  const base = slugify(name);
  if (!base || !taken.has(base)) return base;
  for (let n = 2; ; n += 1) {
    const suffix = `-${n}`;
    const key = `${base.slice(0, KEY_MAX - suffix.length).replace(/-+$/, "")}${suffix}`;
    if (!taken.has(key)) return key;
  }
}
