import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { errorMessage } from "../../api/errors";
import { daysBetween, formatDate } from "../../lib/format";
import { type Task, type TaskStatus, useUpdateTask } from "./queries";

function dueLabel(task: Task, today: string): { text: string; overdue: boolean } {
  if (!task.due_date) return { text: "No due date", overdue: false };
  const days = daysBetween(today, task.due_date);
  const open = task.status === "open";
  if (open && days !== null && days < 0) {
    return { text: `Overdue · ${formatDate(task.due_date)}`, overdue: true };
  }
  if (days === 0) return { text: "Due today", overdue: false };
  if (days === 1) return { text: "Due tomorrow", overdue: false };
  return { text: `Due ${formatDate(task.due_date)}`, overdue: false };
}

function TaskRow({
  task,
  today,
  canEdit,
  account,
}: {
  task: Task;
  today: string;
  canEdit: boolean;
  /** Link to the task's account, with its name when known. */
  account?: { id: string; name: string | undefined } | undefined;
}) {
  const update = useUpdateTask(task.id);
  // While the request runs, show where the box is going. Local state, set in the event
  // handler: the mutation's own pending state arrives a tick later and the box would flicker.
  const [target, setTarget] = useState<TaskStatus | null>(null);
  const status = target ?? task.status;
  const done = status === "done";
  const cancelled = task.status === "cancelled";
  const due = dueLabel({ ...task, status }, today);
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
            const next = e.target.checked ? "done" : "open";
            setTarget(next);
            update.mutate(next, { onSettled: () => setTarget(null) });
          }}
        />
        <span className="task-title">{task.title}</span>
      </label>
      <div className="task-meta">
        <span className="task-due" data-testid="task-due">
          {cancelled ? "Cancelled" : due.text}
        </span>
        {account ? (
          <Link to="/accounts/$accountId" params={{ accountId: account.id }}>
            {account.name ?? "Open account"}
          </Link>
        ) : null}
      </div>
      {update.isError ? (
        <div className="field-error" role="alert">
          {errorMessage(update.error)}
        </div>
      ) : null}
    </li>
  );
}

/** Tasks with a checkbox each: ticking one marks it done on the server, unticking opens it again. */
export function TaskList({
  tasks,
  today,
  canEdit,
  accountNames,
  label,
}: {
  tasks: Task[];
  today: string;
  canEdit: boolean;
  /** When given, each task links to its account (named when the map knows it). */
  accountNames?: ReadonlyMap<string, string>;
  label: string;
}) {
  return (
    <ul className="task-list" aria-label={label}>
      {tasks.map((task) => (
        <TaskRow
          key={task.id}
          task={task}
          today={today}
          canEdit={canEdit}
          account={
            accountNames
              ? {
                  id: task.account_id,
                  name: task.account_name ?? accountNames.get(task.account_id),
                }
              : undefined
          }
        />
      ))}
    </ul>
  );
}
