import { formatInteger } from "../lib/format";

/** Whole percent of `done` over `total` (0 when the total is unknown), clamped to 0–100. */
export function percentDone(done: number, total: number): number {
  if (!(total > 0)) return 0;
  return Math.min(100, Math.max(0, Math.floor((done / total) * 100)));
}

/** Determinate progress bar with "1,200 / 5,000 rows · 24%" under it. */
export function ProgressBar({
  done,
  total,
  label,
  unit = "rows",
}: {
  done: number;
  total: number;
  label: string;
  unit?: string;
}) {
  const percent = percentDone(done, total);
  return (
    <div className="progress">
      <div
        className="progress-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent}%`}
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <div className="progress-text" aria-live="polite">
        {total > 0
          ? `${formatInteger(done)} / ${formatInteger(total)} ${unit} · ${percent}%`
          : "Starting…"}
      </div>
    </div>
  );
}
