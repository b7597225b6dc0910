import { useState } from "react";
import { ApiError } from "../../api/errors";
import { downloadBook, type ExportFormat } from "./queries";
import type { AccountsQuery } from "./searchState";

/** Export the filtered book (all rows, the table's order) as CSV or XLSX. */
export function ExportMenu({ query, total }: { query: AccountsQuery; total: number | undefined }) {
  const [busy, setBusy] = useState<ExportFormat | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (format: ExportFormat) => {
    setBusy(format);
    setError(null);
    try {
      await downloadBook(format, query);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : "The export failed; try again.");
    } finally {
      setBusy(null);
    }
  };
  const count = total === undefined ? "" : ` (${total.toLocaleString()})`;
  return (
    <fieldset className="export-menu" aria-label="Export">
      <button
        type="button"
        className="btn btn-sm"
        onClick={() => void run("csv")}
        disabled={busy !== null || total === 0}
      >
        {busy === "csv" ? "Exporting…" : `Export CSV${count}`}
      </button>
      <button
        type="button"
        className="btn btn-sm"
        onClick={() => void run("xlsx")}
        disabled={busy !== null || total === 0}
      >
        {busy === "xlsx" ? "Exporting…" : "Excel"}
      </button>
      {error ? (
        <span className="field-error" role="alert">
          {error}
        </span>
      ) : null}
    </fieldset>
  );
}
