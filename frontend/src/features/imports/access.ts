/**
 * Who may import files: the roles of `INGEST` in backend/app/auth/permissions.py, the
 * permission of every import route but the read-only lists (detect, preview and run in
 * backend/app/imports/router.py). Admins only for now; widen both together.
 */
export const IMPORT_ROLES: ReadonlySet<string> = new Set(["admin"]);

export function canImport(role: string | undefined): boolean {
  return role !== undefined && IMPORT_ROLES.has(role);
}

const ROLE_NAMES: Record<string, string> = {
  leader: "a leader",
  csm: "a CSM",
  product: "a product user",
  viewer: "a viewer",
};

/** Why `role` may not import, and what to do instead: one sentence for the import page. */
export function importRefusal(role: string): string {
  const who = ROLE_NAMES[role] ?? `the ${role} role`;
  return (
    `You're signed in as ${who}. An import writes data for every account it touches (and can ` +
    "create accounts), so Tempo takes files from admins only: ask an admin to import the file for you."
  );
}
