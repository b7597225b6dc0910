import { useEffect, useRef } from "react";
import { MAX_DUE_DAYS, MAX_STEPS, newStep, type StepDraft } from "./draft";
import { GroupError, useFieldError } from "./fields";
import { ASSIGNEE_ROLES, assigneeLabel, roleOptions } from "./triggers";

function StepRow({
  step,
  index,
  count,
  readOnly,
  autoFocus,
  onChange,
  onMove,
  onRemove,
}: {
  step: StepDraft;
  index: number;
  count: number;
  readOnly: boolean;
  autoFocus: boolean;
  onChange: (patch: Partial<StepDraft>) => void;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
}) {
  const n = index + 1;
  const title = useFieldError(`steps.${index}.title`);
  const due = useFieldError(`steps.${index}.due_offset_days`);
  const role = useFieldError(`steps.${index}.assignee_role`);
  const titleRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (autoFocus) titleRef.current?.focus();
  }, [autoFocus]);

  return (
    <li className="pb-step" data-testid="step">
      <span className="pb-step-number" aria-hidden="true">
        {n}
      </span>
      <div className="pb-step-main">
        <div className="pb-step-title">
          <input
            ref={titleRef}
            className="input"
            aria-label={`Step ${n} title`}
            placeholder="What to do, e.g. Call {{ contact.name }}"
            maxLength={300}
            value={step.title}
            readOnly={readOnly}
            onChange={(e) => onChange({ title: e.target.value })}
            {...title.inputProps}
          />
          {title.message}
        </div>
        <div className="pb-step-meta">
          <label className="pb-step-inline">
            <span aria-hidden="true">Due after</span>
            <input
              className="input input-num"
              type="text"
              inputMode="numeric"
              aria-label={`Step ${n} due after (days)`}
              value={step.due}
              readOnly={readOnly}
              onChange={(e) => onChange({ due: e.target.value })}
              {...due.inputProps}
            />
            <span aria-hidden="true">{step.due.trim() === "1" ? "day" : "days"}</span>
          </label>
          {readOnly ? (
            <span className="pb-step-inline">
              <span aria-hidden="true">·</span> {assigneeLabel(step.assignee_role)}
            </span>
          ) : (
            <label className="pb-step-inline">
              <span aria-hidden="true">for</span>
              <select
                className="select select-sm"
                aria-label={`Step ${n} assignee`}
                value={step.assignee_role}
                onChange={(e) => onChange({ assignee_role: e.target.value })}
                {...role.inputProps}
              >
                {roleOptions(step.assignee_role).map((r) => (
                  <option key={r.value} value={r.value}>
                    {r.label}
                  </option>
                ))}
              </select>
            </label>
          )}
        </div>
        {due.message}
        {role.message}
      </div>
      {readOnly ? null : (
        <div className="pb-step-actions">
          <button
            type="button"
            className="btn btn-ghost btn-sm pb-icon-btn"
            aria-label={`Move step ${n} up`}
            title="Move up"
            disabled={index === 0}
            onClick={() => onMove(-1)}
          >
            ↑
          </button>
          <button
            type="button"
            className="btn btn-ghost btn-sm pb-icon-btn"
            aria-label={`Move step ${n} down`}
            title="Move down"
            disabled={index === count - 1}
            onClick={() => onMove(1)}
          >
            ↓
          </button>
          <button
            type="button"
            className="btn btn-ghost btn-sm pb-icon-btn"
            aria-label={`Remove step ${n}`}
            title="Remove"
            onClick={onRemove}
          >
            ×
          </button>
        </div>
      )}
    </li>
  );
}

/** The tasks a run creates: title (a template), days after the start it is due, who does it. */
export function StepsEditor({
  steps,
  readOnly,
  onChange,
}: {
  steps: StepDraft[];
  readOnly: boolean;
  onChange: (steps: StepDraft[]) => void;
}) {
  // The step just added gets the focus.
  const added = useRef<number | null>(null);
  const update = (uid: number, patch: Partial<StepDraft>) =>
    onChange(steps.map((s) => (s.uid === uid ? { ...s, ...patch } : s)));
  const move = (index: number, delta: -1 | 1) => {
    const target = index + delta;
    if (target < 0 || target >= steps.length) return;
    const next = [...steps];
    const [step] = next.splice(index, 1);
    if (step) next.splice(target, 0, step);
    onChange(next);
  };

  return (
    <fieldset className="pb-section" data-testid="steps-editor">
      <legend className="pb-section-title">
        Steps <span className="muted small">each becomes a task when the play starts</span>
      </legend>
      {steps.length ? (
        <ol className="pb-steps">
          {steps.map((step, i) => (
            <StepRow
              key={step.uid}
              step={step}
              index={i}
              count={steps.length}
              readOnly={readOnly}
              autoFocus={added.current === step.uid}
              onChange={(patch) => update(step.uid, patch)}
              onMove={(delta) => move(i, delta)}
              onRemove={() => onChange(steps.filter((s) => s.uid !== step.uid))}
            />
          ))}
        </ol>
      ) : (
        <p className="muted small">No steps: starting this play creates no tasks.</p>
      )}
      <GroupError path="steps" />
      {readOnly ? null : (
        <div className="toolbar-inline">
          <button
            type="button"
            className="btn btn-sm"
            disabled={steps.length >= MAX_STEPS}
            onClick={() => {
              const last = steps[steps.length - 1];
              const step = { ...newStep(), due: last?.due ?? "0" };
              added.current = step.uid;
              onChange([...steps, step]);
            }}
          >
            + Add step
          </button>
          <span className="muted small">
            Due: days after the play starts, 0 to {MAX_DUE_DAYS}. Titles may use template variables.
          </span>
          <span className="muted small pb-roles-hint" data-testid="roles-hint">
            {ASSIGNEE_ROLES.map((r) => `${r.label}: ${r.about}.`).join(" ")}
          </span>
        </div>
      )}
    </fieldset>
  );
}
