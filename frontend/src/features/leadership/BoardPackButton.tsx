import { useState } from "react";
import { errorMessage } from "../../api/errors";
import { downloadFile } from "../../lib/download";
import type { ListScope } from "../../lib/scope";

/**
 * Download the board pack PDF through the typed client, so the bearer token goes with it (as
 * the Book's export does): the file is saved under the name the server gives it.
 */
export function downloadBoardPack(scope?: ListScope | ""): Promise<void> {
  return downloadFile(
    "/api/v1/metrics/board-pack.pdf",
    { query: scope ? { scope } : {} },
    "tempo-board-pack.pdf",
  );
}

/**
 * "Board pack (PDF)": the leadership figures, the three first-screen answers and their
 * definitions as a PDF for a board meeting (leaders and admins). It takes a few seconds to
 * render: the button says so while it does.
 */
export function BoardPackButton({ scope }: { scope?: ListScope | "" }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      await downloadBoardPack(scope);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="toolbar-inline">
      <button
        type="button"
        className="btn"
        onClick={() => void run()}
        disabled={busy}
        aria-busy={busy}
      >
        {busy ? "Preparing the board pack…" : "Board pack (PDF)"}
      </button>
      {busy ? (
        <span className="inline-field" role="status">
          <progress aria-label="Rendering the board pack" />
          <span className="muted small">Rendering the PDF…</span>
        </span>
      ) : null}
      {error ? (
        <span className="field-error" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}
