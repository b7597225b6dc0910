import { type FormEvent, useState } from "react";
import { ApiError } from "../../api/errors";
import { formatDate, humanize } from "../../lib/format";
import { Pill, type Tone } from "../../ui/Pill";
import { ProblemAlert } from "../../ui/ProblemAlert";
import { EmptyState, ErrorState, LoadingBlock } from "../../ui/states";
import { useMe } from "../auth/queries";
import { accountAccess } from "./access";
import { PictureCard } from "./PictureCard";
import { plural } from "./picture";
import { type RunView, usePlaybooks, useStartAccountPlay } from "./queries";

const RUN_TONES: Record<string, Tone> = {
  active: "accent",
  completed: "green",
  cancelled: "neutral",
};

function runTone(status: string): Tone {
  return Object.hasOwn(RUN_TONES, status) ? (RUN_TONES[status] as Tone) : "neutral";
}

function RunRow({ run }: { run: RunView }) {
  return (
    <li className="picture-row" data-testid="play-run">
      <div className="picture-row-main">
        <strong>{run.playbook_name}</strong>
        <span className="muted small">
          Started {formatDate(run.started_at)}
          {run.completed_at ? ` · ended ${formatDate(run.completed_at)}` : ""}
          {run.outcome ? ` · ${humanize(run.outcome)}` : ""}
        </span>
      </div>
      <div className="picture-row-side">
        <Pill tone={runTone(run.status)}>{humanize(run.status)}</Pill>
        <span className="small muted" data-testid="play-run-tasks">
          {run.tasks_total === 0
            ? "No tasks"
            : `${run.tasks_open} of ${plural(run.tasks_total, "task", "tasks")} open`}
        </span>
      </div>
    </li>
  );
}

/** Choose an active playbook and start it on the account; 409 = it is already running. */
function StartPlay({ accountId, onClose }: { accountId: string; onClose: () => void }) {
  const playbooks = usePlaybooks(true);
  const start = useStartAccountPlay(accountId);
  const [chosen, setChosen] = useState("");
  const active = (playbooks.data ?? []).filter((p) => p.is_active);
  const name = active.find((p) => p.id === chosen)?.name ?? "This play";
  const conflict = start.error instanceof ApiError && start.error.status === 409;

  if (playbooks.isPending) return <LoadingBlock lines={1} label="Loading playbooks" />;
  if (playbooks.isError) {
    return (
      <ErrorState
        title="Couldn't load the playbooks"
        error={playbooks.error}
        onRetry={() => void playbooks.refetch()}
      />
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (chosen) start.mutate(chosen);
  };

  return (
    <form className="picture-form" aria-label="Start a play" onSubmit={submit}>
      <select
        className="select select-sm picture-form-grow"
        aria-label="Playbook"
        value={chosen}
        onChange={(e) => {
          setChosen(e.target.value);
          start.reset();
        }}
      >
        <option value="">Choose a playbook…</option>
        {active.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
      <button
        type="submit"
        className="btn btn-primary btn-sm"
        disabled={!chosen || start.isPending}
      >
        {start.isPending ? "Starting…" : "Start"}
      </button>
      <button type="button" className="btn btn-ghost btn-sm" onClick={onClose}>
        Close
      </button>
      {conflict ? (
        <p className="alert alert-info" role="status" data-testid="play-conflict">
          {name} is already running on this account, so it was not started again.
        </p>
      ) : null}
      {start.isError && !conflict ? (
        <ProblemAlert error={start.error} title="Couldn't start the play" />
      ) : null}
      {start.isSuccess ? (
        <output className="notice" data-testid="play-started">
          Started {start.data.playbook_name ?? name} ·{" "}
          {plural(start.data.tasks?.length ?? 0, "task", "tasks")} created
        </output>
      ) : null}
    </form>
  );
}

/** The plays run on this account, newest first, and a way to start one by hand. */
export function PlaysCard({ accountId }: { accountId: string }) {
  const me = useMe();
  const [starting, setStarting] = useState(false);
  return (
    <PictureCard
      accountId={accountId}
      id="plays"
      title="Plays"
      aside={(a) => {
        const access = accountAccess(me.data?.role, a);
        const open = starting && !access.locked;
        return access.work && !open ? (
          <button
            type="button"
            className="btn btn-sm"
            disabled={access.locked}
            title={access.reason}
            onClick={() => setStarting(true)}
          >
            Start a play…
          </button>
        ) : null;
      }}
    >
      {(a) => (
        <>
          {starting && a.can_edit !== false ? (
            <StartPlay accountId={accountId} onClose={() => setStarting(false)} />
          ) : null}
          {a.playbook_runs.length === 0 ? (
            <EmptyState title="No plays yet">
              Plays start from alerts on the Today page, or by hand here.
            </EmptyState>
          ) : (
            <ul className="picture-list" aria-label="Plays">
              {a.playbook_runs.map((run) => (
                <RunRow key={run.id} run={run} />
              ))}
            </ul>
          )}
        </>
      )}
    </PictureCard>
  );
}
