import type { ImportReport } from "../../api/client";
import { asProblem, problemMessage } from "../../api/errors";

/** A line of an NDJSON stream that is not valid JSON. */
export class NdjsonError extends Error {
  override name = "NdjsonError";
}

function parseLine(line: string, lineNumber: number): { value: unknown } | null {
  const text = line.trim(); // also drops the \r of \r\n
  if (!text) return null;
  try {
    return { value: JSON.parse(text) };
  } catch {
    throw new NdjsonError(`The server sent a malformed line (${lineNumber}): ${text.slice(0, 80)}`);
  }
}

/**
 * Newline-delimited JSON from a byte stream, one parsed value per line, as chunks arrive.
 * Handles lines split across chunks (also inside a multi-byte character), blank lines,
 * `\r\n`, and a last line without a trailing newline. Stopping early cancels the stream.
 */
export async function* readNdjson(stream: ReadableStream<Uint8Array>): AsyncGenerator<unknown> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let lineNumber = 0;
  let finished = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let newline = buffer.indexOf("\n");
      while (newline >= 0) {
        lineNumber += 1;
        const parsed = parseLine(buffer.slice(0, newline), lineNumber);
        buffer = buffer.slice(newline + 1);
        if (parsed) yield parsed.value;
        newline = buffer.indexOf("\n");
      }
    }
    finished = true;
    const parsed = parseLine(buffer + decoder.decode(), lineNumber + 1);
    if (parsed) yield parsed.value;
  } finally {
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

export interface ImportProgress {
  done: number;
  total: number;
}

/** The import stream reported a failure, or ended without a result. */
export class ImportStreamError extends Error {
  override name = "ImportStreamError";
}

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

function failureMessage(detail: unknown): string {
  if (typeof detail === "string" && detail) return detail;
  const problem = asProblem(detail);
  if (problem && (problem.detail || problem.errors?.length || problem.title)) {
    return problemMessage(500, problem);
  }
  return "The import failed on the server.";
}

/**
 * Consume `import:run`'s NDJSON answer: `{"type":"progress","rows_done","rows_total"}` lines
 * go to `onProgress`; resolves with the `{"type":"result", ...ImportReport}` line; rejects on
 * a `{"type":"error","detail"}` line or when the stream ends without a result. Unknown line
 * types are ignored (a newer server may add some).
 */
export async function readImportStream(
  stream: ReadableStream<Uint8Array>,
  onProgress: (progress: ImportProgress) => void,
): Promise<ImportReport> {
  for await (const line of readNdjson(stream)) {
    if (!line || typeof line !== "object" || Array.isArray(line)) continue;
    const event = line as Record<string, unknown>;
    if (event.type === "progress") {
      onProgress({ done: count(event.rows_done), total: count(event.rows_total) });
    } else if (event.type === "result") {
      const { type: _type, ...report } = event;
      return report as unknown as ImportReport;
    } else if (event.type === "error") {
      throw new ImportStreamError(failureMessage(event.detail));
    }
  }
  throw new ImportStreamError(
    "The connection closed before the import reported a result. Check Sources before importing the file again.",
  );
}
