import { type BookSearch, validateBookSearch } from "./searchState";

/**
 * Remembers the Book's last URL state so the account page can link back to the
 * same page, sort and filters. Session-scoped: survives reloads, not new tabs.
 */
const KEY = "tempo.book.search";
let last: BookSearch = {};

export function rememberBookSearch(search: BookSearch): void {
  last = search;
  try {
    window.sessionStorage.setItem(KEY, JSON.stringify(search));
  } catch {
    // ignore storage failures
  }
}

export function recallBookSearch(): BookSearch {
  if (Object.keys(last).length > 0) return last;
  try {
    const stored = window.sessionStorage.getItem(KEY);
    if (stored) return validateBookSearch(JSON.parse(stored) as Record<string, unknown>);
  } catch {
    // ignore malformed storage
  }
  return {};
}
