import { ApiError } from "../../api/errors";
import type { ComponentDefinition, ConfigBody, CurvePoint } from "./queries";

/**
 * The editor's working copy of a config body. Numbers the user left blank or mistyped are
 * kept as NaN (sent as null, which the server rejects at the right field).
 */
export type Draft = ConfigBody;

export function cloneBody(body: ConfigBody): Draft {
  return structuredClone(body);
}

/** Copy, apply `recipe` to the copy, return it (small bodies: a deep copy per edit is fine). */
export function edit(draft: Draft, recipe: (copy: Draft) => void): Draft {
  const copy = structuredClone(draft);
  recipe(copy);
  return copy;
}

/** True when some number in the draft is NaN (a blank or invalid field). */
export function hasInvalidNumbers(value: unknown): boolean {
  if (typeof value === "number") return Number.isNaN(value);
  if (Array.isArray(value)) return value.some(hasInvalidNumbers);
  if (value && typeof value === "object") return Object.values(value).some(hasInvalidNumbers);
  return false;
}

/** First problem with a curve's shape, checked before the server does. */
export function curveProblem(curve: CurvePoint[], maxScore: number): string | null {
  if (!curve.length) return "Add at least one point.";
  if (curve.length > MAX_CURVE_POINTS) return `At most ${MAX_CURVE_POINTS} points.`;
  if (curve.some(([x, y]) => !Number.isFinite(x) || !Number.isFinite(y))) {
    return "Every point needs two numbers.";
  }
  for (let i = 1; i < curve.length; i += 1) {
    const prev = curve[i - 1];
    const point = curve[i];
    if (prev && point && !(point[0] > prev[0])) {
      return "Raw values must increase from one point to the next.";
    }
  }
  if (curve.some(([, y]) => y < 0 || y > maxScore)) {
    return `${maxScore === 1 ? "Probabilities" : "Scores"} must be between 0 and ${maxScore}.`;
  }
  return null;
}

export const MAX_CURVE_POINTS = 20;

/** Something in the draft the server would refuse: where (a config body path) and why. */
export interface DraftProblem {
  path: string;
  message: string;
}

function range(value: number | null | undefined, low: number, high: number): string | null {
  if (value === null || value === undefined) return null;
  if (!Number.isFinite(value)) return "Enter a number.";
  if (value < low || value > high) return `Must be between ${low} and ${high}.`;
  return null;
}

/**
 * Every reason the server would refuse the draft, in the order the form shows the fields; the
 * same rules as `ScoringConfigBody` (backend/app/scoring/config.py): weights and scores 0–100,
 * at least one component weighing more than 0, the usage component present, curves of 1 to
 * 20 points with raw values strictly increasing, quadrant cutoffs 0–100 and hysteresis 0–50,
 * bands 0–100 with "watch" not above "healthy", the health axis naming configured components,
 * and churn probabilities 0–1 over strictly increasing health scores.
 */
export function draftProblems(draft: Draft): DraftProblem[] {
  const out: DraftProblem[] = [];
  const add = (path: string, message: string | null) => {
    if (message) out.push({ path, message });
  };
  const components = Object.entries(draft.components);
  for (const [name, component] of components) {
    const path = `components.${name}`;
    add(`${path}.weight`, range(component.weight, 0, 100));
    for (const [metric, config] of Object.entries(component.metrics)) {
      const at = `${path}.metrics.${metric}`;
      add(`${at}.weight`, range(config.weight, 0, 100));
      add(`${at}.missing`, range(config.missing, 0, 100));
      add(`${at}.curve`, curveProblem(config.curve as CurvePoint[], 100));
    }
  }
  if (!components.some(([, c]) => Number.isFinite(c.weight) && c.weight > 0)) {
    add("components", "At least one component needs a weight above 0.");
  }
  if (!("usage" in draft.components)) {
    add("components", "The usage component is required: it is the quadrant's usage axis.");
  }
  const quadrant = draft.quadrant;
  if (quadrant) {
    add("quadrant.usage_cutoff", range(quadrant.usage_cutoff, 0, 100));
    add("quadrant.health_cutoff", range(quadrant.health_cutoff, 0, 100));
    add("quadrant.hysteresis", range(quadrant.hysteresis, 0, 50));
  }
  const bands = draft.bands;
  if (bands) {
    const healthy = range(bands.healthy, 0, 100);
    const watch = range(bands.watch, 0, 100);
    add("bands.healthy", healthy);
    add("bands.watch", watch);
    if (!healthy && !watch && bands.watch > bands.healthy) {
      add("bands", "“Watch from” must not be above “healthy from”.");
    }
  }
  for (const name of draft.health_axis ?? []) {
    if (!(name in draft.components)) {
      add("health_axis", `The health axis names ${name}, which is not a configured component.`);
    }
  }
  add("churn_probability", curveProblem((draft.churn_probability ?? []) as CurvePoint[], 1));
  if (!out.length && hasInvalidNumbers(draft)) add("", "Some numbers are blank or not numbers.");
  return out;
}

