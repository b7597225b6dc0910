import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useMemo, useState } from "react";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { ProblemAlert } from "../../ui/ProblemAlert";
import { ErrorState, LoadingBlock } from "../../ui/states";
import { useMe } from "../auth/queries";
import { ruleLabel } from "../playbooks/triggers";
import {
  type NoiseDraft,
  noiseDraftOf,
  noiseProblems,
  SEVERITIES,
  type Severity,
  sameNoise,
  snoozeRules,
  withNoise,
} from "./alertQuality";
import {
  alertPrecisionKey,
  type ConfigDetail,
  useActivateVersion,
  useActiveConfig,
  useCreateVersion,
} from "./queries";
import { SavedVersionNotice } from "./SavedVersionNotice";
import { RunProgress } from "./VersionsCard";

function DaysField({
  label,
  value,
  placeholder,
  problem,
  disabled,
  onChange,
}: {
  label: string;
  value: string;
  placeholder?: string;
  problem: string | undefined;
  disabled: boolean;
  onChange: (text: string) => void;
}) {
  const id = useId();
  return (
    <div className="num-field">
      <input
        id={id}
        className="input input-num"
        type="text"
        inputMode="numeric"
        autoComplete="off"
        aria-label={label}
        aria-invalid={problem !== undefined}
        aria-describedby={problem ? `${id}-error` : undefined}
        placeholder={placeholder}
        value={value}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value)}
      />
      {problem ? (
        <p id={`${id}-error`} className="field-error">
          {problem}
        </p>
      ) : null}
    </div>
  );
}

/**
 * The form, started from the active version: saving creates a new version (the active body with
 * these settings), which is then activated like any other (Settings → Scoring).
 */
