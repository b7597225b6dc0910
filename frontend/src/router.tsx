import type { QueryClient } from "@tanstack/react-query";
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  Link,
  lazyRouteComponent,
  type RouterHistory,
  redirect,
} from "@tanstack/react-router";
import { setUnauthorizedHandler } from "./api/client";
import { getToken } from "./api/token";
import { AccountPage } from "./features/account/AccountPage";
import { accountQuery } from "./features/account/queries";
import { validateAdminSearch } from "./features/admin/searchState";
import { LoginPage } from "./features/auth/LoginPage";
import { BookPage } from "./features/book/BookPage";
import { validateBookSearch } from "./features/book/searchState";
import { validateCohortsSearch } from "./features/cohorts/searchState";
import { validateHygieneSearch } from "./features/hygiene/searchState";
import { validateImportSearch } from "./features/imports/searchState";
import { validateLeadershipSearch } from "./features/leadership/searchState";
import { validatePlaybooksSearch } from "./features/playbooks/searchState";
import { validateProductSearch } from "./features/product/searchState";
import { validateQuadrantsSearch } from "./features/quadrants/searchState";
import { validateRenewalsSearch } from "./features/renewals/searchState";
import { AppShell } from "./features/shell/AppShell";
import { RootLayout } from "./features/shell/RootLayout";
import { SourcesPage } from "./features/sources/SourcesPage";
import { validateSourcesSearch } from "./features/sources/searchState";
import { validateTeamSearch } from "./features/team/searchState";
import { validateTodaySearch } from "./features/today/searchState";
import { parseSearch, safeRedirect, stringifySearch } from "./lib/searchParams";
import { useDocumentTitle } from "./lib/useDocumentTitle";
import { EmptyState, ErrorState } from "./ui/states";

export interface RouterContext {
  queryClient: QueryClient;
}

/** Rendered at the root, outside the shell: its own main landmark and level-one heading. */
function NotFound() {
  useDocumentTitle("Page not found");
  return (
    <main className="content">
      <div className="page">
        <h1>Page not found</h1>
        <section className="card">
          <EmptyState
            title="Nothing lives at this address"
            action={<Link to="/book">Go to the Book</Link>}
          />
        </section>
      </div>
    </main>
  );
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: RootLayout,
  notFoundComponent: NotFound,
});

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/login",
  staticData: { title: "Sign in" },
  validateSearch: (raw: Record<string, unknown>): { redirect?: string } =>
    typeof raw.redirect === "string" && raw.redirect ? { redirect: raw.redirect } : {},
  beforeLoad: ({ search }) => {
    if (getToken()) throw redirect({ href: safeRedirect(search.redirect), replace: true });
  },
  component: LoginPage,
});

/** Everything behind sign-in renders inside the app shell. */
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: "_app",
  beforeLoad: ({ location }) => {
    if (!getToken()) {
      throw redirect({ to: "/login", search: { redirect: location.href }, replace: true });
    }
  },
  component: AppShell,
});

const indexRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/",
  beforeLoad: () => {
    throw redirect({ to: "/book", replace: true });
  },
});

// Lazy like the other views beyond the Book; hovering the nav link preloads it.
const todayRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/today",
  staticData: { title: "Today" },
  validateSearch: validateTodaySearch,
  component: lazyRouteComponent(() => import("./features/today/TodayPage"), "TodayPage"),
});

const bookRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/book",
  staticData: { title: "Book" },
  validateSearch: validateBookSearch,
  component: BookPage,
});

const accountRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/accounts/$accountId",
  // Until the page names the account (useDocumentTitle in the account page).
  staticData: { title: "Account" },
  // Start fetching on link hover/preload; the page renders its own loading state.
  loader: ({ context, params }) => {
    void context.queryClient.prefetchQuery(accountQuery(params.accountId));
  },
  component: AccountPage,
});

const sourcesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/sources",
  staticData: { title: "Sources" },
  validateSearch: validateSourcesSearch,
  component: SourcesPage,
});

const importRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/import",
  staticData: { title: "Import" },
  validateSearch: validateImportSearch,
  // The wizard is only for occasional use: keep it out of the initial bundle.
  component: lazyRouteComponent(() => import("./features/imports/ImportPage"), "ImportPage"),
});

