import { type ReactNode, useId } from "react";
import type { Draft } from "./draft";
import { useFieldError } from "./fields";
import type { TriggerType } from "./queries";
import {
  ALERT_RULES,
  BANDS,
  DEFAULT_TRIGGER_VALUE,
  orderBands,
  QUADRANT_OPTIONS,
  RENEWAL_MILESTONES,
  ruleLabel,
  splitMove,
  splitValues,
  TRIGGER_TYPES,
  toggleValue,
  triggerInWords,
} from "./triggers";

type Options = readonly { value: string; label: string }[];

/** Options plus the current value when it is not one of them (a value set elsewhere). */
function withCurrent(options: Options, current: string): Options {
  return current && !options.some((o) => o.value === current)
    ? [...options, { value: current, label: current }]
    : options;
}

/** The options plus any picked value they do not know (set elsewhere), so it loads and can be unticked. */
function withPicked(
  options: Options,
  picked: readonly string[],
  label: (v: string) => string,
): Options {
  const extra = picked.filter((v) => !options.some((o) => o.value === v));
  return extra.length
    ? [...options, ...extra.map((v) => ({ value: v, label: label(v) }))]
    : options;
}

/** A group of checkboxes, several of which may be ticked. */
function CheckGroup({
  legend,
  options,
  picked,
  disabled,
  onToggle,
  inputProps,
  hint,
  message,
  testId,
  wide = false,
}: {
  legend: string;
  options: Options;
  picked: readonly string[];
  disabled: boolean;
  onToggle: (value: string, on: boolean) => void;
  inputProps: Record<string, unknown>;
  hint?: string;
  message?: ReactNode;
  testId: string;
  /** Many options: laid out in columns. */
  wide?: boolean;
}) {
  const hintId = useId();
  return (
    <fieldset
      className="fieldset-plain pb-checks"
      data-testid={testId}
      aria-describedby={hint ? hintId : undefined}
    >
      <legend className="field-label">{legend}</legend>
      <div className={wide ? "pb-check-grid is-wide" : "pb-check-grid"}>
        {options.map((o) => (
          <label key={o.value} className="check">
            <input
              type="checkbox"
              value={o.value}
              checked={picked.includes(o.value)}
              disabled={disabled}
              onChange={(e) => onToggle(o.value, e.target.checked)}
              {...inputProps}
            />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
      {message}
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
    </fieldset>
  );
}

const MILESTONE_OPTIONS: Options = RENEWAL_MILESTONES.map((d) => ({
  value: d,
  label: `${d} days before`,
}));

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

/**
 * What starts the play: the trigger type, then its alert rules, quadrant move or renewal
 * milestones, and the health bands of the accounts it is for.
 */
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
  const bandsError = useFieldError("trigger_bands");
  const type = draft.trigger_type;
  const value = draft.trigger_value;
  const bands = draft.trigger_bands;
  const [from, to] = splitMove(value);
  const picked = splitValues(value);

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
  const checks = (
    legend: string,
    options: Options,
    label: (v: string) => string,
    wide: boolean,
  ) => {
    const all = withPicked(options, picked, label);
    return (
      <CheckGroup
        legend={legend}
        testId="trigger-values"
        options={all}
        picked={picked}
        disabled={readOnly}
        wide={wide}
        onToggle={(item, on) =>
          setValue(
            toggleValue(
              value,
              item,
              on,
              all.map((o) => o.value),
            ),
          )
        }
        inputProps={valueError.inputProps}
        message={valueError.message}
      />
    );
  };

  let moveFields = null;
  let listField = null;
  if (type === "alert_rule") {
    listField = checks("Alert rules", ALERT_RULES, ruleLabel, true);
  } else if (type === "renewal_milestone") {
    listField = checks("Renewal milestones", MILESTONE_OPTIONS, (d) => `${d} days before`, false);
  } else if (type === "quadrant_move") {
    moveFields = (
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
        {moveFields}
      </div>
      {typeError.message}
      {listField ?? valueError.message}
      {type === "manual" ? null : (
        <CheckGroup
          legend="Health bands"
          testId="trigger-bands"
          options={BANDS}
          picked={bands}
          disabled={readOnly}
          onToggle={(band, on) =>
            onChange({
              trigger_bands: orderBands(on ? [...bands, band] : bands.filter((b) => b !== band)),
            })
          }
          inputProps={bandsError.inputProps}
          message={bandsError.message}
          hint="None ticked: accounts in any band. When an alert could start several plays, one written for the account's band wins over one for any band; a play for some bands never starts on an account without a health score."
        />
      )}
      <p className="field-hint" data-testid="trigger-words">
        {triggerInWords(type, value, type === "manual" ? [] : bands)}
        {type === "manual"
          ? ": started by hand from an account or the Today queue."
          : type === "quadrant_move"
            ? ": starts when the quadrant-down alert reports this move."
            : ": starts automatically when the alert opens."}
      </p>
    </fieldset>
  );
}
