import { createContext, type ReactNode, useContext, useId, useState } from "react";
import type { FieldErrors } from "./draft";

const FieldErrorsContext = createContext<FieldErrors>(new Map());

export function FieldErrorsProvider({
  errors,
  children,
}: {
  errors: FieldErrors;
  children: ReactNode;
}) {
  return <FieldErrorsContext.Provider value={errors}>{children}</FieldErrorsContext.Provider>;
}

/** Server messages for `path`; with `nested`, also for every field below it. */
export function useFieldErrors(path: string, nested = false): string[] {
  const errors = useContext(FieldErrorsContext);
  const out = [...(errors.get(path) ?? [])];
  if (nested) {
    for (const [key, messages] of errors) {
      if (key.startsWith(`${path}.`)) out.push(...messages);
    }
  }
  return out;
}

/** The server's errors for a group of fields (e.g. "bands": watch above healthy). */
export function GroupError({ path, nested = false }: { path: string; nested?: boolean }) {
  const messages = useFieldErrors(path, nested);
  if (!messages.length) return null;
  return (
    <p className="field-error" role="alert" data-field={path}>
      {messages.join(" ")}
    </p>
  );
}

function toText(value: number | null): string {
  return value === null || Number.isNaN(value) ? "" : String(value);
}

function parse(text: string, allowEmpty: boolean): number | null {
  const t = text.trim();
  if (t === "") return allowEmpty ? null : Number.NaN;
  const n = Number(t);
  return Number.isFinite(n) ? n : Number.NaN;
}

function same(a: number | null, b: number | null): boolean {
  return a === b || (a !== null && b !== null && Number.isNaN(a) && Number.isNaN(b));
}

/**
 * A number input that keeps what the user typed ("0." stays "0.") and reports the parsed
 * value: NaN when blank or not a number (null instead when `allowEmpty`). Shows the
 * server's errors for `path` next to the field, linked with aria-describedby.
 */
export function NumberField({
  label,
  hideLabel = false,
  value,
  onChange,
  path,
  allowEmpty = false,
  placeholder,
  disabled = false,
  className,
}: {
  label: string;
  hideLabel?: boolean;
  value: number | null;
  onChange: (value: number | null) => void;
  /** Where the value sits in the config body, e.g. "components.usage.weight". */
  path: string;
  allowEmpty?: boolean;
  placeholder?: string;
  disabled?: boolean;
  className?: string;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  const [text, setText] = useState(() => toText(value));
  const [shown, setShown] = useState(value);
  // A new value from outside (reset, another version loaded): show it.
  if (!same(shown, value)) {
    setShown(value);
    if (!same(parse(text, allowEmpty), value)) setText(toText(value));
  }
  const serverErrors = useFieldErrors(path);
  const local = value !== null && Number.isNaN(value) ? ["Enter a number."] : [];
  const messages = local.length ? local : serverErrors;

  return (
    <div className={className ? `num-field ${className}` : "num-field"}>
      {hideLabel ? null : (
        <label className="field-label" htmlFor={id}>
          {label}
        </label>
      )}
      <input
        id={id}
        className="input input-num"
        type="text"
        inputMode="decimal"
        autoComplete="off"
        aria-label={hideLabel ? label : undefined}
        aria-invalid={messages.length > 0}
        aria-describedby={messages.length ? errorId : undefined}
        data-path={path}
        placeholder={placeholder}
        value={text}
        disabled={disabled}
        onChange={(e) => {
          setText(e.target.value);
          const next = parse(e.target.value, allowEmpty);
          setShown(next);
          onChange(next);
        }}
      />
      {messages.length ? (
        <p id={errorId} className="field-error">
          {messages.join(" ")}
        </p>
      ) : null}
    </div>
  );
}
