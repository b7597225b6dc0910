import { type DragEvent, useId, useState } from "react";
import { formatInteger } from "../lib/format";

function hasExtension(name: string, extensions: readonly string[]): boolean {
  const lower = name.toLowerCase();
  return extensions.some((ext) => lower.endsWith(ext));
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${formatInteger(bytes)} B`;
  if (bytes < 1024 * 1024) return `${formatInteger(Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * Drop zone and file picker in one: drop a file on it, or click / press Enter to browse.
 * Only files ending in one of `extensions` (e.g. [".csv", ".xlsx"]) are accepted.
 */
export function FileDrop({
  file,
  onFile,
  extensions,
  label,
  disabled = false,
}: {
  file: File | null;
  onFile: (file: File) => void;
  extensions: readonly string[];
  label: string;
  disabled?: boolean;
}) {
  const inputId = useId();
  const [over, setOver] = useState(false);
  const [rejected, setRejected] = useState("");
  const kinds = extensions.join(" or ");

  const take = (candidate: File | undefined) => {
    if (!candidate) return;
    if (!hasExtension(candidate.name, extensions)) {
      setRejected(`“${candidate.name}” is not a ${kinds} file.`);
      return;
    }
    setRejected("");
    onFile(candidate);
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    if (!disabled) take(event.dataTransfer.files[0]);
  };

  return (
    <div className="field">
      <label
        htmlFor={inputId}
        className={`dropzone${over ? " dropzone-over" : ""}${disabled ? " dropzone-disabled" : ""}`}
        onDragOver={(event) => {
          event.preventDefault();
          if (!disabled) setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        data-testid="file-drop"
      >
        <input
          id={inputId}
          type="file"
          className="visually-hidden"
          accept={extensions.join(",")}
          aria-label={label}
          disabled={disabled}
          onChange={(event) => {
            take(event.target.files?.[0]);
            event.target.value = ""; // choosing the same file again still fires onChange
          }}
        />
        {file ? (
          <>
            <span className="dropzone-file">{file.name}</span>
            <span className="muted">
              {formatSize(file.size)} · drop another file or click to replace it
            </span>
          </>
        ) : (
          <>
            <span className="dropzone-title">Drop a file here, or click to choose one</span>
            <span className="muted">{kinds} files</span>
          </>
        )}
      </label>
      {rejected ? (
        <p className="field-error" role="alert">
          {rejected}
        </p>
      ) : null}
    </div>
  );
}
