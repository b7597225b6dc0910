import { Link } from "@tanstack/react-router";
import { type ReactNode, useId, useState } from "react";
import { formatDate, formatInteger, formatScore, formatUtcDateTime } from "../../lib/format";
import { Dialog } from "../../ui/Dialog";
import { QuadrantPill } from "../../ui/health";
import { Pill } from "../../ui/Pill";
import { ProblemAlert } from "../../ui/ProblemAlert";
import { Segmented } from "../../ui/Segmented";
import { EmptyState, ErrorState, LoadingBlock } from "../../ui/states";
import {
  type PlaybookRun,
  RUNS_LIMIT,
  type RunStatus,
  useCompleteRun,
  usePlaybookRuns,
} from "./queries";

type StatusFilter = RunStatus | "all";

const FILTERS: { value: StatusFilter; label: string }[] = [
  { value: "active", label: "Active" },
  { value: "completed", label: "Completed" },
  { value: "all", label: "All" },
];

function RunStatusPill({ status }: { status: string }) {
  if (status === "active") return <Pill tone="blue">Active</Pill>;
  if (status === "completed") return <Pill tone="green">Completed</Pill>;
  if (status === "cancelled") return <Pill>Cancelled</Pill>;
  return <Pill>{status}</Pill>;
}

function CompleteDialog({ run, onClose }: { run: PlaybookRun; onClose: () => void }) {
  const id = useId();
  const [outcome, setOutcome] = useState("");
  const complete = useCompleteRun();
  const submit = () =>
    complete.mutate(
      { runId: run.id, outcome: outcome.trim() || null },
      { onSuccess: () => onClose() },
    );
  return (
    <Dialog
      title={`Complete ${run.playbook_name ?? "the run"} for ${run.account_name ?? "this account"}?`}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="btn btn-primary"
            disabled={complete.isPending}
            onClick={submit}
          >
            {complete.isPending ? "Completing…" : "Complete run"}
          </button>
        </>
      }
    >
      <form
        className="dialog-form"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <p className="dialog-lead">Its open tasks are cancelled; done tasks stay done.</p>
        <label className="field" htmlFor={id}>
          <span className="field-label">Outcome (optional)</span>
          <input
            id={id}
            className="input"
            maxLength={500}
            placeholder="e.g. Sponsor re-engaged, renewal on track"
            value={outcome}
            onChange={(e) => setOutcome(e.target.value)}
          />
        </label>
        {complete.isError ? (
          <ProblemAlert error={complete.error} title="Couldn't complete the run" />
        ) : null}
      </form>
    </Dialog>
  );
}

/** The latest runs of the selected play, with Complete for active ones. */
export function RunsCard({ playbookId, canWork }: { playbookId: string; canWork: boolean }) {
  const [filter, setFilter] = useState<StatusFilter>("active");
  const runs = usePlaybookRuns(playbookId, filter === "all" ? null : filter);
  const [completing, setCompleting] = useState<PlaybookRun | null>(null);

  // Filtered by status, the status column says nothing; active runs have no outcome yet.
  const showStatus = filter === "all";
  const showOutcome = filter !== "active";
  const showActions = canWork && filter !== "completed";

  let body: ReactNode;
  if (runs.isPending) body = <LoadingBlock lines={5} label="Loading runs" />;
  else if (runs.isError) {
    body = (
      <ErrorState
        title="Couldn't load the runs"
        error={runs.error}
        onRetry={() => void runs.refetch()}
      />
    );
  } else if (!runs.data.length) {
    body = (
      <EmptyState
        title={
          filter === "active"
            ? "No active runs"
            : filter === "completed"
              ? "No completed runs"
              : "No runs yet"
        }
      >
        {filter === "all"
          ? "Runs appear when the trigger fires or someone starts the play on an account."
          : null}
      </EmptyState>
    );
  } else {
    body = (
      <div className={runs.isPlaceholderData ? "table-scroll is-busy" : "table-scroll"}>
        <table className="table table-compact" aria-label="Runs of this play">
          <thead>
            <tr>
              <th scope="col">Account</th>
              <th scope="col">Started</th>
              {showStatus ? <th scope="col">Status</th> : null}
              <th scope="col" className="num">
                Tasks done
              </th>
              <th scope="col" title="Health and quadrant when the run started">
                At start
              </th>
              {showOutcome ? <th scope="col">Outcome</th> : null}
              {showActions ? (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {runs.data.map((run) => {
              const tasks = run.tasks ?? [];
              const done = tasks.filter((t) => t.status === "done").length;
              return (
                <tr key={run.id} data-testid="run-row">
                  <td>
                    <Link to="/accounts/$accountId" params={{ accountId: run.account_id }}>
                      {run.account_name ?? "Account"}
                    </Link>
                  </td>
                  <td title={formatUtcDateTime(run.started_at)}>{formatDate(run.started_at)}</td>
                  {showStatus ? (
                    <td>
                      <RunStatusPill status={run.status} />
                    </td>
                  ) : null}
                  <td className="num">
                    {formatInteger(done)} of {formatInteger(tasks.length)}
                  </td>
                  <td>
                    <span className="pb-run-start">
                      {run.health_at_start !== null ? (
                        <span title="Health at start">{formatScore(run.health_at_start)}</span>
                      ) : null}
                      {run.quadrant_at_start ? (
                        <QuadrantPill quadrant={run.quadrant_at_start} />
                      ) : null}
                    </span>
                  </td>
                  {showOutcome ? (
                    <td className="pb-run-outcome">
                      {run.outcome ?? <span className="muted">—</span>}
                    </td>
                  ) : null}
                  {showActions ? (
                    <td>
                      {canWork && run.status === "active" ? (
                        <button
                          type="button"
                          className="btn btn-sm"
                          aria-label={`Complete the run for ${run.account_name ?? "this account"}`}
                          onClick={() => setCompleting(run)}
                        >
                          Complete
                        </button>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
        {runs.data.length >= RUNS_LIMIT ? (
          <p className="muted small pb-runs-more">The latest {RUNS_LIMIT} are shown.</p>
        ) : null}
      </div>
    );
  }

  return (
    <section className="card pb-runs" aria-labelledby="pb-runs-title" data-testid="runs">
      <div className="card-header">
        <h2 id="pb-runs-title">Recent runs</h2>
        <Segmented label="Run status" options={FILTERS} value={filter} onChange={setFilter} />
      </div>
      {body}
      {completing ? <CompleteDialog run={completing} onClose={() => setCompleting(null)} /> : null}
    </section>
  );
}
