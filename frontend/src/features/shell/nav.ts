import type { UpcomingPath } from "../upcoming/views";

type NavPath =
  | "/today"
  | "/book"
  | "/quadrants"
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
      { to: "/leadership", label: "Leadership", soon: true },
      { to: "/renewals", label: "Renewals", soon: true },
    ],
  },
  {
    title: "Product",
    items: [
      { to: "/cohorts", label: "Cohorts", soon: true },
      { to: "/product", label: "Product", soon: true },
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
