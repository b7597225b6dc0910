/** The Team page's state in the URL: `?scope=all`. */

export type TeamScope = "team" | "all";

export interface TeamState {
  /** Whose CSMs; "" = the server's default (a leader's team, else everyone). */
  scope: TeamScope | "";
}

export interface TeamSearch {
  scope?: TeamScope;
}

export function parseTeamSearch(raw: Record<string, unknown>): TeamState {
  const scope = typeof raw.scope === "string" ? raw.scope.trim() : "";
  return { scope: scope === "team" || scope === "all" ? scope : "" };
}

export function serializeTeamSearch(state: TeamState): TeamSearch {
  return state.scope ? { scope: state.scope } : {};
}

export function validateTeamSearch(raw: Record<string, unknown>): TeamSearch {
  return serializeTeamSearch(parseTeamSearch(raw));
}

/** The Book's filter for the active accounts of some owners (null: the accounts of nobody). */
export function ownersFilter(owners: (string | null)[]): string {
  const values = owners.map((o) => o ?? "none");
  return `status=active owner=${values.join(",")}`;
}
