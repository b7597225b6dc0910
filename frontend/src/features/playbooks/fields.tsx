import { createContext, type ReactNode, useContext, useId } from "react";
import type { FieldErrors } from "./draft";

const ErrorsContext = createContext<FieldErrors>(new Map());

export function FieldErrorsProvider({
  errors,
  children,
}: {
  errors: FieldErrors;
  children: ReactNode;
}) {
  return <ErrorsContext.Provider value={errors}>{children}</ErrorsContext.Provider>;
}

/**
 * The messages for one field (`path` as in `fieldErrorsOf`), with the props that tie them to
 * its input: aria-invalid, and aria-describedby pointing at the message under it.
 */
export function useFieldError(path: string) {
  const errors = useContext(ErrorsContext);
  const id = useId();
  const messages = errors.get(path) ?? [];
  const invalid = messages.length > 0;
  return {
    inputProps: {
      "aria-invalid": invalid,
      "aria-describedby": invalid ? `${id}-error` : undefined,
      "data-path": path,
    },
    message: invalid ? (
      <p id={`${id}-error`} className="field-error" data-field={path}>
        {messages.join(" ")}
      </p>
    ) : null,
  };
}

/** Errors about a group of fields (e.g. "steps": too many). */
export function GroupError({ path }: { path: string }) {
  const messages = useContext(ErrorsContext).get(path) ?? [];
  if (!messages.length) return null;
  return (
    <p className="field-error" role="alert" data-field={path}>
      {messages.join(" ")}
    </p>
  );
}
