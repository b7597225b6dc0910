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

/** Options plus the current value when it is not one of them (a value set elsewhere). */
function withCurrent(
  options: readonly { value: string; label: string }[],
  current: string,
): readonly { value: string; label: string }[] {
  return current && !options.some((o) => o.value === current)
    ? [...options, { value: current, label: current }]
    : options;
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

  let valueField = null;
  if (type === "alert_rule") {
    valueField = (
      <div className="field">
        <label className="field-label" htmlFor={valueId}>
          Alert rule
        </label>
        <select
          id={valueId}
          className="select"
          value={value}
          disabled={readOnly}
          onChange={(e) => onChange({ trigger_value: e.target.value })}
          {...valueError.inputProps}
        >
          {withCurrent(ALERT_RULES, value).map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </select>
      </div>
    );
  } else if (type === "renewal_milestone") {
    const milestones = RENEWAL_MILESTONES.map((d) => ({ value: d, label: `${d} days before` }));
    valueField = (
      <div className="field">
        <label className="field-label" htmlFor={valueId}>
          Milestone
        </label>
        <select
          id={valueId}
          className="select"
          value={value}
          disabled={readOnly}
          onChange={(e) => onChange({ trigger_value: e.target.value })}
          {...valueError.inputProps}
        >
          {withCurrent(milestones, value).map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </select>
      </div>
    );
  } else if (type === "quadrant_move") {
    valueField = (
      <>
        <div className="field">
          <label className="field-label" htmlFor={valueId}>
            From
          </label>
          <select
            id={valueId}
            className="select"
            value={from}
            disabled={readOnly}
            onChange={(e) => onChange({ trigger_value: `${e.target.value}->${to}` })}
            {...valueError.inputProps}
          >
            {withCurrent(QUADRANT_OPTIONS, from).map((q) => (
              <option key={q.value} value={q.value}>
                {q.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor={`${valueId}-to`}>
            To
          </label>
          <select
            id={`${valueId}-to`}
            className="select"
            value={to}
            disabled={readOnly}
            onChange={(e) => onChange({ trigger_value: `${from}->${e.target.value}` })}
            {...valueError.inputProps}
          >
            {withCurrent(QUADRANT_OPTIONS, to).map((q) => (
              <option key={q.value} value={q.value}>
                {q.label}
              </option>
            ))}
          </select>
        </div>
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
