import { useMemo, useState } from "react";
import type { ImportField, ImportPreview } from "../../api/client";
import { KIND_LABELS, type Kind } from "../../api/kinds";
import { ProblemAlert } from "../../ui/ProblemAlert";
import { DEFAULT_OPTIONS, ImportOptions, type ImportOptionsState } from "./ImportOptions";
import { MappingEditor } from "./MappingEditor";
import {
  blockingSummary,
  type FieldSource,
  initialMapping,
  initialValues,
  type MappingState,
  mappingIssues,
  presetFields,
  serializeMapping,
  serializeValues,
  setValue,
  unmappedColumns,
  type ValueState,
} from "./mapping";
import type { ImportProgress } from "./ndjson";
import { PreviewCard } from "./PreviewCard";
import { type KnownPreset, type RunRequest, useDryRun, useRunImport } from "./queries";
import { ReviewActions, RunPanel } from "./RunPanel";
import { Steps } from "./Steps";

export interface Session {
  /** Distinguishes previews of a same-named file: a new preview starts a fresh mapping. */
  id: number;
  kind: Kind;
  file: File;
  preset: KnownPreset | null;
  /** The preset was not chosen but recognised from the file's header row. */
  detected: boolean;
  /** A preset of another kind that the header row matches (offered, not applied). */
  otherPreset: KnownPreset | null;
  preview: ImportPreview;
}

type Step = "map" | "review" | "import";

/** Steps 2–4 for one previewed file: map and validate (dry run), then import with progress. */
function DetectedPreset({
  session,
  onUsePreset,
  onDropPreset,
}: {
  session: Session;
  onUsePreset: (preset: KnownPreset) => void;
  onDropPreset: () => void;
}) {
  const { preset, otherPreset, detected } = session;
  if (detected && preset) {
    return (
      <p className="notice" role="status" data-testid="detected-preset">
        This looks like a <strong>{preset.name}</strong> export: its mapping is applied.{" "}
        <button type="button" className="btn btn-ghost btn-sm" onClick={onDropPreset}>
          Map columns myself
        </button>
      </p>
    );
  }
  if (otherPreset) {
    return (
      <p className="field-hint" role="status" data-testid="detected-preset">
        This looks like a <strong>{otherPreset.name}</strong> export, which imports{" "}
        {KIND_LABELS[otherPreset.kind].toLowerCase()}.{" "}
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          onClick={() => onUsePreset(otherPreset)}
        >
          Import it as {otherPreset.name}
        </button>
      </p>
    );
  }
  return null;
}

export function ImportSession({
  session,
  fields,
  onRestart,
  onUsePreset,
  onDropPreset,
}: {
  session: Session;
  fields: ImportField[];
  onRestart: () => void;
  onUsePreset: (preset: KnownPreset) => void;
  onDropPreset: () => void;
}) {
  const { kind, file, preset, preview } = session;
  // The preset's mapping as the server resolved it against this file (alternatives applied).
  const presetMapping = preset ? (preview.preset_mapping ?? preset.mapping) : null;
  const [step, setStep] = useState<Step>("map");
  const [mapping, setMapping] = useState<MappingState>(() =>
    initialMapping(fields, {
      columns: preview.columns,
      suggested: preview.suggested_mapping,
      preset: presetMapping,
    }),
  );
  const [values, setValues] = useState<ValueState>(() => initialValues(preset?.values));
  const [options, setOptions] = useState<ImportOptionsState>(DEFAULT_OPTIONS);
  const [progress, setProgress] = useState<ImportProgress>({ done: 0, total: 0 });
  const dryRun = useDryRun();
  const run = useRunImport(setProgress);

  const issues = useMemo(
    () => mappingIssues(fields, mapping, preview.columns),
    [fields, mapping, preview.columns],
  );
  const wireMapping = serializeMapping(mapping);
  const unmapped = unmappedColumns(preview.columns, wireMapping, preset?.reads);
  const request: RunRequest = {
    kind,
    file,
    mapping: wireMapping,
    values: serializeValues(values),
    preset: preset?.key ?? null,
    ...options,
  };

  const validate = () => {
    dryRun.mutate(request, { onSuccess: () => setStep("review") });
  };
  const startImport = () => {
    setProgress({ done: 0, total: 0 });
    setStep("import");
    run.mutate(request);
  };
  const backToMapping = () => {
    dryRun.reset();
    run.reset();
    setStep("map");
  };

  const stepNumber = step === "map" ? 2 : step === "review" ? 3 : 4;
  const title = `${KIND_LABELS[kind]}${preset ? ` · ${preset.name}` : ""}`;

  return (
    <>
      <Steps current={run.isSuccess ? 5 : stepNumber} />
      <p className="wizard-context">
        Importing <strong>{title}</strong> from <strong>{file.name}</strong>{" "}
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          onClick={onRestart}
          disabled={run.isPending}
        >
          Change
        </button>
      </p>

      {step === "map" ? (
        <>
          <DetectedPreset session={session} onUsePreset={onUsePreset} onDropPreset={onDropPreset} />
          <PreviewCard file={file} preview={preview} />
          <MappingEditor
            fields={fields}
            preview={preview}
            mapping={mapping}
            issues={issues}
            locked={presetFields(presetMapping)}
            onChange={(field: string, source: FieldSource) =>
              setMapping((prev) => ({ ...prev, [field]: source }))
            }
            values={values}
            onValue={(field, source, target) =>
              setValues((prev) => setValue(prev, field, source, target, preset?.values))
            }
            unmapped={unmapped}
          />
          <ImportOptions
            kind={kind}
            hasPreset={Boolean(preset)}
            value={options}
            onChange={(patch) => setOptions((prev) => ({ ...prev, ...patch }))}
          />
          {dryRun.isError ? <ProblemAlert error={dryRun.error} title="Validation failed" /> : null}
          <div className="wizard-actions">
            {issues.length ? (
              <p className="field-error" role="status" id="mapping-blocked">
                {blockingSummary(issues)}
              </p>
            ) : null}
            <button
              type="button"
              className="btn btn-primary"
              disabled={issues.length > 0 || dryRun.isPending}
              aria-describedby={issues.length ? "mapping-blocked" : undefined}
              onClick={validate}
            >
              {dryRun.isPending ? "Validating…" : "Validate (dry run)"}
            </button>
          </div>
        </>
      ) : null}

      {step === "review" && dryRun.data ? (
        <ReviewActions report={dryRun.data} onBack={backToMapping} onImport={startImport} />
      ) : null}

      {step === "import" ? (
        <RunPanel
          progress={progress}
          pending={run.isPending}
          error={run.error}
          report={run.data}
          onBack={backToMapping}
          onRestart={onRestart}
        />
      ) : null}
    </>
  );
}
