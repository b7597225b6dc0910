import { CurveChart } from "./CurveChart";
import { curveProblem, nextPoint } from "./draft";
import { GroupError, NumberField } from "./fields";
import type { CurvePoint } from "./queries";

/**
 * Breakpoints (raw value → score) of a scoring curve: edit, add and remove rows, with a
 * preview of the curve. Raw values between points are interpolated; beyond the ends, clamped.
 */
export function CurveEditor({
  title,
  curve,
  onChange,
  path,
  xLabel,
  yLabel = "Score",
  maxScore = 100,
  readOnly,
}: {
  title: string;
  curve: CurvePoint[];
  onChange: (curve: CurvePoint[]) => void;
  /** e.g. "components.usage.metrics.login_frequency.curve" */
  path: string;
  xLabel: string;
  yLabel?: string;
  maxScore?: number;
  readOnly: boolean;
}) {
  const problem = curveProblem(curve, maxScore);
  const set = (index: number, axis: 0 | 1, value: number | null) =>
    onChange(
      curve.map((p, i) =>
        i === index ? (axis === 0 ? [value ?? Number.NaN, p[1]] : [p[0], value ?? Number.NaN]) : p,
      ),
    );

  return (
    <div className="curve-editor">
      <div className="curve-table">
        <table className="table table-compact" aria-label={`${title} curve`}>
          <thead>
            <tr>
              <th scope="col">{xLabel}</th>
              <th scope="col">{yLabel}</th>
              {readOnly ? null : (
                <th scope="col">
                  <span className="visually-hidden">Remove</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {curve.map((point, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: breakpoints are edited in place; the index is their identity
              <tr key={i}>
                <td>
                  <NumberField
                    label={`${title} point ${i + 1} raw`}
                    hideLabel
                    value={point[0]}
                    onChange={(v) => set(i, 0, v)}
                    path={`${path}.${i}.0`}
                    disabled={readOnly}
                  />
                </td>
                <td>
                  <NumberField
                    label={`${title} point ${i + 1} score`}
                    hideLabel
                    value={point[1]}
                    onChange={(v) => set(i, 1, v)}
                    path={`${path}.${i}.1`}
                    disabled={readOnly}
                  />
                </td>
                {readOnly ? null : (
                  <td>
                    <button
                      type="button"
                      className="btn btn-ghost btn-sm"
                      aria-label={`Remove ${title} point ${i + 1}`}
                      disabled={curve.length <= 1}
                      onClick={() => onChange(curve.filter((_, j) => j !== i))}
                    >
                      ×
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
        {readOnly ? null : (
          <button
            type="button"
            className="btn btn-sm"
            aria-label={`Add a point to the ${title} curve`}
            disabled={curve.length >= 20}
            onClick={() => onChange([...curve, nextPoint(curve)])}
          >
            + Add point
          </button>
        )}
        {/* The server says the same thing about a shape problem: show ours only. */}
        {problem ? <p className="field-error">{problem}</p> : <GroupError path={path} />}
      </div>
      <div className="curve-chart">
        <CurveChart
          curve={curve}
          maxScore={maxScore}
          xName={xLabel}
          label={`${title}: ${yLabel.toLowerCase()} by ${xLabel.toLowerCase()}`}
        />
      </div>
    </div>
  );
}