// Chart-heavy pages: lazy, so ECharts stays out of the initial bundle.
const quadrantsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/quadrants",
  staticData: { title: "Quadrants" },
  validateSearch: validateQuadrantsSearch,
  component: lazyRouteComponent(
    () => import("./features/quadrants/QuadrantsPage"),
    "QuadrantsPage",
  ),
});

const leadershipRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/leadership",
  staticData: { title: "Leadership" },
  validateSearch: validateLeadershipSearch,
  component: lazyRouteComponent(
    () => import("./features/leadership/LeadershipPage"),
    "LeadershipPage",
  ),
});

const teamRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/team",
  staticData: { title: "Team" },
  validateSearch: validateTeamSearch,
  component: lazyRouteComponent(() => import("./features/team/TeamPage"), "TeamPage"),
});

const renewalsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/renewals",
  staticData: { title: "Renewals" },
  validateSearch: validateRenewalsSearch,
  component: lazyRouteComponent(() => import("./features/renewals/RenewalsPage"), "RenewalsPage"),
});

const cohortsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/cohorts",
  staticData: { title: "Cohorts" },
  validateSearch: validateCohortsSearch,
  component: lazyRouteComponent(() => import("./features/cohorts/CohortsPage"), "CohortsPage"),
});

const productRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/product",
  staticData: { title: "Product" },
  validateSearch: validateProductSearch,
  component: lazyRouteComponent(() => import("./features/product/ProductPage"), "ProductPage"),
});

const playbooksRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/playbooks",
  staticData: { title: "Playbooks" },
  validateSearch: validatePlaybooksSearch,
  component: lazyRouteComponent(
    () => import("./features/playbooks/PlaybooksPage"),
    "PlaybooksPage",
  ),
});

const hygieneRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/hygiene",
  staticData: { title: "Data hygiene" },
  validateSearch: validateHygieneSearch,
  component: lazyRouteComponent(() => import("./features/hygiene/HygienePage"), "HygienePage"),
});

const settingsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/settings",
  staticData: { title: "Settings" },
  component: lazyRouteComponent(() => import("./features/settings/SettingsPage"), "SettingsPage"),
});

const adminRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/admin",
  staticData: { title: "Admin" },
  validateSearch: validateAdminSearch,
  component: lazyRouteComponent(() => import("./features/admin/AdminPage"), "AdminPage"),
});

const routeTree = rootRoute.addChildren([
  loginRoute,
  appRoute.addChildren([
    indexRoute,
    bookRoute,
    accountRoute,
    todayRoute,
    quadrantsRoute,
    leadershipRoute,
    teamRoute,
    renewalsRoute,
    cohortsRoute,
    productRoute,
    playbooksRoute,
    sourcesRoute,
    importRoute,
    hygieneRoute,
    settingsRoute,
    adminRoute,
  ]),
]);

export function createAppRouter({
  queryClient,
  history,
}: {
  queryClient: QueryClient;
  history?: RouterHistory;
}) {
  return createRouter({
    routeTree,
    history,
    context: { queryClient },
    parseSearch,
    stringifySearch,
    defaultPreload: "intent",
    defaultPreloadStaleTime: 0,
    defaultErrorComponent: ({ error, reset }) => (
      <div className="page">
        <section className="card">
          <ErrorState title="This page failed to render" error={error} onRetry={reset} />
        </section>
      </div>
    ),
    scrollRestoration: true,
  });
}

export type AppRouter = ReturnType<typeof createAppRouter>;

declare module "@tanstack/react-router" {
  interface Register {
    router: AppRouter;
  }
  interface StaticDataRouteOption {
    /** The view's name in the document title, "<title> · Tempo" (see lib/useDocumentTitle). */
    title?: string;
  }
}

/**
 * After a 401 (token already cleared by the API middleware): drop cached data and
 * send the user to /login, remembering where they were.
 */
export function installUnauthorizedRedirect(router: AppRouter, queryClient: QueryClient) {
  let redirecting = false;
  return setUnauthorizedHandler(() => {
    if (redirecting) return;
    const location = router.state.location;
    if (location.pathname === "/login") {
      queryClient.clear();
      return;
    }
    redirecting = true;
    // Navigate first, then drop the cache: clearing while the shell is still mounted
    // would make its queries refetch (and 401) again.
    void router
      .navigate({ to: "/login", search: { redirect: location.href }, replace: true })
      .finally(() => {
        redirecting = false;
        queryClient.clear();
      });
  });
}