function NoiseForm({
  active,
  readOnly,
  onActivated,
}: {
  active: ConfigDetail;
  readOnly: boolean;
  onActivated: (activation: { version: number; runId: string }) => void;
}) {
  const queryClient = useQueryClient();
  const alerts = active.body.alerts;
  const initial = useMemo(() => noiseDraftOf(alerts), [alerts]);
  const rules = useMemo(() => snoozeRules(alerts), [alerts]);
  const [draft, setDraft] = useState<NoiseDraft>(initial);
  const [confirming, setConfirming] = useState<number | null>(null);
  const create = useCreateVersion();
  const activate = useActivateVersion();
  const severityId = useId();

  const problems = noiseProblems(draft);
  const invalid = problems.size > 0;
  const dirty = !sameNoise(draft, initial);
  const busy = create.isPending || activate.isPending;
  const saved = create.data;

  const change = (next: NoiseDraft) => {
    setDraft(next);
    if (create.isError) create.reset();
  };

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (readOnly || busy || invalid || !dirty) return;
    create.mutate({ name: "Alert noise controls", body: withNoise(active.body, draft) });
  };

  const confirm = () => {
    if (confirming === null) return;
    activate.mutate(confirming, {
      onSuccess: (result) => {
        setConfirming(null);
        void queryClient.invalidateQueries({ queryKey: alertPrecisionKey });
        onActivated({ version: result.version, runId: result.run_id });
      },
    });
  };

  return (
    <form
      className="card noise-controls"
      aria-labelledby="noise-title"
      onSubmit={save}
      noValidate
      data-testid="noise-controls"
    >
      <div className="card-header">
        <div>
          <h2 id="noise-title">Noise controls</h2>
          <div className="muted small">
            From v{active.version}
            {active.name ? ` · ${active.name}` : ""} (active)
          </div>
        </div>
      </div>
      {readOnly ? (
        <p className="card-body alert alert-info" style={{ margin: 16 }}>
          Only admins can change these; they are part of the scoring config.
        </p>
      ) : null}
      <div className="card-body noise-body">
        <div className="noise-severity">
          <label className="field-label" htmlFor={severityId}>
            Queue minimum severity
          </label>
          <select
            id={severityId}
            className="select"
            value={draft.minSeverity}
            disabled={readOnly}
            onChange={(e) => change({ ...draft, minSeverity: e.target.value as Severity })}
          >
            {SEVERITIES.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
          <p className="field-hint">
            Accounts whose alerts are all below it stay out of the Today queue; their alerts stay
            open on the account.
          </p>
        </div>

        <fieldset className="noise-snooze">
          <legend className="field-label">Snooze without a date</legend>
          <p className="field-hint">
            “Snooze (rule default)” on an alert snoozes it for its rule’s days; rules left blank use
            the default.
          </p>
          <div className="noise-default">
            <span>Default days</span>
            <DaysField
              label="Default snooze days"
              value={draft.defaultDays}
              problem={problems.get("default")}
              disabled={readOnly}
              onChange={(text) => change({ ...draft, defaultDays: text })}
            />
          </div>
          <div className="table-scroll">
            <table className="table table-compact noise-table" aria-label="Snooze days by rule">
              <thead>
                <tr>
                  <th scope="col">Rule</th>
                  <th scope="col">Days</th>
                </tr>
              </thead>
              <tbody>
                {rules.map((rule) => (
                  <tr key={rule} data-testid="snooze-rule" data-rule={rule}>
                    <th scope="row">{ruleLabel(rule)}</th>
                    <td>
                      <DaysField
                        label={`${ruleLabel(rule)} snooze days`}
                        value={draft.ruleDays[rule] ?? ""}
                        placeholder={`${draft.defaultDays.trim() || "?"} (default)`}
                        problem={problems.get(rule)}
                        disabled={readOnly}
                        onChange={(text) =>
                          change({ ...draft, ruleDays: { ...draft.ruleDays, [rule]: text } })
                        }
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </fieldset>
      </div>
      {readOnly ? null : (
        <div className="editor-actions">
          {create.isError ? <ProblemAlert error={create.error} title="Couldn't save" /> : null}
          {saved ? <SavedVersionNotice version={saved.version} onActivate={setConfirming} /> : null}
          <div className="editor-buttons">
            {dirty ? (
              <button
                type="button"
                className="btn btn-ghost"
                disabled={busy}
                onClick={() => change(initial)}
              >
                Discard changes
              </button>
            ) : null}
            <div className="toolbar-spacer" />
            {invalid ? <span className="field-error">Fix the highlighted fields.</span> : null}
            <button
              type="submit"
              className="btn btn-primary"
              disabled={busy || invalid || !dirty}
              title={dirty ? undefined : "Change something first"}
            >
              {create.isPending ? "Saving…" : "Save as new version"}
            </button>
          </div>
        </div>
      )}
      {confirming !== null ? (
        <ConfirmDialog
          title={`Activate version ${confirming}?`}
          confirmLabel="Activate and re-score"
          busyLabel="Activating…"
          busy={activate.isPending}
          error={activate.isError ? activate.error : null}
          onConfirm={confirm}
          onClose={() => setConfirming(null)}
        >
          <p className="dialog-lead">
            Version {confirming} becomes the scoring config: today’s health of every account is
            recomputed with it, and the queue and snoozes follow its noise controls.
          </p>
        </ConfirmDialog>
      ) : null}
    </form>
  );
}

/** Settings → Alert quality: queue minimum severity and snooze days per rule (admins edit). */
export function NoiseControls() {
  const me = useMe();
  const active = useActiveConfig();
  const [activation, setActivation] = useState<{ version: number; runId: string } | null>(null);

  if (active.isPending) {
    return (
      <section className="card">
        <LoadingBlock lines={6} label="Loading the noise controls" />
      </section>
    );
  }
  if (active.isError) {
    return (
      <section className="card">
        <ErrorState
          title="Couldn't load the scoring config"
          error={active.error}
          onRetry={() => void active.refetch()}
        />
      </section>
    );
  }
  return (
    <>
      {activation ? (
        <section className="card" aria-label="Re-scoring">
          <div className="card-body">
            <RunProgress runId={activation.runId} version={activation.version} />
          </div>
        </section>
      ) : null}
      {/* A fresh form per active version: its draft starts from that version's settings. */}
      <NoiseForm
        key={active.data.version}
        active={active.data}
        readOnly={me.data?.role !== "admin"}
        onActivated={setActivation}
      />
    </>
  );
}
