import { useState } from "react";
import { errorMessage } from "../../api/errors";
import { downloadRenewals, type RenewalsExport } from "./queries";
import type { RenewalsQuery } from "./searchState";

/** Download the renewals matching the current filters as CSV or NDJSON. */
export function ExportButtons({
  query,
  total,
}: {
  query: RenewalsQuery;
  total: number | undefined;
}) {
  const [busy, setBusy] = useState<RenewalsExport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (format: RenewalsExport) => {
    setBusy(format);
    setError(null);
    try {
      await downloadRenewals(format, query);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };
  return (
    <fieldset className="renewals-export" aria-label="Export">
      <button
        type="button"
        className="btn btn-sm"
        onClick={() => void run("csv")}
        disabled={busy !== null || total === 0}
      >
        {busy === "csv" ? "Exporting…" : "Export CSV"}
      </button>
      <button
        type="button"
        className="btn btn-sm"
        onClick={() => void run("ndjson")}
        disabled={busy !== null || total === 0}
      >
        {busy === "ndjson" ? "Exporting…" : "NDJSON"}
      </button>
      {error ? (
        <span className="field-error small" role="alert">
          {error}
        </span>
      ) : null}
    </fieldset>
  );
}
