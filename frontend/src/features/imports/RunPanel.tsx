import { Link } from "@tanstack/react-router";
import type { ImportReport } from "../../api/client";
import { formatInteger } from "../../lib/format";
import { ProblemAlert } from "../../ui/ProblemAlert";
import { ProgressBar } from "../../ui/ProgressBar";
import type { ImportProgress } from "./ndjson";
import { ReportCard } from "./ReportCard";

/** Step 3: the dry run's report, then go back or import the valid rows. */
export function ReviewActions({
  report,
  onBack,
  onImport,
}: {
  report: ImportReport;
  onBack: () => void;
  onImport: () => void;
}) {
  const valid = Math.max(0, report.rows - report.rejected.length);
  return (
    <>
      <ReportCard report={report} title="Validation report" />
      <div className="wizard-actions">
        {report.rejected.length ? (
          <span className="muted">
            {report.rejected.length === 1
              ? "1 rejected row will be skipped; fix it in the file and import it again later."
              : `${formatInteger(report.rejected.length)} rejected rows will be skipped; fix them in the file and import them again later.`}
          </span>
        ) : null}
        <button type="button" className="btn" onClick={onBack}>
          ‹ Back to mapping
        </button>
        <button type="button" className="btn btn-primary" onClick={onImport} disabled={valid === 0}>
          Import {formatInteger(valid)} rows
        </button>
      </div>
    </>
  );
}

/** Step 4: progress while the import streams, then the final report (or the failure). */
export function RunPanel({
  progress,
  pending,
  error,
  report,
  onBack,
  onRestart,
}: {
  progress: ImportProgress;
  pending: boolean;
  error: unknown;
  report: ImportReport | undefined;
  onBack: () => void;
  onRestart: () => void;
}) {
  if (report) {
    return (
      <>
        <ReportCard report={report} title="Import report" />
        <div className="wizard-actions">
          {report.unmatched > 0 ? (
            <span className="muted">
              {formatInteger(report.unmatched)} rows found no account: link them in Sources.
            </span>
          ) : null}
          <Link to="/sources" className="btn">
            Go to Sources
          </Link>
          <button type="button" className="btn btn-primary" onClick={onRestart}>
            Import another file
          </button>
        </div>
      </>
    );
  }
  return (
    <section className="card" aria-labelledby="run-title">
      <div className="card-header">
        <h2 id="run-title">{pending ? "Importing…" : "Import stopped"}</h2>
      </div>
      <div className="card-body wizard-form">
        <ProgressBar done={progress.done} total={progress.total} label="Import progress" />
        {error ? (
          <>
            <ProblemAlert error={error} title="The import failed" />
            <p className="muted">
              Rows before the failure may already be saved; check Sources before you try again.
            </p>
            <div className="wizard-actions">
              <button type="button" className="btn" onClick={onBack}>
                ‹ Back to mapping
              </button>
            </div>
          </>
        ) : (
          <p className="muted">Keep this page open until the import finishes.</p>
        )}
      </div>
    </section>
  );
}
