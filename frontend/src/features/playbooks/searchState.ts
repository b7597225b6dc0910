/**
 * The Playbooks page's state in the URL: `?playbook=<id>|new&account=<id>`: the play shown
 * in the editor ("new" for an unsaved one) and the account its live preview renders on.
 * Single mapping between URL search params (strings, possibly garbage) and typed state.
 */

export const NEW_PLAYBOOK = "new";

export interface PlaybooksState {
  /** A playbook id, NEW_PLAYBOOK, or "" for the first play of the library. */
  playbook: string;
  /** The preview account's id, or "" for the first account of the book. */
  account: string;
}

export interface PlaybooksSearch {
  playbook?: string;
  account?: string;
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function text(value: unknown): string {
  return typeof value === "string" ? value.trim() : "";
}

export function parsePlaybooksSearch(raw: Record<string, unknown>): PlaybooksState {
  const playbook = text(raw.playbook);
  const account = text(raw.account);
  return {
    playbook: playbook === NEW_PLAYBOOK || UUID.test(playbook) ? playbook.toLowerCase() : "",
    account: UUID.test(account) ? account.toLowerCase() : "",
  };
}

export function serializePlaybooksSearch(state: PlaybooksState): PlaybooksSearch {
  const out: PlaybooksSearch = {};
  if (state.playbook) out.playbook = state.playbook;
  if (state.account) out.account = state.account;
  return out;
}

/** Route `validateSearch` for /playbooks. */
export function validatePlaybooksSearch(raw: Record<string, unknown>): PlaybooksSearch {
  return serializePlaybooksSearch(parsePlaybooksSearch(raw));
}
