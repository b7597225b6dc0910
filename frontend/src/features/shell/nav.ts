import type { UpcomingPath } from "../upcoming/views";

type NavPath =
  | "/today"
  | "/book"
  | "/quadrants"
  | "/leadership"
  | "/renewals"
  | "/cohorts"
  | "/product"
  | "/playbooks"
  | "/sources"
  | "/import"
  | "/settings"
  | UpcomingPath;

export interface NavItem {
  to: NavPath;
  label: string;
  /** Not built yet: shows a "coming next" panel. */
  soon?: boolean;
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
      { to: "/import", label: "Import" },
      { to: "/settings", label: "Settings" },
      { to: "/admin", label: "Admin", soon: true },
    ],
  },
];