/** The problems as field errors (path → messages), to mark the fields they are about. */
export function problemErrors(problems: DraftProblem[]): FieldErrors {
  const out: FieldErrors = new Map();
  for (const p of problems) out.set(p.path, [...(out.get(p.path) ?? []), p.message]);
  return out;
}

/** A new breakpoint after the last: one unit further, same score. */
export function nextPoint(curve: CurvePoint[]): CurvePoint {
  const last = curve[curve.length - 1];
  if (!last) return [0, 0];
  const prev = curve[curve.length - 2];
  const step = prev && last[0] > prev[0] ? last[0] - prev[0] : 1;
  return [Number((last[0] + step).toPrecision(12)), last[1]];
}

/** "0→0 · 5→40 · 10→70" */
export function curveSummary(curve: CurvePoint[]): string {
  return curve.map(([x, y]) => `${fmt(x)}→${fmt(y)}`).join(" · ");
}

function fmt(n: number): string {
  return Number.isNaN(n) ? "?" : String(Number(n.toPrecision(6)));
}

export type FieldErrors = Map<string, string[]>;

/**
 * A 422 problem's field errors keyed by their path inside the config body:
 * loc ["body", "body", "components", "usage", "weight"] → "components.usage.weight".
 * Errors about the body as a whole are keyed "".
 */
export function fieldErrorsOf(error: unknown): FieldErrors {
  const out: FieldErrors = new Map();
  if (!(error instanceof ApiError) || error.status !== 422) return out;
  for (const e of error.problem?.errors ?? []) {
    const loc = [...(e.loc ?? [])];
    // Request-body prefix ("body") and the payload's own `body` field.
    let strip = 0;
    while (strip < 2 && loc[0] === "body") {
      loc.shift();
      strip += 1;
    }
    const path = loc.join(".");
    const msg = (e.msg ?? "Invalid value").replace(/^Value error, /, "");
    out.set(path, [...(out.get(path) ?? []), msg]);
  }
  return out;
}

const SECTION_LABELS: Record<string, string> = {
  quadrant: "Quadrant cutoffs",
  bands: "Health bands",
  health_axis: "Health axis",
  churn_probability: "Churn probability curve",
  components: "Components",
};

const FIELD_LABELS: Record<string, string> = {
  usage_cutoff: "usage cutoff",
  health_cutoff: "health cutoff",
  hysteresis: "hysteresis",
  healthy: "healthy from",
  watch: "watch from",
};

/** "components.usage.metrics.login_frequency.curve.1.0" → "Logins per seat curve, point 2". */
export function describePath(path: string, definitions: ComponentDefinition[]): string {
  if (!path) return "Config";
  const parts = path.split(".");
  const [head, name, kind, metric, field, point] = parts;
  if (head === "components" && name) {
    const component = definitions.find((d) => d.name === name);
    const componentLabel = component?.label ?? name;
    if (kind === "weight") return `${componentLabel} weight`;
    if (kind === "metrics" && metric) {
      const label = component?.metrics.find((m) => m.name === metric)?.label ?? metric;
      if (field === "curve") {
        return point === undefined
          ? `${label} curve`
          : `${label} curve, point ${Number(point) + 1}`;
      }
      if (field === "missing") return `${label} score if missing`;
      if (field) return `${label} ${field}`;
      return label;
    }
    return componentLabel;
  }
  const section = SECTION_LABELS[head ?? ""] ?? path;
  return name ? `${section}: ${FIELD_LABELS[name] ?? name}` : section;
}
