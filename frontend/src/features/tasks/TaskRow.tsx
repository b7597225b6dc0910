import { type QueryClient, useMutation, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { api, type Schemas } from "../../api/client";
import { errorMessage, unwrap } from "../../api/errors";
import { daysBetween, formatDate } from "../../lib/format";

type Task = Schemas["TaskPublic"];
export type TaskStatus = Schemas["TaskStatus"];

/** "Overdue · Jan 10, 2026", "Due today", "Due tomorrow", "Due Feb 14, 2026", "No due date". */
export function dueLabel(
  status: string,
  due: string | null | undefined,
  today: string,
): { text: string; overdue: boolean } {
  if (!due) return { text: "No due date", overdue: false };
  const days = daysBetween(today, due);
  if (status === "open" && days !== null && days < 0) {
    return { text: `Overdue · ${formatDate(due)}`, overdue: true };
  }
  if (days === 0) return { text: "Due today", overdue: false };
  if (days === 1) return { text: "Due tomorrow", overdue: false };
  return { text: `Due ${formatDate(due)}`, overdue: false };
}

/**
 * Mark a task done, or open again (`tasks:update`); `onChanged` updates or refreshes what
 * shows the task (Today's lists, the account picture).
 */
export function useTaskStatus(
  taskId: string,
  onChanged: (queryClient: QueryClient, task: Task) => Promise<unknown> | undefined,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (status: TaskStatus) =>
      unwrap(
        api.PATCH("/api/v1/tasks/{task_id}", {
          params: { path: { task_id: taskId } },
          body: { status },
        }),
      ),
    onSuccess: (task) => onChanged(queryClient, task),
  });
}

/**
 * One task with a checkbox: ticking marks it done on the server, unticking opens it again.
 * `disabledReason`: why the caller may not tick it (its tooltip), when `canEdit` is false.
 */
export function TaskRow({
  task,
  today,
  canEdit,
  disabledReason,
  onChanged,
  children,
}: {
  task: Pick<Task, "id" | "title" | "status" | "due_date" | "completed_at">;
  today: string;
  canEdit: boolean;
  disabledReason?: string | undefined;
  onChanged: (queryClient: QueryClient, task: Task) => Promise<unknown> | undefined;
  /** More about the task beside its due date (its account, its play). */
  children?: ReactNode;
}) {
  const update = useTaskStatus(task.id, onChanged);
  // While the request (and the refresh after it) runs, show where the box is going. Local
  // state, set in the event handler: the mutation's pending state arrives a tick later and
  // the box would flicker.
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
      <label className="check task-check" title={canEdit ? undefined : disabledReason}>
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
        {children}
      </div>
      {update.isError ? (
        <div className="field-error" role="alert">
          {errorMessage(update.error)}
        </div>
      ) : null}
    </li>
  );
}
