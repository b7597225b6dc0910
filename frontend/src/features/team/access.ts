/**
 * Who sees the team view and reassigns accounts: the roles of `LEAD` in
 * backend/app/auth/permissions.py (`GET /api/v1/team`, `POST /api/v1/accounts/reassign`).
 */
export const TEAM_ROLES: ReadonlySet<string> = new Set(["admin", "leader"]);

export function canLeadTeam(role: string | undefined): boolean {
  return role !== undefined && TEAM_ROLES.has(role);
}
