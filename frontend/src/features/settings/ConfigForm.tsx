import { Fragment, useState } from "react";
import { formatNumber, formatPercent } from "../../lib/format";
import { CurveEditor } from "./CurveEditor";
import { curveSummary, type Draft, edit } from "./draft";
import { GroupError, NumberField, useFieldErrors } from "./fields";
import type { ComponentDefinition, CurvePoint, MetricConfig } from "./queries";
import "./settings.css";

/** How raw values of each unit read on a curve's axis. */
const UNIT_LABELS: Record<string, string> = {
  per_seat: "per seat",
  fraction: "fraction, 0–1",
  minutes: "minutes",
  count: "count",
  days: "days",
  ratio: "ratio",
  score: "score",
  level: "level, −1…1",
};

/** A metric newly added to the config: scored linearly from 0 to 1. */
const NEW_METRIC: MetricConfig = {
  weight: 1,
  curve: [
    [0, 0],
    [1, 100],
  ],
  missing: null,
};

function share(weight: number, total: number): string {
  return total > 0 && Number.isFinite(weight) ? formatPercent(weight / total, 0) : "—";
}

function MetricCurveCell({ path, curve }: { path: string; curve: CurvePoint[] }) {
  const errors = useFieldErrors(path, true);
  return (
    <td className="curve-cell">
      <span className="mono">{curveSummary(curve)}</span>
      {errors.length ? (
        <span className="field-error" data-field={path}>
          {errors.join(" ")}
        </span>
      ) : null}
    </td>
  );
}

