import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useId, useState } from "react";
import { ApiError } from "../../api/errors";
import { formatInteger, formatPercent } from "../../lib/format";
import { FormDialog } from "../../ui/FormDialog";
import { Pill } from "../../ui/Pill";
import { ProblemAlert } from "../../ui/ProblemAlert";
import { TableScroll } from "../../ui/TableScroll";
import { invalidateScores, isRunFinished, useScoringRun } from "../settings/queries";
import { FieldError, ListState, serverFieldErrors, unplacedProblem } from "./fields";
import {
  type Feature,
  type FeatureUpdate,
  type PatternPreview,
  useFeatures,
  usePatternPreview,
  useRescoreToday,
  useUpdateFeature,
} from "./queries";

/** The server's bound on a pattern's length. */
export const PATTERN_MAX = 200;
const PREVIEW_DELAY_MS = 400;

/**
 * What the form itself can say about a pattern: its length. Whether it compiles is the
 * server's to say (Python and PostgreSQL, not the browser's dialect): the live preview
 * answers 422 for a pattern they refuse, and Save waits for it.
 */
export function patternProblem(pattern: string): string | null {
  return pattern.length > PATTERN_MAX ? `At most ${PATTERN_MAX} characters.` : null;
}

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export function FeaturesTab() {
  const features = useFeatures();
  const update = useUpdateFeature();
  const [editing, setEditing] = useState<Feature | null>(null);
  const [changed, setChanged] = useState(false);
  // What a toggle asked for, shown at once (set in the click's own render, so the box never
  // flicks back while the request is out); dropped when it settles: the saved feature (or, on
  // an error, the unchanged one) then shows from the catalogue.
  const [asked, setAsked] = useState<Record<number, boolean>>({});

  const toggleCore = (feature: Feature, on: boolean) => {
    setAsked((a) => ({ ...a, [feature.id]: on }));
    update.mutate(
      { id: feature.id, body: { is_core: on } },
      {
        onSuccess: () => setChanged(true),
        onSettled: () =>
          setAsked((a) => {
            const { [feature.id]: _, ...rest } = a;
            return rest;
          }),
      },
    );
  };

  return (
    <>
      {changed ? <RescoreNote /> : null}
      <section className="card table-card" aria-labelledby="admin-features-title">
        <div className="card-header">
          <h2 id="admin-features-title">Features</h2>
          {features.data ? (
            <span className="muted small">
              Usage from {features.data.since} to {features.data.until}
            </span>
          ) : null}
        </div>
        {update.isError && !editing ? (
          <ProblemAlert error={update.error} title="Couldn't save" />
        ) : null}
        <ListState
          query={features}
          what="features"
          isEmpty={(data) => data.items.length === 0}
          emptyTitle="No features yet: they appear as events name them"
        >
          {(data) => (
            <TableScroll label="Features">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Key</th>
                    <th scope="col">Core</th>
                    <th scope="col">Plans</th>
                    <th scope="col">Event pattern</th>
                    <th scope="col" className="num">
                      Events 30 d
                    </th>
                    <th scope="col" className="num">
                      Accounts 30 d
                    </th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((f) => (
                    <tr key={f.id}>
                      <td>{f.name}</td>
                      <td className="mono small">{f.key}</td>
                      <td>
                        <label className="check" htmlFor={`core-${f.id}`}>
                          <input
                            id={`core-${f.id}`}
                            type="checkbox"
                            checked={asked[f.id] ?? f.is_core}
                            disabled={f.id in asked}
                            aria-label={`${f.name} is core`}
                            onChange={(e) => toggleCore(f, e.target.checked)}
                          />
                        </label>
                      </td>
                      <td className="admin-wrap admin-plans">
                        {f.plans.length ? (
                          f.plans.join(", ")
                        ) : (
                          <span className="muted">every plan</span>
                        )}
                      </td>
                      <td
                        className="mono small admin-ellipsis admin-pattern"
                        title={f.event_pattern ?? undefined}
                      >
                        {f.event_pattern ?? <span className="muted">—</span>}
                      </td>
                      <td className="num">{formatInteger(f.events_30d)}</td>
                      <td className="num">{formatInteger(f.accounts_30d)}</td>
                      <td>
                        <button
                          type="button"
                          className="btn btn-sm"
                          aria-label={`Edit ${f.name}`}
                          onClick={() => setEditing(f)}
                        >
                          Edit
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
        </ListState>
      </section>
      {editing && features.data ? (
        <EditFeatureDialog
          feature={editing}
          plans={features.data.plans}
          onSaved={() => {
            setEditing(null);
            setChanged(true);
          }}
          onClose={() => setEditing(null)}
        />
      ) : null}
    </>
  );
}

/** After a change: adoption follows at the next scoring; an admin can start it now. */
function RescoreNote() {
  const rescore = useRescoreToday();
  const [runId, setRunId] = useState<string | null>(null);
  return (
    <div className="alert alert-info admin-rescore" role="status">
      <span>Adoption uses this at the next rescore.</span>
      {runId ? (
        <RescoreProgress runId={runId} />
      ) : (
        <button
          type="button"
          className="btn btn-sm btn-primary"
          disabled={rescore.isPending}
          onClick={() => rescore.mutate(undefined, { onSuccess: (run) => setRunId(run.id) })}
        >
          {rescore.isPending ? "Starting…" : "Rescore now"}
        </button>
      )}
      {rescore.isError ? (
        <ProblemAlert error={rescore.error} title="Couldn't start the rescore" />
      ) : null}
    </div>
  );
}

/** The run's progress, polled until it ends (as Settings follows an activation's run). */
function RescoreProgress({ runId }: { runId: string }) {
  const run = useScoringRun(runId);
  const queryClient = useQueryClient();
  const finished = isRunFinished(run.data);
  useEffect(() => {
    if (finished) invalidateScores(queryClient);
  }, [finished, queryClient]);
  if (run.isError) return <ProblemAlert error={run.error} title="Couldn't follow the rescore" />;
  const data = run.data;
  const percent = Math.round((data?.progress ?? 0) * 100);
  return (
    <div className="run-progress admin-run" data-testid="rescore-progress">
      <div className="run-progress-title">
        {data?.status === "succeeded"
          ? `Rescored: ${formatInteger(data.snapshots_written)} accounts.`
          : data?.status === "failed" || data?.status === "cancelled"
            ? `The rescore ${data.status}.`
            : "Rescoring today's health…"}
      </div>
      <div className="progress">
        <div
          className="progress-track"
          role="progressbar"
          aria-label="Rescore progress"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
        >
          <div
            className={
              data?.status === "failed" ? "progress-fill progress-failed" : "progress-fill"
            }
            style={{ width: `${percent}%` }}
          />
        </div>
        <div className="progress-text">
          {data ? `${formatPercent(data.progress, 0)} · ${data.status}` : "Starting…"}
        </div>
      </div>
      {data?.error ? <div className="alert alert-error">{data.error}</div> : null}
    </div>
  );
}

function EditFeatureDialog({
  feature,
  plans,
  onSaved,
  onClose,
}: {
  feature: Feature;
  plans: readonly string[];
  onSaved: () => void;
  onClose: () => void;
}) {
  const id = useId();
  const update = useUpdateFeature();
  const [name, setName] = useState(feature.name);
  const [core, setCore] = useState(feature.is_core);
  const [chosen, setChosen] = useState<string[]>(feature.plans);
  const [pattern, setPattern] = useState(feature.event_pattern ?? "");
  const server = serverFieldErrors(update.error);

  const local = patternProblem(pattern);
  const settled = useDebounced(local ? "" : pattern, PREVIEW_DELAY_MS);
  const preview = usePatternPreview(settled, feature.id);
  const previewServerProblem =
    preview.error instanceof ApiError && preview.error.status === 422
      ? (serverFieldErrors(preview.error).get("event_pattern") ?? [])
      : [];
  const patternMessages = [
    ...(local ? [local] : []),
    ...previewServerProblem,
    ...(server.get("event_pattern") ?? []),
  ];

  const body: FeatureUpdate = {
    ...(name.trim() !== feature.name ? { name: name.trim() } : {}),
    ...(core !== feature.is_core ? { is_core: core } : {}),
    ...(chosen.join() !== feature.plans.join() ? { plans: chosen } : {}),
    ...(pattern !== (feature.event_pattern ?? "")
      ? { event_pattern: pattern.trim() ? pattern : null }
      : {}),
  };
  const invalid = !name.trim() || local !== null || previewServerProblem.length > 0;
  const unchanged = Object.keys(body).length === 0;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (invalid || unchanged) return;
    update.mutate({ id: feature.id, body }, { onSuccess: onSaved });
  };

  return (
    <FormDialog
      title={`Edit ${feature.name}`}
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Save"
      pendingLabel="Saving…"
      pending={update.isPending}
      disabled={invalid || unchanged}
      formClassName="admin-feature-form"
    >
      <div className="field">
        <label className="field-label" htmlFor={`${id}-name`}>
          Name
        </label>
        <input
          id={`${id}-name`}
          className="input"
          value={name}
          maxLength={200}
          aria-invalid={!name.trim() || server.has("name")}
          aria-describedby={`${id}-name-error`}
          onChange={(e) => setName(e.target.value)}
        />
        <FieldError
          id={`${id}-name-error`}
          messages={[
            ...(!name.trim() ? ["Give the feature a name."] : []),
            ...(server.get("name") ?? []),
          ]}
        />
      </div>
      <label className="check" htmlFor={`${id}-core`}>
        <input
          id={`${id}-core`}
          type="checkbox"
          checked={core}
          onChange={(e) => setCore(e.target.checked)}
        />
        Core feature (counted in feature adoption)
      </label>
      <fieldset className="fieldset-plain">
        <legend className="field-label">Plans (none ticked: every plan)</legend>
        <div className="chips">
          {[...new Set([...plans, ...chosen])].map((plan) => (
            <label key={plan} className="chip" htmlFor={`${id}-plan-${plan}`}>
              <input
                id={`${id}-plan-${plan}`}
                type="checkbox"
                checked={chosen.includes(plan)}
                onChange={(e) =>
                  setChosen((current) =>
                    e.target.checked ? [...current, plan] : current.filter((p) => p !== plan),
                  )
                }
              />
              {plan}
            </label>
          ))}
        </div>
        <FieldError id={`${id}-plans-error`} messages={server.get("plans") ?? []} />
      </fieldset>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-pattern`}>
          Event pattern{" "}
          <span className="field-hint">
            A regular expression searched for in event names, e.g. ^report\. — new events only;
            events already received keep their feature.
          </span>
        </label>
        <input
          id={`${id}-pattern`}
          className="input mono"
          value={pattern}
          maxLength={PATTERN_MAX + 50}
          spellCheck={false}
          aria-invalid={patternMessages.length > 0}
          aria-describedby={`${id}-pattern-error`}
          onChange={(e) => setPattern(e.target.value)}
        />
        <FieldError id={`${id}-pattern-error`} messages={patternMessages} />
      </div>
      <PreviewList
        featureId={feature.id}
        preview={preview.data}
        fetching={preview.isFetching}
        active={settled.trim() !== "" && !local}
      />
      {unplacedProblem(update.error, ["name", "plans", "event_pattern", "is_core"]) ? (
        <ProblemAlert error={update.error} />
      ) : null}
    </FormDialog>
  );
}

function PreviewList({
  featureId,
  preview,
  fetching,
  active,
}: {
  featureId: number;
  preview: PatternPreview | undefined;
  fetching: boolean;
  active: boolean;
}) {
  if (!active) return null;
  return (
    <div className="admin-preview" aria-live="polite" aria-busy={fetching}>
      <div className="field-label">
        Event names of the last 30 days it matches
        {preview
          ? ` (${formatInteger(preview.matched_names)}, ${formatInteger(preview.matched_events)} events)`
          : ""}
      </div>
      {!preview ? (
        <span className="muted small">Checking…</span>
      ) : preview.matches.length === 0 ? (
        <span className="muted small">No event name received in the last 30 days matches.</span>
      ) : (
        <ul className="admin-preview-list" data-testid="pattern-matches">
          {preview.matches.map((m) => (
            <li key={m.event}>
              <span className="mono">{m.event}</span>{" "}
              <span className="muted small">{formatInteger(m.events)} events</span>{" "}
              {m.after?.id !== featureId ? (
                <span className="muted small">stays with {m.after?.name ?? "no feature"}</span>
              ) : m.now?.id !== featureId ? (
                <Pill tone="amber">takes it from {m.now?.name ?? "no feature"}</Pill>
              ) : (
                <span className="muted small">already counted here</span>
              )}
            </li>
          ))}
        </ul>
      )}
      {preview?.released.length ? (
        <p className="muted small">
          No longer matched: {preview.released.map((m) => m.event).join(", ")}
        </p>
      ) : null}
    </div>
  );
}
