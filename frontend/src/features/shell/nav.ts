import { ADMIN_ROLES } from "../admin/access";
import { HYGIENE_ROLES } from "../hygiene/access";
import { IMPORT_ROLES } from "../imports/access";
import { TEAM_ROLES } from "../team/access";

type NavPath =
  | "/today"
  | "/book"
  | "/quadrants"
  | "/leadership"
  | "/team"
  | "/renewals"
  | "/cohorts"
  | "/product"
  | "/playbooks"
  | "/sources"
  | "/import"
  | "/hygiene"
  | "/settings"
  | "/admin";

export interface NavItem {
  to: NavPath;
  label: string;
  /** Not built yet: shows a "coming next" panel. */
  soon?: boolean;
  /** Only these roles see the link (the server refuses the others); everyone when absent. */
  roles?: ReadonlySet<string>;
}

export interface NavGroup {
  title: string;
  items: NavItem[];
}

/** Left navigation, grouped by the audience each view is for. */
export const NAV_GROUPS: NavGroup[] = [
  {
    title: "Customer success",
    items: [
      { to: "/today", label: "Today" },
      { to: "/book", label: "Book" },
      { to: "/quadrants", label: "Quadrants" },
    ],
  },
  {
    title: "Leadership",
    items: [
      { to: "/leadership", label: "Leadership" },
      { to: "/team", label: "Team", roles: TEAM_ROLES },
      { to: "/renewals", label: "Renewals" },
    ],
  },
  {
    title: "Product",
    items: [
      { to: "/cohorts", label: "Cohorts" },
      { to: "/product", label: "Product" },
    ],
  },
  {
    title: "Operations",
    items: [
      { to: "/playbooks", label: "Playbooks" },
      { to: "/sources", label: "Sources" },
      { to: "/import", label: "Import", roles: IMPORT_ROLES },
      { to: "/hygiene", label: "Data hygiene", roles: HYGIENE_ROLES },
      { to: "/settings", label: "Settings" },
      { to: "/admin", label: "Admin", roles: ADMIN_ROLES },
    ],
  },
];

/**
 * The groups `role` sees: links restricted to other roles left out, and groups left empty with
 * them. While the role is unknown (`undefined`, still loading) restricted links stay hidden, so
 * that they never flash up for someone who may not use them.
 */
export function navGroupsFor(
  role: string | undefined,
  groups: NavGroup[] = NAV_GROUPS,
): NavGroup[] {
  return groups
    .map((group) => ({
      ...group,
      items: group.items.filter(
        (item) => !item.roles || (role !== undefined && item.roles.has(role)),
      ),
    }))
    .filter((group) => group.items.length > 0);
}
