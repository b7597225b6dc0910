import { useEffect, useId, useMemo, useState } from "react";
import {
  addTerm,
  describeTerm,
  type FieldInfo,
  type FilterOp,
  parseFilter,
  removeTermAt,
  renewalScopeNote,
  splitFilter,
} from "./filterTerms";
import type { BookFields } from "./queries";

const OP_LABELS: Record<string, string> = {
  "=": "is",
  "!=": "is not",
  "<": "less than",
  "<=": "at most",
  ">": "more than",
  ">=": "at least",
};

/** Placeholder for a value by field kind: what the server's language accepts. */
const PLACEHOLDERS: Record<string, string> = {
  money: "50k",
  ratio: "70%",
  number: "60",
  count: "1",
  days_until: "60",
  days_since: "90",
  days: "30",
  text: "value",
  tag: "tag",
};

function AddFilter({
  fields,
  owners,
  onAdd,
  onCancel,
}: {
  fields: FieldInfo[];
  owners: BookFields["owners"];
  onAdd: (field: string, op: FilterOp, value: string) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [name, setName] = useState(fields[0]?.name ?? "");
  const field = fields.find((f) => f.name === name);
  const [op, setOp] = useState<FilterOp>("=");
  const [value, setValue] = useState("");
  const chooseField = (next: string) => {
    const nextField = fields.find((f) => f.name === next);
    setName(next);
    setValue("");
    if (nextField && !nextField.ops.includes(op)) setOp(nextField.ops[0] as FilterOp);
  };
  if (!field) return null;
  const choices: { value: string; label: string }[] =
    field.kind === "owner"
      ? [
          { value: "me", label: "me" },
          { value: "none", label: "nobody" },
          ...owners.map((o) => ({ value: o.email, label: o.name || o.email })),
        ]
      : field.choices.map((c) => ({ value: c, label: c.replace(/_/g, " ") }));
  return (
    <form
      className="add-filter"
      aria-label="Add a filter"
      onSubmit={(e) => {
        e.preventDefault();
        if (value.trim()) onAdd(field.name, op, value.trim());
      }}
    >
      <label className="visually-hidden" htmlFor={`${id}-field`}>
        Field
      </label>
      <select
        id={`${id}-field`}
        className="select select-sm"
        value={name}
        onChange={(e) => chooseField(e.target.value)}
      >
        {fields.map((f) => (
          <option key={f.name} value={f.name}>
            {f.label}
          </option>
        ))}
      </select>
      <label className="visually-hidden" htmlFor={`${id}-op`}>
        Operator
      </label>
      <select
        id={`${id}-op`}
        className="select select-sm"
        value={op}
        onChange={(e) => setOp(e.target.value as FilterOp)}
      >
        {field.ops.map((o) => (
          <option key={o} value={o}>
            {OP_LABELS[o] ?? o}
          </option>
        ))}
      </select>
      <label className="visually-hidden" htmlFor={`${id}-value`}>
        Value
      </label>
      {choices.length > 0 && (op === "=" || op === "!=") ? (
        <select
          id={`${id}-value`}
          className="select select-sm"
          value={value}
          onChange={(e) => setValue(e.target.value)}
        >
          <option value="">Choose…</option>
          {choices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
          {field.kind !== "owner" && field.kind !== "alert" && field.name !== "status" ? (
            <option value="none">(none)</option>
          ) : null}
        </select>
      ) : (
        <input
          id={`${id}-value`}
          className="input input-sm"
          value={value}
          placeholder={PLACEHOLDERS[field.kind] ?? "value"}
          onChange={(e) => setValue(e.target.value)}
        />
      )}
      <button type="submit" className="btn btn-sm btn-primary" disabled={!value.trim()}>
        Add
      </button>
      <button type="button" className="btn btn-sm btn-ghost" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}

/**
 * The book's filter as chips, one per term, with "Add filter" and "Edit as text".
 * `errorIndex` marks the term the server refused.
 */
export function FilterBar({
  filter,
  fields,
  error,
  errorIndex,
  onChange,
}: {
  filter: string;
  fields: BookFields | undefined;
  error: string | null;
  errorIndex: number | null;
  onChange: (filter: string) => void;
}) {
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(filter);
  useEffect(() => setDraft(filter), [filter]);
  const byName = useMemo(
    () => new Map((fields?.fields ?? []).map((f) => [f.name, f as FieldInfo])),
    [fields],
  );
  const raws = splitFilter(filter);
  const terms = parseFilter(filter);
  const note = renewalScopeNote(terms);

  return (
    <div className="filter-bar">
      <ul className="chips" aria-label="Filters">
        {terms.map((term, i) => {
          const label = term ? describeTerm(term, byName.get(term.field)) : (raws[i] ?? "");
          return (
            <li
              // biome-ignore lint/suspicious/noArrayIndexKey: terms are positional
              key={`${i}-${raws[i]}`}
              className={i === errorIndex ? "chip chip-error" : "chip"}
              title={raws[i]}
              data-testid="filter-chip"
            >
              {label}
              <button
                type="button"
                className="chip-remove"
                aria-label={`Remove filter: ${label}`}
                onClick={() => onChange(removeTermAt(filter, i))}
              >
                ×
              </button>
            </li>
          );
        })}
      </ul>
      {adding && fields ? (
        <AddFilter
          fields={fields.fields as FieldInfo[]}
          owners={fields.owners}
          onCancel={() => setAdding(false)}
          onAdd={(field, op, value) => {
            onChange(addTerm(filter, { field, op, value }));
            setAdding(false);
          }}
        />
      ) : (
        <button
          type="button"
          className="btn btn-sm"
          onClick={() => setAdding(true)}
          disabled={!fields}
        >
          + Add filter
        </button>
      )}
      <button
        type="button"
        className="btn btn-sm btn-ghost"
        aria-expanded={editing}
        onClick={() => setEditing((v) => !v)}
      >
        {editing ? "Hide text" : "Edit as text"}
      </button>
      {editing ? (
        <form
          className="filter-text"
          onSubmit={(e) => {
            e.preventDefault();
            onChange(draft.trim());
          }}
        >
          <label className="visually-hidden" htmlFor="book-filter-text">
            Filter
          </label>
          <input
            id="book-filter-text"
            className="input input-sm mono"
            value={draft}
            spellCheck={false}
            placeholder="renewal_in<=60 band=at_risk qbr>90 owner=me"
            onChange={(e) => setDraft(e.target.value)}
          />
          <button type="submit" className="btn btn-sm">
            Apply
          </button>
        </form>
      ) : null}
      {note ? (
        <p className="muted small filter-note" data-testid="filter-note">
          {note}
        </p>
      ) : null}
      {error ? (
        <p className="field-error filter-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
