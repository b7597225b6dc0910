/** The quarter-over-quarter transition matrix as rows and columns (pure). */
import { QUADRANT_KEYS, quadrantLabel } from "../../ui/health";
import type { TransitionCount } from "./queries";

const SHORT: Record<string, string> = {
  frustrated_power_users: "Frustrated",
  relationship_dependent: "Rel.-Dependent",
};

/** A quadrant's name short enough for a narrow column (the full name goes in a title). */
export function shortQuadrant(quadrant: string): string {
  return SHORT[quadrant] ?? quadrantLabel(quadrant);
}

/** null: not placed on that date (a new account as a row, a gone one as a column). */
export type Slot = string | null;

export interface TransitionGrid {
  rows: Slot[];
  columns: Slot[];
  cell: (from: Slot, to: Slot) => TransitionCount | undefined;
  rowTotal: (from: Slot) => number;
  /** Accounts placed on both dates, and those of them in the same quadrant. */
  placed: number;
  stayed: number;
}

export function transitionGrid(cells: TransitionCount[]): TransitionGrid {
  const rows: Slot[] = [...QUADRANT_KEYS];
  const columns: Slot[] = [...QUADRANT_KEYS];
  if (cells.some((c) => c.from_quadrant === null)) rows.push(null);
  if (cells.some((c) => c.to_quadrant === null)) columns.push(null);
  const byKey = new Map(cells.map((c) => [`${c.from_quadrant}|${c.to_quadrant}`, c]));
  let placed = 0;
  let stayed = 0;
  for (const c of cells) {
    if (c.from_quadrant === null || c.to_quadrant === null) continue;
    placed += c.accounts;
    if (c.from_quadrant === c.to_quadrant) stayed += c.accounts;
  }
  return {
    rows,
    columns,
    cell: (from, to) => byKey.get(`${from}|${to}`),
    rowTotal: (from) =>
      cells.filter((c) => c.from_quadrant === from).reduce((n, c) => n + c.accounts, 0),
    placed,
    stayed,
  };
}
