/** Views a later release builds. Each says, in one sentence, what it will show. */
export const UPCOMING_VIEWS = {
  "/admin": {
    title: "Admin",
    summary: "Users, roles and API tokens, plus an audit log of who changed what and when.",
  },
} as const;

export type UpcomingPath = keyof typeof UPCOMING_VIEWS;
