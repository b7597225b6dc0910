import { type FormEvent, useState } from "react";
import { addDays, formatInteger } from "../../lib/format";
import { ProblemAlert } from "../../ui/ProblemAlert";
import { EmptyState } from "../../ui/states";
import { useMe } from "../auth/queries";
import { useReportingContext } from "../meta/queries";
import { dueLabel, TaskRow } from "../tasks/TaskRow";
import { accountAccess } from "./access";
import { PictureCard } from "./PictureCard";
import { refreshAfterTask, useCreateTask } from "./queries";

function AddTaskForm({
  accountId,
  today,
  disabledReason,
}: {
  accountId: string;
  today: string;
  /** The caller may not change this account: the form is disabled and says why. */
  disabledReason: string | undefined;
}) {
  const create = useCreateTask(accountId);
  const [title, setTitle] = useState("");
  const [due, setDue] = useState("");
  const ready = title.trim() !== "";
  const locked = disabledReason !== undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (locked || !ready || create.isPending) return;
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
        disabled={locked}
        title={disabledReason}
        className="input input-sm picture-form-grow"
        aria-label="Task"
        placeholder="New task, e.g. Send the QBR deck"
        maxLength={300}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
      />
      <input
        disabled={locked}
        title={disabledReason}
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
        disabled={locked || !ready || create.isPending}
        title={disabledReason}
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
        const { work, reason } = accountAccess(me.data?.role, a);
        return (
          <>
            {work ? (
              <AddTaskForm accountId={accountId} today={today} disabledReason={reason} />
            ) : null}
            {a.tasks.length === 0 ? (
              <EmptyState title="No tasks">
                Tasks come from the plays run on this account
                {work && !reason ? ", or add one above" : ""}.
              </EmptyState>
            ) : (
              <ul className="task-list picture-tasks" aria-label="Tasks">
                {a.tasks.map((task) => (
                  <TaskRow
                    key={task.id}
                    task={task}
                    today={today}
                    // a task's assignee ticks it even on an account they may not change
                    canEdit={work && (a.can_edit || task.assignee_id === me.data?.id)}
                    disabledReason={reason}
                    onChanged={refreshAfterTask(accountId)}
                  >
                    {task.playbook_run_id && plays.get(task.playbook_run_id) ? (
                      <span>Play: {plays.get(task.playbook_run_id)}</span>
                    ) : null}
                  </TaskRow>
                ))}
              </ul>
            )}
          </>
        );
      }}
    </PictureCard>
  );
}
