/** How each role is written wherever a person reads it (the shell's badge, Admin's tables and selects). */
const ROLE_LABELS: Readonly<Record<string, string>> = {
  admin: "Admin",
  leader: "Leader",
  csm: "CSM",
  product: "Product",
  viewer: "Viewer",
};

export function roleLabel(role: string): string {
  return ROLE_LABELS[role] ?? role;
}
