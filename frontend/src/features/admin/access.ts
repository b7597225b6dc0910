/**
 * Who sees the Admin console: the roles of `ADMIN` in backend/app/auth/permissions.py, the
 * permission of every route the console writes to (users, keys, channels, the audit log, the
 * feature catalogue, data sources).
 */
export const ADMIN_ROLES: ReadonlySet<string> = new Set(["admin"]);

export function canAdminister(role: string | undefined): boolean {
  return role !== undefined && ADMIN_ROLES.has(role);
}
