import { useId, useState } from "react";
import type { ImportField } from "../../api/client";
import { mappedValueCount, type ValueState, type ValueTarget, valueFor } from "./mapping";

const AS_READ = "";
const LEAVE_EMPTY = "\u0000empty";

/**
 * Fields whose values are worth translating: the ones with a short list of accepted values
 * (statuses, roles, booleans, CSAT...) and optional text fields (plan, segment, industry...).
 */
export function valueMappable(field: ImportField): boolean {
  return Boolean(field.choices?.length) || (!field.required && field.type === "text");
}

function ChoiceTarget({
  label,
  choices,
  target,
  onChange,
}: {
  label: string;
  choices: string[];
  target: ValueTarget | undefined;
  onChange: (target: ValueTarget | undefined) => void;
}) {
  const value = target === undefined ? AS_READ : target === null ? LEAVE_EMPTY : target;
  const extra = typeof target === "string" && !choices.includes(target) ? [target] : [];
  return (
    <select
      className="select"
      aria-label={label}
      value={value}
      onChange={(e) => {
        const next = e.target.value;
        onChange(next === AS_READ ? undefined : next === LEAVE_EMPTY ? null : next);
      }}
    >
      <option value={AS_READ}>As Tempo reads it</option>
      {[...extra, ...choices].map((choice) => (
        <option key={choice} value={choice}>
          {choice}
        </option>
      ))}
      <option value={LEAVE_EMPTY}>Leave empty</option>
    </select>
  );
}

function TextTarget({
  label,
  target,
  onChange,
}: {
  label: string;
  target: ValueTarget | undefined;
  onChange: (target: ValueTarget | undefined) => void;
}) {
  return (
    <input
      className="input"
      aria-label={label}
      value={target ?? ""}
      placeholder={target === null ? "(left empty)" : "As it is"}
      onChange={(e) => onChange(e.target.value ? e.target.value : undefined)}
    />
  );
}

/**
 * The different values of the field's column (as the preview found them) and what each
 * becomes in Tempo: as Tempo reads it (its built-in reading, e.g. "On-hold" → pending), one
 * of the field's accepted values, or empty.
 */
export function ValueMapping({
  field,
  sources,
  state,
  onChange,
}: {
  field: ImportField;
  sources: string[];
  state: ValueState;
  onChange: (source: string, target: ValueTarget | undefined) => void;
}) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const mapped = mappedValueCount(state, field.name);
  return (
    <div>
      <button
        type="button"
        className="btn btn-ghost btn-sm"
        aria-expanded={open}
        aria-controls={`${id}-values`}
        onClick={() => setOpen((prev) => !prev)}
      >
        {open ? "Hide values" : `Map values (${sources.length})`}
        {mapped ? ` · ${mapped} mapped` : ""}
      </button>
      {open ? (
        <table className="table" id={`${id}-values`} aria-label={`Values of ${field.name}`}>
          <thead>
            <tr>
              <th scope="col">In the file</th>
              <th scope="col">Becomes</th>
            </tr>
          </thead>
          <tbody>
            {sources.map((source) => {
              const label = `${field.name} for “${source}”`;
              const target = valueFor(state, field.name, source);
              return (
                <tr key={source} data-testid="value-row">
                  <td className="mono">{source}</td>
                  <td>
                    {field.choices?.length ? (
                      <ChoiceTarget
                        label={label}
                        choices={field.choices}
                        target={target}
                        onChange={(next) => onChange(source, next)}
                      />
                    ) : (
                      <TextTarget
                        label={label}
                        target={target}
                        onChange={(next) => onChange(source, next)}
                      />
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
