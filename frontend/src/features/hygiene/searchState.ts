import { type ListScope, parseScope } from "../../lib/scope";

/**
 * The Data hygiene page's state in the URL: `?scope=team&open=renewal_past`. `open` is the
 * check (or `missing:<field>`) whose accounts are listed.
 */
export interface HygieneState {
  /** "" = the server's default for the caller. */
  scope: ListScope | "";
  /** "" = no list open. */
  open: string;
}

export interface HygieneSearch {
  scope?: ListScope;
  open?: string;
}

/** Check keys and `missing:<field>`: letters, digits, underscores, one optional prefix. */
const KEY = /^(missing:)?[a-z][a-z0-9_]{0,60}$/;

export function parseHygieneSearch(raw: Record<string, unknown>): HygieneState {
  const open = typeof raw.open === "string" ? raw.open.trim() : "";
  return { scope: parseScope(raw.scope), open: KEY.test(open) ? open : "" };
}

export function serializeHygieneSearch(state: HygieneState): HygieneSearch {
  const out: HygieneSearch = {};
  if (state.scope) out.scope = state.scope;
  if (state.open) out.open = state.open;
  return out;
}

export function validateHygieneSearch(raw: Record<string, unknown>): HygieneSearch {
  return serializeHygieneSearch(parseHygieneSearch(raw));
}
