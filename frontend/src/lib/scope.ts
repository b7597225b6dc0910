/**
 * Whose accounts a list shows: the user's own ("mine": owned or on the account team), their
 * team's, or everyone's. The server decides what each scope holds and answers the scope it
 * applied; the pages keep the chosen one in the URL (`?scope=team`). Book, Renewals and
 * Quadrants and Today share this module.
 */

export type ListScope = "mine" | "team" | "all";

export const SCOPE_OPTIONS: readonly { value: ListScope; label: string }[] = [
  { value: "mine", label: "Mine" },
  { value: "team", label: "Team" },
  { value: "all", label: "Everyone" },
];

export function isListScope(value: unknown): value is ListScope {
  return value === "mine" || value === "team" || value === "all";
}

/** A URL value → a scope, "" when absent or garbage (the server's default then). */
export function parseScope(value: unknown): ListScope | "" {
  const text = typeof value === "string" ? value.trim() : "";
  return isListScope(text) ? text : "";
}

/**
 * What the server picks for a role when the request names no scope: a CSM's own accounts, a
 * leader's team (everyone's when nobody reports to them: the answer says so), everyone's for
 * the other roles. "" while the role is not known yet.
 */
export function roleDefaultScope(role: string | undefined): ListScope | "" {
  if (!role) return "";
  if (role === "csm") return "mine";
  if (role === "leader") return "team";
  return "all";
}

/**
 * The scope the toggle shows: the URL's, else the one the server answered it applied, else
 * the role's default (before the first answer).
 */
export function shownScope(
  inUrl: ListScope | "",
  answered: string | null | undefined,
  role: string | undefined,
): ListScope | "" {
  if (inUrl) return inUrl;
  if (isListScope(answered)) return answered;
  return roleDefaultScope(role);
}

/** "your accounts", "your team's accounts", "every account": for subtitles and empty states. */
export function scopeWords(scope: ListScope | ""): string {
  if (scope === "mine") return "your accounts";
  if (scope === "team") return "your team's accounts";
  return "every account";
}
