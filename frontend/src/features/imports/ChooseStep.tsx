import { isKind, KIND_LABELS, KINDS, type Kind } from "../../api/kinds";
import { FileDrop } from "../../ui/FileDrop";
import { ProblemAlert } from "../../ui/ProblemAlert";
import type { KnownPreset } from "./queries";

export const FILE_EXTENSIONS = [".csv", ".xlsx"] as const;

/** Step 1: what the file contains (a kind, or a preset that fixes kind and mapping) and the file. */
export function ChooseStep({
  kind,
  onKind,
  presets,
  preset,
  onPreset,
  detectedFrom = null,
  file,
  onFile,
  onPreview,
  previewing,
  previewError,
}: {
  kind: Kind | null;
  onKind: (kind: Kind | null) => void;
  presets: KnownPreset[] | undefined;
  preset: KnownPreset | null;
  onPreset: (preset: KnownPreset | null) => void;
  /** The file whose header row chose the preset, when it was chosen that way. */
  detectedFrom?: string | null;
  file: File | null;
  onFile: (file: File) => void;
  onPreview: () => void;
  previewing: boolean;
  previewError: unknown;
}) {
  const missing = !kind ? "Choose what the file contains." : !file ? "Choose a file." : "";
  return (
    <section className="card" aria-labelledby="choose-title">
      <div className="card-header">
        <h2 id="choose-title">What are you importing?</h2>
      </div>
      <form
        className="card-body wizard-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (!missing && !previewing) onPreview();
        }}
      >
        <div className="wizard-row">
          <label className="field">
            <span className="field-label">Preset</span>
            <select
              className="select"
              value={preset?.key ?? ""}
              onChange={(e) => onPreset(presets?.find((p) => p.key === e.target.value) ?? null)}
              disabled={!presets?.length}
            >
              <option value="">
                {presets ? "No preset: map columns myself" : "Loading presets…"}
              </option>
              {presets?.map((p) => (
                <option key={p.key} value={p.key}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">Kind of data</span>
            <select
              className="select"
              value={kind ?? ""}
              onChange={(e) => onKind(isKind(e.target.value) ? e.target.value : null)}
              disabled={Boolean(preset)}
              title={preset ? "Set by the preset" : undefined}
            >
              <option value="">Choose…</option>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {KIND_LABELS[k]}
                </option>
              ))}
            </select>
          </label>
        </div>
        {preset && detectedFrom ? (
          <p className="notice" data-testid="detected-on-drop">
            {detectedFrom} looks like a {preset.name} export: its preset is chosen. Pick another if
            it is not.
          </p>
        ) : null}
        {preset ? <p className="field-hint">{preset.description}</p> : null}

        <FileDrop
          file={file}
          onFile={onFile}
          extensions={FILE_EXTENSIONS}
          label="File to import"
          disabled={previewing}
        />

        {previewError ? <ProblemAlert error={previewError} title="Couldn't read the file" /> : null}

        <div className="wizard-actions">
          {missing ? <span className="muted">{missing}</span> : null}
          <button
            type="submit"
            className="btn btn-primary"
            disabled={Boolean(missing) || previewing}
          >
            {previewing ? "Reading the file…" : "Next: preview and map"}
          </button>
        </div>
      </form>
    </section>
  );
}
