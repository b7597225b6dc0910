import type { QueryClient } from "@tanstack/react-query";
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  Link,
  lazyRouteComponent,
  Outlet,
  type RouterHistory,
  redirect,
} from "@tanstack/react-router";
import { setUnauthorizedHandler } from "./api/client";
import { getToken } from "./api/token";
import { AccountPage } from "./features/account/AccountPage";
import { accountQuery } from "./features/account/queries";
import { LoginPage } from "./features/auth/LoginPage";
import { BookPage } from "./features/book/BookPage";
import { validateBookSearch } from "./features/book/searchState";
import { validateCohortsSearch } from "./features/cohorts/searchState";
import { validateImportSearch } from "./features/imports/searchState";
import { validateLeadershipSearch } from "./features/leadership/searchState";
import { validatePlaybooksSearch } from "./features/playbooks/searchState";
import { validateProductSearch } from "./features/product/searchState";
import { validateQuadrantsSearch } from "./features/quadrants/searchState";
import { validateRenewalsSearch } from "./features/renewals/searchState";
import { AppShell } from "./features/shell/AppShell";
import { SourcesPage } from "./features/sources/SourcesPage";
import { validateSourcesSearch } from "./features/sources/searchState";
import { validateTodaySearch } from "./features/today/searchState";
import { UpcomingPage } from "./features/upcoming/UpcomingPage";
import type { UpcomingPath } from "./features/upcoming/views";
import { parseSearch, safeRedirect, stringifySearch } from "./lib/searchParams";
import { EmptyState, ErrorState } from "./ui/states";

export interface RouterContext {
  queryClient: QueryClient;
}

function NotFound() {
  return (
    <div className="page">
      <section className="card">
        <EmptyState title="Page not found" action={<Link to="/book">Go to the Book</Link>} />
      </section>
    </div>
  );
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: NotFound,
});

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/login",
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
  validateSearch: validateTodaySearch,
  component: lazyRouteComponent(() => import("./features/today/TodayPage"), "TodayPage"),
});

const bookRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/book",
  validateSearch: validateBookSearch,
  component: BookPage,
});

const accountRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/accounts/$accountId",
  // Start fetching on link hover/preload; the page renders its own loading state.
  loader: ({ context, params }) => {
    void context.queryClient.prefetchQuery(accountQuery(params.accountId));
  },
  component: AccountPage,
});

const sourcesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/sources",
  validateSearch: validateSourcesSearch,
  component: SourcesPage,
});

const importRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/import",
  validateSearch: validateImportSearch,
  // The wizard is only for occasional use: keep it out of the initial bundle.
  component: lazyRouteComponent(() => import("./features/imports/ImportPage"), "ImportPage"),
});

// Chart-heavy pages: lazy, so ECharts stays out of the initial bundle.
const quadrantsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/quadrants",
  validateSearch: validateQuadrantsSearch,
  component: lazyRouteComponent(
    () => import("./features/quadrants/QuadrantsPage"),
    "QuadrantsPage",
  ),
});

const leadershipRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/leadership",
  validateSearch: validateLeadershipSearch,
  component: lazyRouteComponent(
    () => import("./features/leadership/LeadershipPage"),
    "LeadershipPage",
  ),
});

const renewalsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/renewals",
  validateSearch: validateRenewalsSearch,
  component: lazyRouteComponent(() => import("./features/renewals/RenewalsPage"), "RenewalsPage"),
});

const cohortsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/cohorts",
  validateSearch: validateCohortsSearch,
  component: lazyRouteComponent(() => import("./features/cohorts/CohortsPage"), "CohortsPage"),
});

const productRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/product",
  validateSearch: validateProductSearch,
  component: lazyRouteComponent(() => import("./features/product/ProductPage"), "ProductPage"),
});

const playbooksRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/playbooks",
  validateSearch: validatePlaybooksSearch,
  component: lazyRouteComponent(
    () => import("./features/playbooks/PlaybooksPage"),
    "PlaybooksPage",
  ),
});

const settingsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/settings",
  component: lazyRouteComponent(() => import("./features/settings/SettingsPage"), "SettingsPage"),
});

function upcomingRoute<P extends UpcomingPath>(path: P) {
  return createRoute({
    getParentRoute: () => appRoute,
    path,
    component: () => <UpcomingPage path={path} />,
  });
}

const routeTree = rootRoute.addChildren([
  loginRoute,
  appRoute.addChildren([
    indexRoute,
    bookRoute,
    accountRoute,
    todayRoute,
    quadrantsRoute,
    leadershipRoute,
    renewalsRoute,
    cohortsRoute,
    productRoute,
    playbooksRoute,
    sourcesRoute,
    importRoute,
    settingsRoute,
    upcomingRoute("/admin"),
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
