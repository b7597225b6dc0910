/**
 * Flat query-string (de)serialisation for the router: `?page=2&sort=-arr&q=acme`.
 * TanStack Router's default JSON-encodes values (`?q=%22acme%22`); plain strings make
 * shareable URLs, and each route's `validateSearch` turns them into typed state.
 */
export function parseSearch(searchStr: string): Record<string, string> {
  const params = new URLSearchParams(searchStr.startsWith("?") ? searchStr.slice(1) : searchStr);
  const out: Record<string, string> = {};
  for (const [key, value] of params) out[key] = value;
  return out;
}

export function stringifySearch(search: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) {
    if (value === undefined || value === null || value === "") continue;
    params.set(key, typeof value === "object" ? JSON.stringify(value) : String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : "";
}

/** A same-site path safe to navigate to after login (no protocol-relative or absolute URLs). */
export function safeRedirect(value: unknown, fallback = "/book"): string {
  if (typeof value !== "string" || !/^\/(?![/\\])/.test(value)) return fallback;
  if (value.startsWith("/login")) return fallback;
  return value;
}
