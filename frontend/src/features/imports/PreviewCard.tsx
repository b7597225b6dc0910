import type { ImportPreview } from "../../api/client";
import { DASH, formatInteger } from "../../lib/format";
import { Pill } from "../../ui/Pill";

export function cellText(value: unknown): string {
  if (value === null || value === undefined || value === "") return DASH;
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** The file as the server read it: its columns and first rows. */
export function PreviewCard({ file, preview }: { file: File; preview: ImportPreview }) {
  return (
    <section className="card table-card" aria-labelledby="preview-title">
      <div className="card-header">
        <h2 id="preview-title">{file.name}</h2>
        <span className="muted">
          {formatInteger(preview.rows)} rows · {formatInteger(preview.columns.length)} columns
        </span>
      </div>
      <div className="card-body column-list">
        <span className="visually-hidden">Columns:</span>
        {preview.columns.map((column) => (
          <Pill key={column}>{column}</Pill>
        ))}
      </div>
      {preview.sample.length ? (
        <div className="table-scroll preview-scroll">
          <table className="table">
            <caption className="visually-hidden">First rows of the file</caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  Row
                </th>
                {preview.columns.map((column) => (
                  <th key={column} scope="col">
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {preview.sample.map((row, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: sample rows are positional
                <tr key={i}>
                  <td className="num muted">{i + 2}</td>
                  {preview.columns.map((column) => (
                    <td key={column} className="preview-cell">
                      {cellText(row[column])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="card-body muted">The file has a header row but no data rows.</p>
      )}
    </section>
  );
}
