import { useState } from "react";
import { Dialog } from "../../ui/Dialog";
import { ProblemAlert } from "../../ui/ProblemAlert";
import { ErrorState, LoadingBlock } from "../../ui/states";
import { useMe } from "../auth/queries";
import { useReportingContext } from "../meta/queries";
import {
  type ConfigDetail,
  useActivateVersion,
  useActiveConfig,
  useConfigVersion,
} from "./queries";
import { ScoringEditor } from "./ScoringEditor";
import { ValidationReport } from "./ValidationReport";
import { VersionsCard } from "./VersionsCard";

function EditorFor({
  active,
  version,
  readOnly,
  currency,
  onActivate,
}: {
  active: ConfigDetail;
  version: number;
  readOnly: boolean;
  currency: string;
  onActivate: (version: number) => void;
}) {
  const other = useConfigVersion(version === active.version ? null : version);
  const initial = version === active.version ? active : other.data;
  if (!initial) {
    return (
      <section className="card">
        {other.isError ? (
          <ErrorState
            title={`Couldn't load version ${version}`}
            error={other.error}
            onRetry={() => void other.refetch()}
          />
        ) : (
          <LoadingBlock lines={8} label={`Loading version ${version}`} />
        )}
      </section>
    );
  }
  // A fresh editor per version: its draft starts from that version's body.
  return (
    <ScoringEditor
      key={initial.version}
      initial={initial}
      readOnly={readOnly}
      currency={currency}
      onActivate={onActivate}
    />
  );
}

/** Settings → Scoring: versions, the config editor with impact preview, the validation report. */
export function ScoringSettings() {
  const me = useMe();
  const canEdit = me.data?.role === "admin";
  const { currency } = useReportingContext();
  const active = useActiveConfig();
  const activate = useActivateVersion();
  const [editing, setEditing] = useState<number | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const [activation, setActivation] = useState<{ version: number; runId: string } | null>(null);

  if (active.isPending) {
    return (
      <section className="card">
        <LoadingBlock lines={8} label="Loading the scoring config" />
      </section>
    );
  }
  if (active.isError) {
    return (
      <section className="card">
        <ErrorState
          title="Couldn't load the scoring config"
          error={active.error}
          onRetry={() => void active.refetch()}
        />
      </section>
    );
  }

  const version = editing ?? active.data.version;
  const confirm = () => {
    if (confirming === null) return;
    const target = confirming;
    setConfirming(null);
    activate.mutate(target, {
      onSuccess: (result) => setActivation({ version: result.version, runId: result.run_id }),
    });
  };

  return (
    <>
      {activate.isError ? (
        <ProblemAlert error={activate.error} title="Couldn't activate the version" />
      ) : null}
      <VersionsCard
        active={active.data}
        editing={version}
        canEdit={canEdit}
        activation={activation}
        onEdit={setEditing}
        onActivate={setConfirming}
      />
      <div className="settings-grid">
        <div className="settings-main">
          <EditorFor
            active={active.data}
            version={version}
            readOnly={!canEdit}
            currency={currency}
            onActivate={setConfirming}
          />
        </div>
        <aside className="settings-side">
          <ValidationReport />
        </aside>
      </div>
      {confirming !== null ? (
        <Dialog
          title={`Activate version ${confirming}?`}
          onClose={() => setConfirming(null)}
          footer={
            <>
              <button type="button" className="btn" onClick={() => setConfirming(null)}>
                Cancel
              </button>
              <button
                type="button"
                className="btn btn-primary"
                onClick={confirm}
                disabled={activate.isPending}
              >
                Activate and re-score
              </button>
            </>
          }
        >
          <p className="dialog-lead">
            Today’s health of every account is recomputed with version {confirming}. Scores of
            earlier days keep the version they were computed with.
          </p>
        </Dialog>
      ) : null}
    </>
  );
}
