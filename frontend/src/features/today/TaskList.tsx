import { Link } from "@tanstack/react-router";
import { TaskRow } from "../tasks/TaskRow";
import { replaceTask, type Task } from "./queries";

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
        <TaskRow key={task.id} task={task} today={today} canEdit={canEdit} onChanged={replaceTask}>
          {accountNames ? (
            <Link to="/accounts/$accountId" params={{ accountId: task.account_id }}>
              {task.account_name ?? accountNames.get(task.account_id) ?? "Open account"}
            </Link>
          ) : null}
        </TaskRow>
      ))}
    </ul>
  );
}
