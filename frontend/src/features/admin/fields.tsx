import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { ApiError } from "../../api/errors";
import { QueryState } from "../../ui/QueryState";
import { EmptyState } from "../../ui/states";
import { fieldErrorsOf } from "../settings/draft";

/** A field's messages under it (the server's 422 or the form's own check). */
export function FieldError({ id, messages }: { id: string; messages: readonly string[] }) {
  if (!messages.length) return null;
  return (
    <div id={id} className="field-error" role="alert">
      {messages.map((m) => (
        <div key={m}>{m}</div>
      ))}
    </div>
  );
}

/** A 422's messages by top-level body field ("role", "event_pattern", ...). */
export function serverFieldErrors(error: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [path, messages] of fieldErrorsOf(error)) {
    const field = path.split(".")[0] ?? "";
    out.set(field, [...(out.get(field) ?? []), ...messages]);
  }
  return out;
}

/** Whether the server's problem says more than the messages placed next to `fields`. */
export function unplacedProblem(error: unknown, fields: readonly string[]): boolean {
  if (!error) return false;
  if (!(error instanceof ApiError) || error.status !== 422) return true;
  const placed = serverFieldErrors(error);
  return placed.size === 0 || [...placed.keys()].some((k) => !fields.includes(k));
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export function emailProblem(value: string): string | null {
  if (!value.trim()) return "Enter an email address.";
  return EMAIL.test(value.trim()) ? null : "Enter an email address like name@company.com.";
}

/**
 * A table card's body for one list: a skeleton while it loads, the error with a retry, an
 * empty state titled `emptyTitle` when `isEmpty`, else `children(data)`.
 */
export function ListState<T>({
  query,
  what,
  lines = 4,
  isEmpty,
  emptyTitle,
  children,
}: {
  query: UseQueryResult<T>;
  /** "users": completes "Loading …" and "Couldn't load …". */
  what: string;
  /** Skeleton lines while it loads. */
  lines?: number;
  isEmpty: (data: T) => boolean;
  emptyTitle: string;
  children: (data: T) => ReactNode;
}) {
  return (
    <QueryState
      query={query}
      what={what}
      lines={lines}
      isEmpty={isEmpty}
      empty={<EmptyState title={emptyTitle} />}
    >
      {children}
    </QueryState>
  );
}
