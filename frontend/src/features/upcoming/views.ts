/** Views a later release builds. Each says, in one sentence, what it will show. */
export const UPCOMING_VIEWS = {
  "/leadership": {
    title: "Leadership",
    summary:
      "Portfolio health for leaders: ARR by health band, retention trend, and where risk concentrates by segment and owner.",
  },
  "/renewals": {
    title: "Renewals",
    summary:
      "Upcoming renewals by quarter with the ARR at stake and the accounts that need attention first.",
  },
  "/cohorts": {
    title: "Cohorts",
    summary:
      "Retention and health curves for signup cohorts, sliced by plan, segment and acquisition channel.",
  },
  "/product": {
    title: "Product",
    summary:
      "Feature adoption and usage trends across the book, and which behaviours go with healthy accounts.",
  },
  "/admin": {
    title: "Admin",
    summary: "Users, roles and API tokens, plus an audit log of who changed what and when.",
  },
} as const;

export type UpcomingPath = keyof typeof UPCOMING_VIEWS;
