import { type FormEvent, useState } from "react";
import { errorMessage } from "../../api/errors";
import { addDays, formatDate, formatInteger } from "../../lib/format";
import { ProblemAlert } from "../../ui/ProblemAlert";
import { EmptyState } from "../../ui/states";
import { useMe } from "../auth/queries";
import { useReportingContext } from "../meta/queries";
import { canWork, type TaskStatus } from "../today/queries";
import { PictureCard } from "./PictureCard";
import { dueLabel } from "./picture";
import { type TaskView, useCreateTask, useSetTaskStatus } from "./queries";

function TaskRow({
  accountId,
  task,
  play,
  today,
  canEdit,
}: {
  accountId: string;
  task: TaskView;
  play: string | undefined;
  today: string;
  canEdit: boolean;
}) {
  const update = useSetTaskStatus(accountId, task.id);
  // Where the box is going while the request (and the refresh after it) runs: no flicker.
  const [target, setTarget] = useState<TaskStatus | null>(null);
  const status = target ?? task.status;
  const done = status === "done";
  const cancelled = task.status === "cancelled";
  const due = dueLabel(status, task.due_date, today);
  const classes = ["task"];
  if (done) classes.push("task-done");
  if (cancelled) classes.push("task-cancelled");
  if (due.overdue) classes.push("task-overdue");

  return (
    <li className={classes.join(" ")} data-testid="task">
      <label className="check task-check">
        <input
          type="checkbox"
          checked={done}
          disabled={!canEdit || cancelled || update.isPending}
          onChange={(e) => {
            const next: TaskStatus = e.target.checked ? "done" : "open";
            setTarget(next);
            update.mutate(next, { onSettled: () => setTarget(null) });
          }}
        />
        <span className="task-title">{task.title}</span>
      </label>
      <div className="task-meta">
        <span className="task-due" data-testid="task-due">
          {cancelled
            ? "Cancelled"
            : done && task.completed_at
              ? `Done ${formatDate(task.completed_at)}`
              : due.text}
        </span>
        {play ? <span>Play: {play}</span> : null}
      </div>
      {update.isError ? (
        <div className="field-error" role="alert">
          {errorMessage(update.error)}
        </div>
      ) : null}
    </li>
  );
}

function AddTaskForm({ accountId, today }: { accountId: string; today: string }) {
  const create = useCreateTask(accountId);
  const [title, setTitle] = useState("");
  const [due, setDue] = useState("");
  const ready = title.trim() !== "";

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!ready || create.isPending) return;
    create.mutate(
      { title: title.trim(), due_date: due || null },
      {
        onSuccess: () => {
          setTitle("");
          setDue("");
        },
      },
    );
  };

  return (
    <form className="picture-form" aria-label="Add task" onSubmit={submit}>
      <input
        className="input input-sm picture-form-grow"
        aria-label="Task"
        placeholder="New task, e.g. Send the QBR deck"
        maxLength={300}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
      />
      <input
        type="date"
        className="input input-sm"
        aria-label="Due date"
        min={today}
        max={addDays(today, 730)}
        value={due}
        onChange={(e) => setDue(e.target.value)}
      />
      <button
        type="submit"
        className="btn btn-primary btn-sm"
        disabled={!ready || create.isPending}
      >
        {create.isPending ? "Adding…" : "Add task"}
      </button>
      {create.isError ? <ProblemAlert error={create.error} title="Couldn't add the task" /> : null}
    </form>
  );
}

/** Open tasks (overdue stand out) and those done in the last 30 days; tick to complete. */
export function TasksCard({ accountId }: { accountId: string }) {
  const { today } = useReportingContext();
  const me = useMe();
  const work = canWork(me.data?.role);
  return (
    <PictureCard
      accountId={accountId}
      id="tasks"
      title="Tasks"
      aside={(a) => {
        const open = a.tasks.filter((t) => t.status === "open");
        const overdue = open.filter((t) => dueLabel(t.status, t.due_date, today).overdue).length;
        return (
          <span className="muted small" data-testid="tasks-count">
            {formatInteger(open.length)} open
            {overdue ? ` · ${formatInteger(overdue)} overdue` : ""}
          </span>
        );
      }}
    >
      {(a) => {
        const plays = new Map(a.playbook_runs.map((r) => [r.id, r.playbook_name]));
        return (
          <>
            {work ? <AddTaskForm accountId={accountId} today={today} /> : null}
            {a.tasks.length === 0 ? (
              <EmptyState title="No tasks">
                Tasks come from the plays run on this account{work ? ", or add one above" : ""}.
              </EmptyState>
            ) : (
              <ul className="task-list picture-tasks" aria-label="Tasks">
                {a.tasks.map((task) => (
                  <TaskRow
                    key={task.id}
                    accountId={accountId}
                    task={task}
                    play={task.playbook_run_id ? plays.get(task.playbook_run_id) : undefined}
                    today={today}
                    canEdit={work}
                  />
                ))}
              </ul>
            )}
          </>
        );
      }}
    </PictureCard>
  );
}
