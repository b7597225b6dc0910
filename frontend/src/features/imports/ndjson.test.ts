import { describe, expect, it, vi } from "vitest";
import { ImportStreamError, NdjsonError, readImportStream, readNdjson } from "./ndjson";

const encoder = new TextEncoder();

/** A byte stream delivering exactly these chunks (strings or raw bytes). */
function streamOf(chunks: (string | Uint8Array)[], onCancel?: () => void) {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[i++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
    },
    cancel: onCancel,
  });
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const value of readNdjson(stream)) out.push(value);
  return out;
}

const report = {
  kind: "accounts",
  dry_run: false,
  rows: 3,
  accepted: 2,
  updated: 0,
  duplicates: 0,
  unmatched: 0,
  replayed: 0,
  rejected: [{ row: 4, id: "A-3", errors: [{ loc: ["arr"], msg: "not a number" }] }],
  warnings: [],
  mapping: { external_id: "ID" },
};

describe("readNdjson", () => {
  it("reassembles lines split across chunks", async () => {
    const stream = streamOf(['{"a":', '1}\n{"b"', ':[1,2]}\n{"c":', '"x"}\n']);
    expect(await collect(stream)).toEqual([{ a: 1 }, { b: [1, 2] }, { c: "x" }]);
  });

  it("handles several lines in one chunk and a multi-byte character split between chunks", async () => {
    const bytes = encoder.encode('{"name":"Zoë"}\n');
    const cut = bytes.indexOf(0xc3) + 1; // inside the two bytes of "ë"
    const stream = streamOf(['{"n":1}\n{"n":2}\n', bytes.slice(0, cut), bytes.slice(cut)]);
    expect(await collect(stream)).toEqual([{ n: 1 }, { n: 2 }, { name: "Zoë" }]);
  });

  it("yields a final line that has no trailing newline", async () => {
    expect(await collect(streamOf(['{"n":1}\n{"n"', ":2}"]))).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it("skips blank lines and tolerates \\r\\n", async () => {
    expect(await collect(streamOf(['{"n":1}\r\n\r\n', '\n{"n":2}\r\n']))).toEqual([
      { n: 1 },
      { n: 2 },
    ]);
  });

  it("yields nothing for an empty stream", async () => {
    expect(await collect(streamOf([]))).toEqual([]);
  });

  it("rejects a malformed line, naming it", async () => {
    await expect(collect(streamOf(['{"n":1}\n', "oops\n"]))).rejects.toThrow(NdjsonError);
    await expect(collect(streamOf(['{"n":1}\n', "oops\n"]))).rejects.toThrow(/\(2\): oops/);
  });
});

describe("readImportStream", () => {
  it("reports progress, then resolves with the result line's report", async () => {
    const onProgress = vi.fn();
    const stream = streamOf([
      '{"type":"progress","rows_done":1,"rows_total":3}\n{"type":"prog',
      'ress","rows_done":3,"rows_total":3}\n',
      `${JSON.stringify({ type: "result", ...report })}`,
    ]);
    await expect(readImportStream(stream, onProgress)).resolves.toEqual(report);
    expect(onProgress.mock.calls).toEqual([[{ done: 1, total: 3 }], [{ done: 3, total: 3 }]]);
  });

  it("rejects with the server's detail on an error line", async () => {
    const onProgress = vi.fn();
    const stream = streamOf([
      '{"type":"progress","rows_done":500,"rows_total":1000}\n',
      '{"type":"error","detail":"Row 501: the database went away"}\n',
    ]);
    const error = await readImportStream(stream, onProgress).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportStreamError);
    expect((error as Error).message).toBe("Row 501: the database went away");
    expect(onProgress).toHaveBeenCalledTimes(1);
  });

  it("reads a problem object as the error detail", async () => {
    const stream = streamOf([
      '{"type":"error","detail":{"title":"Bad file","status":400,"detail":"Sheet is empty"}}',
    ]);
    await expect(readImportStream(stream, () => {})).rejects.toThrow("Sheet is empty");
  });

  it("rejects when the stream ends without a result", async () => {
    const stream = streamOf(['{"type":"progress","rows_done":1,"rows_total":3}\n']);
    await expect(readImportStream(stream, () => {})).rejects.toThrow(/closed before the import/);
  });

  it("ignores unknown line types and stops reading after the result", async () => {
    const cancel = vi.fn();
    const stream = streamOf(
      ['{"type":"heartbeat"}\n', `${JSON.stringify({ type: "result", ...report })}\n`, "junk\n"],
      cancel,
    );
    await expect(readImportStream(stream, () => {})).resolves.toEqual(report);
    expect(cancel).toHaveBeenCalled();
  });
});
