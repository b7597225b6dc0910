import { useId } from "react";
import type { ImportField, ImportPreview } from "../../api/client";
import { Pill } from "../../ui/Pill";
import {
  type FieldSource,
  type MappingIssue,
  type MappingState,
  UNMAPPED,
  type ValueState,
  type ValueTarget,
} from "./mapping";
import { cellText } from "./PreviewCard";
import { ValueMapping, valueMappable } from "./ValueMapping";

const CONSTANT = "=";
const COLUMN = "c:";

function selectValue(source: FieldSource): string {
  if (source.type === "column") return `${COLUMN}${source.column}`;
  if (source.type === "constant") return CONSTANT;
  return "";
}

function fromSelect(value: string, previous: FieldSource): FieldSource {
  if (value.startsWith(COLUMN)) return { type: "column", column: value.slice(COLUMN.length) };
  if (value === CONSTANT) {
    return previous.type === "constant" ? previous : { type: "constant", value: "" };
  }
  return UNMAPPED;
}

function FieldRow({
  field,
  source,
  columns,
  firstRow,
  issue,
  fromPreset,
  onChange,
  distinctValues,
  values,
  onValue,
}: {
  fromPreset: boolean;
  field: ImportField;
  source: FieldSource;
  columns: string[];
  firstRow: Record<string, unknown> | undefined;
  issue: MappingIssue | undefined;
  onChange: (source: FieldSource) => void;
  distinctValues: Record<string, string[]>;
  values: ValueState;
  onValue: (source: string, target: ValueTarget | undefined) => void;
}) {
  const id = useId();
  const missingColumn = source.type === "column" && !columns.includes(source.column);
  const sources =
    source.type === "column" && !missingColumn && valueMappable(field)
      ? distinctValues[source.column]
      : undefined;
  const example =
    source.type === "column" && firstRow && !missingColumn ? cellText(firstRow[source.column]) : "";
  return (
    <tr data-testid="mapping-row">
      <th scope="row" className="mapping-field">
        <label htmlFor={`${id}-source`} className="mono">
          {field.name}
        </label>
        {field.required ? (
          <span className="required" title="Required">
            {" "}
            *<span className="visually-hidden">(required)</span>
          </span>
        ) : null}
        {field.description ? (
          <div className="field-hint" data-testid="field-hint">
            {field.description}
          </div>
        ) : null}
      </th>
      <td>
        <div className="mapping-source">
          <select
            id={`${id}-source`}
            className="select"
            value={selectValue(source)}
            aria-invalid={issue ? true : undefined}
            aria-describedby={issue ? `${id}-issue` : undefined}
            onChange={(e) => onChange(fromSelect(e.target.value, source))}
          >
            {fromPreset ? null : (
              <option value="">{field.required ? "Choose a column…" : "Not imported"}</option>
            )}
            {missingColumn ? (
              <option value={selectValue(source)}>{source.column} (not in this file)</option>
            ) : null}
            {columns.map((column) => (
              <option key={column} value={`${COLUMN}${column}`}>
                {column}
              </option>
            ))}
            <option value={CONSTANT}>Constant value…</option>
          </select>
          {source.type === "constant" ? (
            <input
              className="input"
              aria-label={`Constant value for ${field.name}`}
              placeholder="Same value for every row"
              value={source.value}
              onChange={(e) => onChange({ type: "constant", value: e.target.value })}
            />
          ) : null}
        </div>
        {fromPreset ? (
          <div className="field-hint">Set by the preset; you can pick another column.</div>
        ) : null}
        {sources?.length ? (
          <ValueMapping field={field} sources={sources} state={values} onChange={onValue} />
        ) : null}
        {issue ? (
          <div id={`${id}-issue`} className="field-error">
            {issue.message}
          </div>
        ) : null}
      </td>
      <td className="muted preview-cell">{example}</td>
    </tr>
  );
}

/** Columns that no field takes, so nobody wonders where a column went. */
function UnmappedColumns({ columns }: { columns: string[] }) {
  return (
    <div className="card-body" data-testid="unmapped-columns">
      {columns.length ? (
        <>
          <p className="field-hint">
            Not imported ({columns.length}): no field takes{" "}
            {columns.length === 1 ? "this column" : "these columns"}.
          </p>
          <div className="column-list">
            {columns.map((column) => (
              <Pill key={column}>{column}</Pill>
            ))}
          </div>
        </>
      ) : (
        <p className="field-hint">Every column of the file is imported.</p>
      )}
    </div>
  );
}

/**
 * For each target field of the kind: which column (or constant) fills it, and for fields
 * with few values, what each value of the column becomes. Then the columns left out.
 */
export function MappingEditor({
  fields,
  preview,
  mapping,
  issues,
  locked,
  onChange,
  values,
  onValue,
  unmapped,
}: {
  locked: ReadonlySet<string>;
  fields: ImportField[];
  preview: ImportPreview;
  mapping: MappingState;
  issues: MappingIssue[];
  onChange: (field: string, source: FieldSource) => void;
  values: ValueState;
  onValue: (field: string, source: string, target: ValueTarget | undefined) => void;
  unmapped: string[];
}) {
  return (
    <section className="card table-card" aria-labelledby="mapping-title">
      <div className="card-header">
        <h2 id="mapping-title">Map columns</h2>
        <span className="muted">
          <span className="required">*</span> required
        </span>
      </div>
      <div className="table-scroll">
        <table className="table mapping-table">
          <thead>
            <tr>
              <th scope="col">Tempo field</th>
              <th scope="col">From</th>
              <th scope="col">First row</th>
            </tr>
          </thead>
          <tbody>
            {fields.map((field) => (
              <FieldRow
                key={field.name}
                field={field}
                source={mapping[field.name] ?? UNMAPPED}
                columns={preview.columns}
                firstRow={preview.sample[0]}
                issue={issues.find((i) => i.field === field.name)}
                fromPreset={locked.has(field.name)}
                onChange={(source) => onChange(field.name, source)}
                distinctValues={preview.distinct_values ?? {}}
                values={values}
                onValue={(source, target) => onValue(field.name, source, target)}
              />
            ))}
          </tbody>
        </table>
      </div>
      <UnmappedColumns columns={unmapped} />
    </section>
  );
}
