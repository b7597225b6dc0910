import type { ImportReport } from "../../api/client";
import { DASH, formatInteger } from "../../lib/format";
import { Pill } from "../../ui/Pill";

/** Rows shown per table; a report can list thousands of rejected rows. */
export const REPORT_ROW_LIMIT = 200;

export interface RejectionLine {
  row: number;
  id: string | null;
  field: string;
  column: string | null;
  reason: string;
}

/** One line per field error, with the source column the field was mapped from (if any). */
export function rejectionLines(
  report: Pick<ImportReport, "rejected" | "mapping">,
): RejectionLine[] {
  return report.rejected.flatMap((rejected) => {
    const errors = rejected.errors.length ? rejected.errors : [{ loc: [], msg: "Rejected" }];
    return errors.map((error) => {
      const field = error.loc.filter((p) => p !== "body").join(".");
      const mapped = report.mapping[String(error.loc[0] ?? "")];
      return {
        row: rejected.row,
        id: rejected.id ?? null,
        field,
        column: mapped && !mapped.startsWith("=") ? mapped : null,
        reason: error.msg,
      };
    });
  });
}

function More({ shown, total }: { shown: number; total: number }) {
  if (total <= shown) return null;
  return (
    <p className="card-body muted">
      Showing the first {formatInteger(shown)} of {formatInteger(total)}.
    </p>
  );
}

function Rejections({ report }: { report: ImportReport }) {
  const lines = rejectionLines(report);
  if (!lines.length) return null;
  const shown = lines.slice(0, REPORT_ROW_LIMIT);
  return (
    <div>
      <h3 className="report-subtitle">Rejected rows</h3>
      <div className="table-scroll report-scroll">
        <table className="table" data-testid="rejected-table">
          <thead>
            <tr>
              <th scope="col" className="num">
                Row
              </th>
              <th scope="col">ID</th>
              <th scope="col">Field</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((line, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a row can repeat a field
              <tr key={i}>
                <td className="num">{line.row}</td>
                <td className="mono">{line.id ?? <span className="muted">{DASH}</span>}</td>
                <td>
                  <span className="mono">{line.field || DASH}</span>
                  {line.column ? <span className="cell-sub">column “{line.column}”</span> : null}
                </td>
                <td className="report-reason">{line.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <More shown={shown.length} total={lines.length} />
    </div>
  );
}

/** "owner_email: 2 · domains: 1": how many values of each field were left out. */
export function warningsByField(report: Pick<ImportReport, "warnings">): [string, number][] {
  const counts = new Map<string, number>();
  for (const warning of report.warnings) {
    if (warning.field) counts.set(warning.field, (counts.get(warning.field) ?? 0) + 1);
  }
  return [...counts.entries()];
}

function Warnings({ report }: { report: ImportReport }) {
  if (!report.warnings.length) return null;
  const shown = report.warnings.slice(0, REPORT_ROW_LIMIT);
  const byField = warningsByField(report);
  return (
    <div>
      <h3 className="report-subtitle">Warnings</h3>
      {byField.length ? (
        <p className="field-hint" data-testid="warnings-by-field">
          Values left out (the rows were kept):{" "}
          {byField.map(([field, n]) => `${field} ${formatInteger(n)}`).join(" · ")}
        </p>
      ) : null}
      <div className="table-scroll report-scroll">
        <table className="table" data-testid="warnings-table">
          <thead>
            <tr>
              <th scope="col" className="num">
                Row
              </th>
              <th scope="col">ID</th>
              <th scope="col">Field</th>
              <th scope="col">Warning</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((warning, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a row can have several warnings
              <tr key={i}>
                <td className="num">{warning.row}</td>
                <td className="mono">{warning.id ?? <span className="muted">{DASH}</span>}</td>
                <td className="mono">{warning.field ?? <span className="muted">{DASH}</span>}</td>
                <td className="report-reason">{warning.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <More shown={shown.length} total={report.warnings.length} />
    </div>
  );
}

function Skipped({ report }: { report: ImportReport }) {
  const rows = report.skipped_rows ?? [];
  if (!rows.length) return null;
  return (
    <div>
      <h3 className="report-subtitle">Skipped rows</h3>
      <div className="table-scroll report-scroll">
        <table className="table" data-testid="skipped-table">
          <thead>
            <tr>
              <th scope="col" className="num">
                Row
              </th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((line) => (
              <tr key={line.row}>
                <td className="num">{line.row}</td>
                <td className="report-reason">{line.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <More shown={rows.length} total={report.skipped ?? rows.length} />
    </div>
  );
}

function Unmapped({ columns }: { columns: string[] }) {
  if (!columns.length) return null;
  return (
    <p className="field-hint" data-testid="report-unmapped">
      Columns not imported: {columns.join(", ")}
    </p>
  );
}

/** Counts of a (dry) run, then the rejected rows, warnings and skipped rows. */
export function ReportCard({ report, title }: { report: ImportReport; title: string }) {
  const counts: [string, number, string?][] = [
    ["Rows", report.rows],
    [report.dry_run ? "Would add" : "Added", report.accepted],
    [report.dry_run ? "Would update" : "Updated", report.updated],
    ["Duplicates", report.duplicates, "Rows already in Tempo, or repeated in the file."],
    ["Merged", report.merged, "Rows summed into another row of the same account, day and feature."],
    ["Unmatched", report.unmatched, "Rows whose account was not found; they wait in Sources."],
    ["Replayed", report.replayed, "Earlier unmatched records that these rows resolved."],
    [
      report.dry_run ? "Accounts to create" : "Accounts created",
      report.accounts_created,
      "Minimal accounts created for unknown account IDs.",
    ],
    ["Rejected", report.rejected.length],
    ["Warnings", report.warnings.length],
    [
      "Skipped",
      report.skipped ?? 0,
      "Blank lines, report footer lines (totals, copyright…) and rows the preset leaves out.",
    ],
  ];
  return (
    <section className="card" aria-labelledby="report-title" data-testid="import-report">
      <div className="card-header">
        <h2 id="report-title">{title}</h2>
        {report.dry_run ? <Pill tone="blue">Dry run: nothing written</Pill> : null}
      </div>
      <div className="card-body report-body">
        <dl className="facts">
          {counts.map(([label, value, hint]) => (
            <div key={label} title={hint}>
              <dt>{label}</dt>
              <dd className="report-count">{formatInteger(value)}</dd>
            </div>
          ))}
        </dl>
        <Unmapped columns={report.unmapped_columns ?? []} />
        <Rejections report={report} />
        <Warnings report={report} />
        <Skipped report={report} />
      </div>
    </section>
  );
}
