import { ApiError } from "../../api/errors";
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
