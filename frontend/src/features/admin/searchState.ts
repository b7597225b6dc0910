/** The Admin console's tab lives in its URL: `/admin?tab=keys`. Users is the default. */

export const ADMIN_TABS = [
  { id: "users", label: "Users" },
  { id: "keys", label: "API keys" },
  { id: "channels", label: "Notifications" },
  { id: "audit", label: "Audit log" },
  { id: "features", label: "Features" },
  { id: "sources", label: "Data sources" },
] as const;

export type AdminTab = (typeof ADMIN_TABS)[number]["id"];

export interface AdminSearch {
  tab?: Exclude<AdminTab, "users">;
}

export function isAdminTab(value: unknown): value is AdminTab {
  return typeof value === "string" && ADMIN_TABS.some((t) => t.id === value);
}

export function parseAdminTab(raw: Record<string, unknown>): AdminTab {
  return isAdminTab(raw.tab) ? raw.tab : "users";
}

/** Route `validateSearch` for /admin: an unknown tab is dropped (Users). */
export function validateAdminSearch(raw: Record<string, unknown>): AdminSearch {
  const tab = parseAdminTab(raw);
  return tab === "users" ? {} : { tab };
}
