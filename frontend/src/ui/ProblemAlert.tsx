import { ApiError, errorMessage } from "../api/errors";

/**
 * An error from the server shown inline, in a form: the problem's message, plus each
 * field error when the problem lists more than one.
 */
export function ProblemAlert({ error, title }: { error: unknown; title?: string }) {
  const fieldErrors = error instanceof ApiError ? (error.problem?.errors ?? []) : [];
  return (
    <div className="alert alert-error" role="alert">
      {title ? <strong>{title}: </strong> : null}
      {errorMessage(error)}
      {fieldErrors.length > 1 ? (
        <ul className="alert-list">
          {fieldErrors.map((e, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: server order, never reordered
            <li key={i}>
              {e.loc?.filter((p) => p !== "body").join(".")}
              {e.loc?.length ? ": " : ""}
              {e.msg}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
