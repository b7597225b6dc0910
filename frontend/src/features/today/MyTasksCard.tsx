import { type ReactNode, useState } from "react";
import { daysBetween, formatInteger } from "../../lib/format";
import { EmptyState, ErrorState, LoadingBlock } from "../../ui/states";
import { useMyTasks } from "./queries";
import { TaskList } from "./TaskList";

const SHOWN = 8;

/** The signed-in user's open tasks, soonest due first; overdue ones stand out. */
export function MyTasksCard({
  today,
  canEdit,
  accountNames,
}: {
  today: string;
  canEdit: boolean;
  accountNames: ReadonlyMap<string, string>;
}) {
  const tasks = useMyTasks();
  const [showAll, setShowAll] = useState(false);
  const open = tasks.data?.filter((t) => t.status === "open") ?? [];
  const overdue = open.filter((t) => (daysBetween(today, t.due_date) ?? 0) < 0).length;

  let body: ReactNode;
  if (tasks.isPending) body = <LoadingBlock lines={4} label="Loading your tasks" />;
  else if (tasks.isError) {
    body = (
      <ErrorState
        title="Couldn't load your tasks"
        error={tasks.error}
        onRetry={() => void tasks.refetch()}
      />
    );
  } else if (tasks.data.length === 0) {
    body = (
      <EmptyState title="No open tasks">
        Tasks from the plays on your accounts show up here.
      </EmptyState>
    );
  } else {
    const shown = showAll ? tasks.data : tasks.data.slice(0, SHOWN);
    body = (
      <div className="card-body my-tasks-body">
        <TaskList
          tasks={shown}
          today={today}
          canEdit={canEdit}
          accountNames={accountNames}
          label="My tasks"
        />
        {tasks.data.length > SHOWN ? (
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            onClick={() => setShowAll((v) => !v)}
          >
            {showAll ? "Show fewer" : `Show all ${formatInteger(tasks.data.length)}`}
          </button>
        ) : null}
      </div>
    );
  }

  return (
    <section className="card my-tasks" aria-labelledby="my-tasks-title">
      <div className="card-header">
        <h2 id="my-tasks-title">My tasks</h2>
        <span className="muted small" data-testid="my-tasks-count">
          {tasks.data
            ? `${formatInteger(open.length)} open${overdue ? ` · ${formatInteger(overdue)} overdue` : ""}`
            : "\u00a0"}
        </span>
      </div>
      {body}
    </section>
  );
}
