import { useEffect, useSyncExternalStore } from "react";

/**
 * The browser tab's title, "<view> · Tempo".
 *
 * Two sources feed it: the route's static title (`staticData.title` in router.tsx, set by the
 * shell on every navigation) and, above it, a page's dynamic title (`useDocumentTitle`, e.g. the
 * account's name once it has loaded). The latest dynamic title still mounted wins; without one
 * the route's title shows. Kept in one place so that the order in which React runs the effects
 * (children before parents) cannot let the route's title overwrite the page's.
 */

export const APP_NAME = "Tempo";

/** "Book" → "Book · Tempo"; no title → "Tempo". */
export function formatDocumentTitle(title: string | null | undefined): string {
  const trimmed = title?.trim();
  return trimmed ? `${trimmed} · ${APP_NAME}` : APP_NAME;
}

let routeTitle: string | null = null;
/** Dynamic titles of the mounted pages, oldest first (an object each: equal titles stay apart). */
const pageTitles: Array<{ title: string }> = [];
const listeners = new Set<() => void>();

/** The view's title as a person would say it ("Book", "Acme Corp"), without the app's name. */
export function currentViewTitle(): string | null {
  return pageTitles.at(-1)?.title ?? routeTitle;
}

function apply() {
  if (typeof document !== "undefined") {
    document.title = formatDocumentTitle(currentViewTitle());
  }
  for (const listener of listeners) listener();
}

/** The current route's static title (the shell calls this; pages use `useDocumentTitle`). */
export function setRouteTitle(title: string | null) {
  if (title === routeTitle) return;
  routeTitle = title;
  apply();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** Re-renders with the view's title whenever it changes (for the route announcer). */
export function useViewTitle(): string | null {
  return useSyncExternalStore(subscribe, currentViewTitle, currentViewTitle);
}

/**
 * Title the document after what this page shows, e.g. `useDocumentTitle(account.data?.name ??
 * null)`: "Acme Corp · Tempo". `null` (still loading, nothing to name) leaves the route's static
 * title in place. On unmount the title falls back to the route's again.
 */
export function useDocumentTitle(title: string | null) {
  const trimmed = title?.trim() || null;
  useEffect(() => {
    if (trimmed === null) return;
    const entry = { title: trimmed };
    pageTitles.push(entry);
    apply();
    return () => {
      const at = pageTitles.indexOf(entry);
      if (at >= 0) pageTitles.splice(at, 1);
      apply();
    };
  }, [trimmed]);
}

/** Tests only: forget every title. */
export function resetDocumentTitles() {
  routeTitle = null;
  pageTitles.length = 0;
  apply();
}
