import { useQueryClient } from "@tanstack/react-query";
import { type ChangeEvent, useEffect, useId, useState } from "react";
import { formatDate, formatInteger, formatPercent, formatUtcDateTime } from "../../lib/format";
import { Pill } from "../../ui/Pill";
import { ProblemAlert } from "../../ui/ProblemAlert";
import { ErrorState, LoadingBlock } from "../../ui/states";
import {
  type ConfigDetail,
  downloadVersionYaml,
  invalidateScores,
  isRunFinished,
  useConfigVersions,
  useImportVersion,
  useScoringRun,
} from "./queries";

/** Progress of the re-scoring run an activation started, polled until it ends. */
export function RunProgress({ runId, version }: { runId: string; version: number }) {
  const run = useScoringRun(runId);
  const queryClient = useQueryClient();
  const finished = isRunFinished(run.data);
  useEffect(() => {
    if (finished) invalidateScores(queryClient);
  }, [finished, queryClient]);

  if (run.isError) {
    return <ProblemAlert error={run.error} title="Couldn't follow the scoring run" />;
  }
  const data = run.data;
  const percent = Math.round((data?.progress ?? 0) * 100);
  return (
    <div className="run-progress" data-testid="run-progress">
      <div className="run-progress-title">
        {data?.status === "succeeded"
          ? `Version ${version} is active: ${formatInteger(data.snapshots_written)} accounts re-scored.`
          : data?.status === "failed" || data?.status === "cancelled"
            ? `Re-scoring with version ${version} ${data.status}.`
            : `Re-scoring today's health with version ${version}…`}
      </div>
      <div className="progress">
        <div
          className="progress-track"
          role="progressbar"
          aria-label="Scoring run progress"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
        >
          <div
            className={
              data?.status === "failed" ? "progress-fill progress-failed" : "progress-fill"
            }
            style={{ width: `${percent}%` }}
          />
        </div>
        <div className="progress-text" aria-live="polite">
          {data
            ? `${formatInteger(data.done_shards)} / ${formatInteger(data.total_shards)} shards · ${formatPercent(data.progress, 0)} · ${data.status}`
            : "Starting…"}
        </div>
      </div>
      {data?.error ? <div className="alert alert-error">{data.error}</div> : null}
    </div>
  );
}

function ImportButton({ onImported }: { onImported: (version: ConfigDetail) => void }) {
  const id = useId();
  const importVersion = useImportVersion();
  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    const text = await file.text();
    importVersion.mutate(text, { onSuccess: onImported });
  };
  return (
    <>
      <label htmlFor={id} className={importVersion.isPending ? "btn btn-sm is-busy" : "btn btn-sm"}>
        {importVersion.isPending ? "Importing…" : "Import YAML"}
      </label>
      <input
        id={id}
        type="file"
        accept=".yaml,.yml,application/yaml,text/yaml"
        className="visually-hidden"
        disabled={importVersion.isPending}
        onChange={(e) => void onFile(e)}
      />
      {importVersion.isError ? (
        <div className="versions-alert">
          <ProblemAlert error={importVersion.error} title="Couldn't import the file" />
        </div>
      ) : null}
    </>
  );
}

/** Active version, every version (download, edit from, activate), YAML import, run progress. */
export function VersionsCard({
  active,
  editing,
  canEdit,
  activation,
  onEdit,
  onActivate,
}: {
  active: ConfigDetail;
  /** Version loaded in the editor. */
  editing: number;
  canEdit: boolean;
  activation: { version: number; runId: string } | null;
  onEdit: (version: number) => void;
  onActivate: (version: number) => void;
}) {
  const versions = useConfigVersions();
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const [imported, setImported] = useState<number | null>(null);

  const download = (version: number) => {
    setDownloadError(null);
    downloadVersionYaml(version).catch(setDownloadError);
  };

  return (
    <section className="card table-card" aria-labelledby="versions-title">
      <div className="card-header">
        <div>
          <h2 id="versions-title">Scoring config</h2>
          <div className="muted small" data-testid="active-version">
            Active: <strong>v{active.version}</strong>
            {active.name ? ` · ${active.name}` : ""}
            {active.activated_at ? ` · since ${formatDate(active.activated_at)}` : ""}
          </div>
        </div>
        <div className="toolbar-inline">
          {imported !== null ? (
            <output className="notice">Imported as version {imported}.</output>
          ) : null}
          {canEdit ? (
            <ImportButton
              onImported={(v) => {
                setImported(v.version);
                onEdit(v.version);
              }}
            />
          ) : null}
        </div>
      </div>
      {activation ? (
        <div className="card-body">
          <RunProgress runId={activation.runId} version={activation.version} />
        </div>
      ) : null}
      {downloadError ? (
        <div className="card-body">
          <ProblemAlert error={downloadError} title="Couldn't download" />
        </div>
      ) : null}
      {versions.isPending ? (
        <LoadingBlock lines={3} label="Loading versions" />
      ) : versions.isError ? (
        <ErrorState
          title="Couldn't load the versions"
          error={versions.error}
          onRetry={() => void versions.refetch()}
        />
      ) : (
        <div className="table-scroll versions-scroll">
          <table className="table table-compact" aria-label="Config versions">
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Name</th>
                <th scope="col">Created</th>
                <th scope="col">Activated</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {versions.data.map((v) => (
                <tr key={v.version} data-testid="config-version">
                  <td>
                    v{v.version} {v.is_active ? <Pill tone="green">Active</Pill> : null}
                    {v.version === editing ? <Pill tone="accent">In editor</Pill> : null}
                  </td>
                  <td>{v.name ?? <span className="muted">Unnamed</span>}</td>
                  <td title={formatUtcDateTime(v.created_at)}>{formatDate(v.created_at)}</td>
                  <td title={formatUtcDateTime(v.activated_at)}>
                    {v.activated_at ? formatDate(v.activated_at) : <span className="muted">—</span>}
                  </td>
                  <td>
                    <div className="row-actions">
                      <button
                        type="button"
                        className="btn btn-ghost btn-sm link-btn"
                        onClick={() => download(v.version)}
                      >
                        Download YAML
                      </button>
                      {v.version === editing ? null : (
                        <button
                          type="button"
                          className="btn btn-ghost btn-sm link-btn"
                          onClick={() => onEdit(v.version)}
                        >
                          {canEdit ? "Edit from" : "View"}
                        </button>
                      )}
                      {canEdit && !v.is_active ? (
                        <button
                          type="button"
                          className="btn btn-sm"
                          onClick={() => onActivate(v.version)}
                          disabled={activation !== null && activation.version === v.version}
                        >
                          Activate
                        </button>
                      ) : null}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