function ComponentFields({
  name,
  definition,
  draft,
  totalWeight,
  readOnly,
  onChange,
}: {
  name: string;
  definition: ComponentDefinition | undefined;
  draft: Draft;
  totalWeight: number;
  readOnly: boolean;
  onChange: (draft: Draft) => void;
}) {
  const component = draft.components[name];
  const [open, setOpen] = useState<string | null>(null);
  if (!component) return null;
  const label = definition?.label ?? name;
  const path = `components.${name}`;
  const metricNames = Object.keys(component.metrics);
  const defined = definition?.metrics ?? [];
  const ordered = [
    ...defined.filter((m) => metricNames.includes(m.name)).map((m) => m.name),
    ...metricNames.filter((m) => !defined.some((d) => d.name === m)),
  ];
  const notScored = defined.filter((m) => !metricNames.includes(m.name));
  const metricTotal = metricNames.reduce((s, m) => s + (component.metrics[m]?.weight ?? 0), 0);

  const setMetric = (metric: string, recipe: (m: MetricConfig) => void) =>
    onChange(
      edit(draft, (copy) => {
        const target = copy.components[name]?.metrics[metric];
        if (target) recipe(target);
      }),
    );

  return (
    <fieldset className="config-component" data-testid={`config-component-${name}`}>
      <legend className="visually-hidden">{label}</legend>
      <div className="config-component-head">
        <h3>{label}</h3>
        <NumberField
          label={`${label} weight`}
          value={component.weight}
          path={`${path}.weight`}
          disabled={readOnly}
          className="num-field-inline"
          onChange={(v) =>
            onChange(
              edit(draft, (copy) => {
                const target = copy.components[name];
                if (target) target.weight = v ?? Number.NaN;
              }),
            )
          }
        />
        {Number.isFinite(totalWeight) && Number.isFinite(component.weight) ? (
          <span className="muted small" title="Share of the health score when every input has data">
            {share(component.weight, totalWeight)} of health
          </span>
        ) : null}
      </div>
      <GroupError path={path} />
      <GroupError path={`${path}.metrics`} />
      <div className="table-scroll">
        <table className="table table-compact config-metrics">
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col" title="Weight within the component">
                Weight
              </th>
              <th scope="col" title="Score used when there is no data (blank: leave it out)">
                If missing
              </th>
              <th scope="col">Curve (raw → score)</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {ordered.map((metric) => {
              const config = component.metrics[metric];
              if (!config) return null;
              const def = defined.find((d) => d.name === metric);
              const metricLabel = def?.label ?? metric;
              const metricPath = `${path}.metrics.${metric}`;
              const expanded = open === metric;
              return (
                <Fragment key={metric}>
                  <tr data-testid="config-metric" data-metric={metric}>
                    <th scope="row">
                      <span className="has-tip" title={def?.description}>
                        {metricLabel}
                      </span>
                      <span className="cell-sub">{share(config.weight, metricTotal)}</span>
                    </th>
                    <td>
                      <NumberField
                        label={`${metricLabel} weight`}
                        hideLabel
                        value={config.weight}
                        path={`${metricPath}.weight`}
                        disabled={readOnly}
                        onChange={(v) =>
                          setMetric(metric, (m) => {
                            m.weight = v ?? Number.NaN;
                          })
                        }
                      />
                    </td>
                    <td>
                      <NumberField
                        label={`${metricLabel} score if missing`}
                        hideLabel
                        allowEmpty
                        placeholder="no data"
                        value={config.missing ?? null}
                        path={`${metricPath}.missing`}
                        disabled={readOnly}
                        onChange={(v) =>
                          setMetric(metric, (m) => {
                            m.missing = v;
                          })
                        }
                      />
                    </td>
                    <MetricCurveCell path={`${metricPath}.curve`} curve={config.curve} />
                    <td>
                      <div className="row-actions">
                        <button
                          type="button"
                          className="btn btn-sm"
                          aria-expanded={expanded}
                          aria-label={`${expanded ? "Close" : readOnly ? "Show" : "Edit"} ${metricLabel} curve`}
                          onClick={() => setOpen(expanded ? null : metric)}
                        >
                          {expanded ? "Close" : "Curve"}
                        </button>
                        {readOnly ? null : (
                          <button
                            type="button"
                            className="btn btn-ghost btn-sm"
                            aria-label={`Stop scoring ${metricLabel}`}
                            title="Stop scoring this metric"
                            onClick={() =>
                              onChange(
                                edit(draft, (copy) => {
                                  delete copy.components[name]?.metrics[metric];
                                }),
                              )
                            }
                          >
                            ×
                          </button>
                        )}
                      </div>
                    </td>
                  </tr>
                  {expanded ? (
                    <tr className="curve-row">
                      <td colSpan={5}>
                        <CurveEditor
                          title={metricLabel}
                          curve={config.curve}
                          path={`${metricPath}.curve`}
                          xLabel={`Raw (${UNIT_LABELS[def?.unit ?? ""] ?? def?.unit ?? "value"})`}
                          readOnly={readOnly}
                          onChange={(curve) =>
                            setMetric(metric, (m) => {
                              m.curve = curve;
                            })
                          }
                        />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
      {notScored.length ? (
        <div className="not-scored">
          <span className="muted small">Not scored:</span>
          {notScored.map((m) =>
            readOnly ? (
              <span key={m.name} className="pill">
                {m.label}
              </span>
            ) : (
              <button
                key={m.name}
                type="button"
                className="btn btn-ghost btn-sm"
                title={m.description}
                onClick={() =>
                  onChange(
                    edit(draft, (copy) => {
                      const target = copy.components[name];
                      if (target) target.metrics[m.name] = structuredClone(NEW_METRIC);
                    }),
                  )
                }
              >
                + {m.label}
              </button>
            ),
          )}
        </div>
      ) : null}
    </fieldset>
  );
}

/** Every editable part of a config body. */
export function ConfigForm({
  draft,
  definitions,
  readOnly,
  onChange,
}: {
  draft: Draft;
  definitions: ComponentDefinition[];
  readOnly: boolean;
  onChange: (draft: Draft) => void;
}) {
  const names = [
    ...definitions.filter((d) => d.name in draft.components).map((d) => d.name),
    ...Object.keys(draft.components).filter((c) => !definitions.some((d) => d.name === c)),
  ];
  const totalWeight = names.reduce((s, c) => s + (draft.components[c]?.weight ?? 0), 0);
  const quadrant = draft.quadrant ?? { usage_cutoff: 60, health_cutoff: 60, hysteresis: 5 };
  const bands = draft.bands ?? { healthy: 80, watch: 60 };
  const healthAxis = draft.health_axis ?? [];
  const labelOf = (c: string) => definitions.find((d) => d.name === c)?.label ?? c;

  const setQuadrant = (key: keyof typeof quadrant, v: number | null) =>
    onChange(
      edit(draft, (copy) => {
        copy.quadrant = { ...quadrant, [key]: v ?? Number.NaN };
      }),
    );
  const setBand = (key: keyof typeof bands, v: number | null) =>
    onChange(
      edit(draft, (copy) => {
        copy.bands = { ...bands, [key]: v ?? Number.NaN };
      }),
    );

  return (
    <div className="config-form">
      <section className="config-section" aria-labelledby="cfg-components">
        <h3 id="cfg-components" className="config-section-title">
          Components
          <span className="muted small">
            {" "}
            weights total {formatNumber(totalWeight, 2)}; each is used in proportion
          </span>
        </h3>
        {names.map((name) => (
          <ComponentFields
            key={name}
            name={name}
            definition={definitions.find((d) => d.name === name)}
            draft={draft}
            totalWeight={totalWeight}
            readOnly={readOnly}
            onChange={onChange}
          />
        ))}
        <GroupError path="components" />
      </section>

      <div className="config-row">
        <fieldset className="config-section" data-testid="config-quadrant">
          <legend className="config-section-title">Quadrant cutoffs</legend>
          <div className="field-row">
            <NumberField
              label="Usage cutoff"
              value={quadrant.usage_cutoff}
              path="quadrant.usage_cutoff"
              disabled={readOnly}
              onChange={(v) => setQuadrant("usage_cutoff", v)}
            />
            <NumberField
              label="Health cutoff"
              value={quadrant.health_cutoff}
              path="quadrant.health_cutoff"
              disabled={readOnly}
              onChange={(v) => setQuadrant("health_cutoff", v)}
            />
            <NumberField
              label="Hysteresis"
              value={quadrant.hysteresis}
              path="quadrant.hysteresis"
              disabled={readOnly}
              onChange={(v) => setQuadrant("hysteresis", v)}
            />
          </div>
          <p className="field-hint">
            An account changes quadrant only once an axis is past the cutoff by the hysteresis.
          </p>
          <GroupError path="quadrant" />
        </fieldset>

        <fieldset className="config-section" data-testid="config-bands">
          <legend className="config-section-title">Health bands</legend>
          <div className="field-row">
            <NumberField
              label="Healthy from"
              value={bands.healthy}
              path="bands.healthy"
              disabled={readOnly}
              onChange={(v) => setBand("healthy", v)}
            />
            <NumberField
              label="Watch from"
              value={bands.watch}
              path="bands.watch"
              disabled={readOnly}
              onChange={(v) => setBand("watch", v)}
            />
          </div>
          <p className="field-hint">Below “watch from” an account is at risk.</p>
          <GroupError path="bands" />
        </fieldset>
      </div>

      <fieldset className="config-section">
        <legend className="config-section-title">Health axis</legend>
        <p className="field-hint">
          The quadrant’s vertical axis: these components, by their weights. Usage is the horizontal
          axis.
        </p>
        <div className="chips">
          {names.map((c) => (
            <label key={c} className="chip">
              <input
                type="checkbox"
                checked={healthAxis.includes(c)}
                disabled={readOnly}
                onChange={(e) =>
                  onChange(
                    edit(draft, (copy) => {
                      copy.health_axis = e.target.checked
                        ? names.filter((n) => n === c || healthAxis.includes(n))
                        : healthAxis.filter((n) => n !== c);
                    }),
                  )
                }
              />
              {labelOf(c)}
            </label>
          ))}
        </div>
        <GroupError path="health_axis" nested />
      </fieldset>

      <details className="config-section config-details">
        <summary className="config-section-title">Churn probability curve</summary>
        <p className="field-hint">
          Probability of churning within a year for a health score; used until enough outcomes exist
          to fit one.
        </p>
        <CurveEditor
          title="Churn probability"
          curve={draft.churn_probability ?? []}
          path="churn_probability"
          xLabel="Health score"
          yLabel="Probability"
          maxScore={1}
          readOnly={readOnly}
          onChange={(curve) =>
            onChange(
              edit(draft, (copy) => {
                copy.churn_probability = curve;
              }),
            )
          }
        />
      </details>
    </div>
  );
}
