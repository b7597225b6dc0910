import { Outlet, useRouterState } from "@tanstack/react-router";
import { useEffect, useRef, useState } from "react";
import { currentViewTitle, setRouteTitle } from "../../lib/useDocumentTitle";

/** How long a new view may take to name itself (an account's name) before it is announced. */
export const ANNOUNCE_DELAY_MS = 500;

/** The title of the deepest matched route that declares one (`staticData.title`). */
export function routeTitleOf(
  matches: ReadonlyArray<{ staticData?: { title?: string } | undefined }>,
): string | null {
  for (let i = matches.length - 1; i >= 0; i--) {
    const title = matches[i]?.staticData?.title;
    if (title) return title;
  }
  return null;
}

/** Keeps the document's title on the current route's static title. */
function useRouteTitle() {
  const title = useRouterState({ select: (state) => routeTitleOf(state.matches) });
  useEffect(() => {
    setRouteTitle(title);
  }, [title]);
}

/**
 * Tells screen reader users politely that a client-side navigation happened: a browser would
 * announce a new page's title, a single-page app has to say it. Not on the first page (its
 * title is read already), not when only the search changes (filters, sorting, pages).
 */
function RouteAnnouncer() {
  // The resolved location: the new view's code and route data are loaded, it is on screen.
  const pathname = useRouterState({
    select: (state) => (state.resolvedLocation ?? state.location).pathname,
  });
  const announced = useRef(pathname);
  const [message, setMessage] = useState("");

  useEffect(() => {
    if (pathname === announced.current) return;
    // Empty first, so that the same words for another page are announced again.
    setMessage("");
    const timer = window.setTimeout(() => {
      announced.current = pathname;
      const title = currentViewTitle();
      setMessage(title ? `Navigated to ${title}` : "Navigated to a new page");
    }, ANNOUNCE_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [pathname]);

  return (
    <div className="visually-hidden" role="status" aria-atomic="true" data-testid="route-announcer">
      {message}
    </div>
  );
}

/** Every route renders inside this: the sign-in page as well as the app shell. */
export function RootLayout() {
  useRouteTitle();
  return (
    <>
      <Outlet />
      <RouteAnnouncer />
    </>
  );
}
