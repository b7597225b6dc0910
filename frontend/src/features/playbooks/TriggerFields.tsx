import { useId } from "react";
import type { Draft } from "./draft";
import { useFieldError } from "./fields";
import type { TriggerType } from "./queries";
import {
  ALERT_RULES,
  DEFAULT_TRIGGER_VALUE,
  QUADRANT_OPTIONS,
  RENEWAL_MILESTONES,
  splitMove,
  TRIGGER_TYPES,
  triggerInWords,
} from "./triggers";

type Options = readonly { value: string; label: string }[];

/** Options plus the current value when it is not one of them (a value set elsewhere). */
function withCurrent(options: Options, current: string): Options {
  return current && !options.some((o) => o.value === current)
    ? [...options, { value: current, label: current }]
    : options;
}

/** A labelled select of the trigger's value. */
function SelectField({
  id,
  label,
  options,
  value,
  disabled,
  onChange,
  inputProps,
}: {
  id: string;
  label: string;
  options: Options;
  value: string;
  disabled: boolean;
  onChange: (value: string) => void;
  inputProps: Record<string, unknown>;
}) {
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <select
        id={id}
        className="select"
        value={value}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value)}
        {...inputProps}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** What starts the play: the trigger type, then its rule, quadrant move or milestone. */
export function TriggerFields({
  draft,
  readOnly,
  onChange,
}: {
  draft: Draft;
  readOnly: boolean;
  onChange: (patch: Partial<Draft>) => void;
}) {
  const typeId = useId();
  const valueId = useId();
  const typeError = useFieldError("trigger_type");
  const valueError = useFieldError("trigger_value");
  const type = draft.trigger_type;
  const value = draft.trigger_value;
  const [from, to] = splitMove(value);

  const choice = (
    id: string,
    label: string,
    options: Options,
    current: string,
    set: (v: string) => void,
  ) => (
    <SelectField
      id={id}
      label={label}
      options={withCurrent(options, current)}
      value={current}
      disabled={readOnly}
      onChange={set}
      inputProps={valueError.inputProps}
    />
  );
  const setValue = (v: string) => onChange({ trigger_value: v });

  let valueField = null;
  if (type === "alert_rule") {
    valueField = choice(valueId, "Alert rule", ALERT_RULES, value, setValue);
  } else if (type === "renewal_milestone") {
    const milestones = RENEWAL_MILESTONES.map((d) => ({ value: d, label: `${d} days before` }));
    valueField = choice(valueId, "Milestone", milestones, value, setValue);
  } else if (type === "quadrant_move") {
    valueField = (
      <>
        {choice(valueId, "From", QUADRANT_OPTIONS, from, (v) => setValue(`${v}->${to}`))}
        {choice(`${valueId}-to`, "To", QUADRANT_OPTIONS, to, (v) => setValue(`${from}->${v}`))}
      </>
    );
  }

  return (
    <fieldset className="pb-section" data-testid="trigger-fields">
      <legend className="pb-section-title">Trigger</legend>
      <div className="pb-trigger-row">
        <div className="field">
          <label className="field-label" htmlFor={typeId}>
            Starts on
          </label>
          <select
            id={typeId}
            className="select"
            value={type}
            disabled={readOnly}
            onChange={(e) => {
              const next = e.target.value as TriggerType;
              onChange({ trigger_type: next, trigger_value: DEFAULT_TRIGGER_VALUE[next] });
            }}
            {...typeError.inputProps}
          >
            {TRIGGER_TYPES.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
        </div>
        {valueField}
      </div>
      {typeError.message}
      {valueError.message}
      <p className="field-hint" data-testid="trigger-words">
        {triggerInWords(type, value)}
        {type === "manual"
          ? ": started by hand from an account or the Today queue."
          : type === "quadrant_move"
            ? ": starts when the quadrant-down alert reports this move."
            : ": starts automatically when the alert opens."}
      </p>
    </fieldset>
  );
}
