import type { operations } from "../../api/schema";
import { type ListScope, parseScope } from "../../lib/scope";

/**
 * The Today page's state in the URL: `?scope=all&kind=risk&item=risk-<account id>&page=2`.
 * Single mapping between URL search params (strings, possibly garbage) and typed state.
 */

export type Scope = ListScope;
export type ItemKind = "risk" | "opportunity";
export type KindFilter = ItemKind | "all";

export const QUEUE_PAGE_SIZE = 25;

export interface TodayState {
  /** "" = the server's default: a CSM's own accounts, a leader's team's, everyone's for others. */
  scope: Scope | "";
  kind: KindFilter;
  /** The expanded item (`itemKey`), "" when none. */
  item: string;
  page: number;
}

export interface TodaySearch {
  scope?: Scope;
  kind?: ItemKind;
  item?: string;
  page?: number;
}

/** An account can be in the queue twice (a risk and an opportunity): the kind is part of the key. */
export function itemKey(kind: string, accountId: string): string {
  return `${kind}-${accountId}`;
}

const ITEM_KEY = /^(risk|opportunity)-[0-9a-fA-F-]{1,64}$/;

function text(value: unknown): string {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return typeof value === "string" ? value.trim() : "";
}

export function parseTodaySearch(raw: Record<string, unknown>): TodayState {
  const scope = text(raw.scope);
  const kind = text(raw.kind);
  const item = text(raw.item);
  const page = Number(text(raw.page));
  return {
    scope: parseScope(scope),
    kind: kind === "risk" || kind === "opportunity" ? kind : "all",
    item: ITEM_KEY.test(item) ? item : "",
    page: Number.isSafeInteger(page) && page > 1 && page <= 10_000 ? page : 1,
  };
}

export function serializeTodaySearch(state: TodayState): TodaySearch {
  const out: TodaySearch = {};
  if (state.scope) out.scope = state.scope;
  if (state.kind !== "all") out.kind = state.kind;
  if (state.item) out.item = state.item;
  if (state.page > 1) out.page = state.page;
  return out;
}

/** Route `validateSearch` for /today. */
export function validateTodaySearch(raw: Record<string, unknown>): TodaySearch {
  return serializeTodaySearch(parseTodaySearch(raw));
}

export type QueueQuery = NonNullable<operations["listQueue"]["parameters"]["query"]>;

export function toQueueQuery(state: TodayState): QueueQuery {
  const query: QueueQuery = { page: state.page, page_size: QUEUE_PAGE_SIZE };
  if (state.scope) query.scope = state.scope;
  if (state.kind !== "all") query.kind = state.kind;
  return query;
}
