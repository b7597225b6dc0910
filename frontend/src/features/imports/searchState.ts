import { isKind, type Kind } from "../../api/kinds";

/** `/import?kind=tickets`: only the kind is shareable; the rest of the wizard is React state. */
export interface ImportSearch {
  kind?: Kind;
}

export function validateImportSearch(raw: Record<string, unknown>): ImportSearch {
  return isKind(raw.kind) ? { kind: raw.kind } : {};
}
