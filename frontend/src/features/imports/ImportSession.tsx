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
  type MappingState,
  mappingIssues,
  presetFields,
  serializeMapping,
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
  preview: ImportPreview;
}

type Step = "map" | "review" | "import";

/** Steps 2–4 for one previewed file: map and validate (dry run), then import with progress. */
export function ImportSession({
  session,
  fields,
  onRestart,
}: {
  session: Session;
  fields: ImportField[];
  onRestart: () => void;
}) {
  const { kind, file, preset, preview } = session;
  const [step, setStep] = useState<Step>("map");
  const [mapping, setMapping] = useState<MappingState>(() =>
    initialMapping(fields, {
      columns: preview.columns,
      suggested: preview.suggested_mapping,
      preset: preset?.mapping,
    }),
  );
  const [options, setOptions] = useState<ImportOptionsState>(DEFAULT_OPTIONS);
  const [progress, setProgress] = useState<ImportProgress>({ done: 0, total: 0 });
  const dryRun = useDryRun();
  const run = useRunImport(setProgress);

  const issues = useMemo(
    () => mappingIssues(fields, mapping, preview.columns),
    [fields, mapping, preview.columns],
  );
  const request: RunRequest = {
    kind,
    file,
    mapping: serializeMapping(mapping),
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
          <PreviewCard file={file} preview={preview} />
          <MappingEditor
            fields={fields}
            preview={preview}
            mapping={mapping}
            issues={issues}
            locked={presetFields(preset?.mapping)}
            onChange={(field: string, source: FieldSource) =>
              setMapping((prev) => ({ ...prev, [field]: source }))
            }
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
