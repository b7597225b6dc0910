import type { ImportField } from "../../api/client";

/**
 * The mapping editor's model: for each target field of a kind, where its value comes from.
 * On the wire a mapping is `{target_field: source_column}`, where a value starting with `=`
 * is a constant (`"=month"`).
 */
export type FieldSource =
  | { type: "none" }
  | { type: "column"; column: string }
  | { type: "constant"; value: string };

export type MappingState = Record<string, FieldSource>;
export type WireMapping = Record<string, string>;

export const UNMAPPED: FieldSource = Object.freeze({ type: "none" });

/** One wire value → editor value. */
export function parseSource(value: string | null | undefined): FieldSource {
  if (!value) return UNMAPPED;
  if (value.startsWith("=")) return { type: "constant", value: value.slice(1) };
  return { type: "column", column: value };
}

/**
 * Starting mapping for the editor: a preset's mapping as it stands (fields it leaves out
 * stay out, as the server would do), otherwise the server's suggestion, each kept only
 * when it names a column of this file.
 */
export function initialMapping(
  fields: readonly ImportField[],
  {
    columns,
    suggested = {},
    preset,
  }: { columns: readonly string[]; suggested?: WireMapping; preset?: WireMapping | null },
): MappingState {
  const state: MappingState = {};
  for (const field of fields) {
    if (preset) {
      state[field.name] = parseSource(preset[field.name]);
    } else {
      const column = suggested[field.name];
      state[field.name] = column && columns.includes(column) ? parseSource(column) : UNMAPPED;
    }
  }
  return state;
}

export interface MappingIssue {
  field: string;
  /** required: a required field is unmapped; constant: empty constant; column: not in the file. */
  reason: "required" | "constant" | "column";
  message: string;
}

/** Everything that blocks validation, in field order. Empty when the mapping can be sent. */
export function mappingIssues(
  fields: readonly ImportField[],
  mapping: MappingState,
  columns: readonly string[],
): MappingIssue[] {
  const issues: MappingIssue[] = [];
  for (const field of fields) {
    const source = mapping[field.name] ?? UNMAPPED;
    if (source.type === "none") {
      if (field.required) {
        issues.push({
          field: field.name,
          reason: "required",
          message: `${field.name} is required: choose a column or a constant`,
        });
      }
    } else if (source.type === "constant") {
      if (!source.value.trim()) {
        issues.push({
          field: field.name,
          reason: "constant",
          message: `${field.name}: enter the constant value`,
        });
      }
    } else if (!columns.includes(source.column)) {
      issues.push({
        field: field.name,
        reason: "column",
        message: `${field.name}: this file has no column “${source.column}”`,
      });
    }
  }
  return issues;
}

/** The one sentence shown next to the blocked Validate button; "" when nothing blocks. */
export function blockingSummary(issues: readonly MappingIssue[]): string {
  const unmapped = issues.filter((i) => i.reason === "required").map((i) => i.field);
  if (unmapped.length) return `Map every required field before validating: ${unmapped.join(", ")}.`;
  if (issues.length) {
    return `Fix the mapping of ${issues.map((i) => i.field).join(", ")} before validating.`;
  }
  return "";
}

/** Editor state → wire mapping: columns by name, constants as `=value`, unmapped fields left out. */
export function serializeMapping(mapping: MappingState): WireMapping {
  const out: WireMapping = {};
  for (const [field, source] of Object.entries(mapping)) {
    if (source.type === "column") out[field] = source.column;
    else if (source.type === "constant") out[field] = `=${source.value.trim()}`;
  }
  return out;
}

/**
 * Fields a preset maps cannot be set back to "not imported": the server applies the preset's
 * mapping first and the editor's on top, so leaving one out would not remove it. They can
 * still be pointed at another column or a constant.
 */
export function presetFields(preset: WireMapping | null | undefined): ReadonlySet<string> {
  return new Set(Object.keys(preset ?? {}));
}

/** Required fields first, then the rest, each group in the server's order. */
export function orderFields(fields: readonly ImportField[]): ImportField[] {
  return [...fields.filter((f) => f.required), ...fields.filter((f) => !f.required)];
}

/**
 * Columns of the file that nothing imports: not the source of any field, and not read by
 * the preset besides its mapping (`reads`, matched like the server does: case and spacing
 * aside). In the file's order.
 */
export function unmappedColumns(
  columns: readonly string[],
  mapping: WireMapping,
  presetReads: readonly string[] = [],
): string[] {
  const used = new Set(
    Object.values(mapping)
      .filter((source) => !source.startsWith("="))
      .map(columnKey),
  );
  for (const name of presetReads) used.add(columnKey(name));
  return columns.filter((column) => !used.has(columnKey(column)));
}

function columnKey(name: string): string {
  return name.trim().split(/\s+/).join(" ").toLowerCase();
}

/**
 * Value mapping: per field, what a source value becomes. A string is the target value,
 * `null` leaves the field empty for that value. On the wire it is
 * `{field: {source value: target}}`, matched case-insensitively; the server applies the
 * preset's value mapping first and this one over it.
 */
export type ValueTarget = string | null;
export type ValueState = Record<string, Record<string, ValueTarget>>;
type PresetValues = Record<string, Record<string, unknown>>;

/** How the server compares source values: trimmed, inner spaces collapsed, case-folded. */
export function valueKey(text: string): string {
  return text.trim().split(/\s+/).join(" ").toLowerCase();
}

function asTarget(value: unknown): ValueTarget | undefined {
  if (value === null) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

/** The preset's value mapping as editor state (targets as text). */
export function initialValues(preset: PresetValues | null | undefined): ValueState {
  const state: ValueState = {};
  for (const [field, table] of Object.entries(preset ?? {})) {
    const entries: Record<string, ValueTarget> = {};
    for (const [source, value] of Object.entries(table)) {
      const target = asTarget(value);
      if (target !== undefined) entries[source] = target;
    }
    state[field] = entries;
  }
  return state;
}

/** What `source` of `field` is mapped to: undefined when it is read as it is. */
export function valueFor(
  state: ValueState,
  field: string,
  source: string,
): ValueTarget | undefined {
  const table = state[field] ?? {};
  const key = valueKey(source);
  const found = Object.keys(table).find((k) => valueKey(k) === key);
  if (found === undefined) return undefined;
  const target = table[found];
  // Mapped to itself: read as it is (it undoes a preset's mapping of the value).
  return target !== null && target !== undefined && valueKey(target) === key ? undefined : target;
}

/**
 * Map `source` to `target` (undefined: read it as it is). Undoing a mapping the preset
 * makes sends the value to itself, since the server applies the preset's mapping first.
 */
export function setValue(
  state: ValueState,
  field: string,
  source: string,
  target: ValueTarget | undefined,
  preset: PresetValues | null | undefined,
): ValueState {
  const key = valueKey(source);
  const table = Object.fromEntries(
    Object.entries(state[field] ?? {}).filter(([k]) => valueKey(k) !== key),
  );
  const presetMaps = Object.keys(preset?.[field] ?? {}).some((k) => valueKey(k) === key);
  if (target !== undefined) table[source] = target;
  else if (presetMaps) table[source] = source;
  return { ...state, [field]: table };
}

/** How many values of `field` the editor maps (not counting values read as they are). */
export function mappedValueCount(state: ValueState, field: string): number {
  return Object.keys(state[field] ?? {}).filter(
    (source) => valueFor(state, field, source) !== undefined,
  ).length;
}

/** Editor state → wire value mapping (targets trimmed; empty ones dropped, fields without entries left out). */
export function serializeValues(state: ValueState): Record<string, Record<string, ValueTarget>> {
  const out: Record<string, Record<string, ValueTarget>> = {};
  for (const [field, table] of Object.entries(state)) {
    const entries: Record<string, ValueTarget> = {};
    for (const [source, target] of Object.entries(table)) {
      if (target === null) entries[source] = null;
      else if (target.trim()) entries[source] = target.trim();
    }
    if (Object.keys(entries).length) out[field] = entries;
  }
  return out;
}
