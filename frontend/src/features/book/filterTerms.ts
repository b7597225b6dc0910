/**
 * The book's filter language on the client: `renewal_in<=60 band=at_risk qbr>90`.
 * The server parses and validates it (`accounts:list?filter=`); this module only splits
 * a filter into terms for chips, writes terms back, and says each one in words.
 */

export type FilterOp = "=" | "!=" | "<" | "<=" | ">" | ">=";

export interface FilterTerm {
  field: string;
  op: FilterOp;
  /** The value as written (commas separate alternatives for = and !=). */
  value: string;
}

/** What the book knows about a field (from `accounts:fields`); enough to describe a term. */
export interface FieldInfo {
  name: string;
  label: string;
  kind: string;
  ops: string[];
  choices: string[];
}

const TERM = /^([a-z_]+)\s*(<=|>=|!=|=|:|<|>)\s*([\s\S]*)$/;

/** Split on spaces outside quotes; quotes are kept so terms can be written back unchanged. */
export function splitFilter(text: string): string[] {
  const out: string[] = [];
  let current = "";
  let quote: string | null = null;
  for (const ch of text) {
    if (quote) {
      current += ch;
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      current += ch;
    } else if (/\s/.test(ch)) {
      if (current) out.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  if (current) out.push(current);
  return out;
}

function unquote(value: string): string {
  return value.replace(/^(["'])([\s\S]*)\1$/, "$2").replace(/(["'])([^"']*)\1/g, "$2");
}

export function parseTerm(raw: string): FilterTerm | null {
  const m = TERM.exec(raw);
  if (!m) return null;
  const op = (m[2] === ":" ? "=" : m[2]) as FilterOp;
  return { field: m[1] as string, op, value: unquote((m[3] as string).trim()) };
}

/** Terms of a filter; pieces that are not terms are kept as `null` (the server will say why). */
export function parseFilter(text: string): (FilterTerm | null)[] {
  return splitFilter(text).map(parseTerm);
}

function quoteValue(value: string): string {
  return value
    .split(",")
    .map((v) => (/[\s"']/.test(v) ? `"${v.replace(/"/g, "")}"` : v))
    .join(",");
}

export function formatTerm(term: FilterTerm): string {
  return `${term.field}${term.op}${quoteValue(term.value)}`;
}

/** The filter with `term` added (replacing an identical field+op term). */
export function addTerm(text: string, term: FilterTerm): string {
  const kept = splitFilter(text).filter((raw) => {
    const t = parseTerm(raw);
    return !(t && t.field === term.field && t.op === term.op);
  });
  return [...kept, formatTerm(term)].join(" ");
}

export function removeTermAt(text: string, index: number): string {
  return splitFilter(text)
    .filter((_, i) => i !== index)
    .join(" ");
}

const OP_WORDS: Record<FilterOp, string> = {
  "=": "is",
  "!=": "is not",
  "<": "<",
  "<=": "≤",
  ">": ">",
  ">=": "≥",
};

function words(value: string): string {
  return value
    .split(",")
    .map((v) => v.replace(/_/g, " "))
    .join(" or ");
}

/** A term in words: "Renewal in ≤ 60 days", "Health band is at risk", "Last QBR > 90 days ago". */
export function describeTerm(term: FilterTerm, field?: FieldInfo): string {
  const label = field?.label ?? term.field.replace(/_/g, " ");
  const op = OP_WORDS[term.op];
  const value = term.value.replace(/d$/, "");
  switch (field?.kind ?? "") {
    case "days_until":
      return `Renewal in ${op} ${value} days`;
    case "days_since":
      return `${label.replace(/^Days since /i, "")} ${op} ${value} days ago`.replace(/^./, (c) =>
        c.toUpperCase(),
      );
    case "days":
      return `${label} ${op} ${value} days`;
    case "owner":
      return `Owner ${op} ${term.value === "me" ? "me" : words(term.value)}`;
    case "alert":
      return term.value === "any"
        ? term.op === "="
          ? "Has an open alert"
          : "No open alert"
        : `Open alert ${op} ${words(term.value)}`;
    default:
      return `${label} ${op} ${words(term.value)}`;
  }
}

/**
 * `renewal_in` means term renewals (annual, multi-year, contract) unless the filter also
 * names a `term` (`renewal_in<=30 term=monthly`): a note saying so, or null when it does not apply.
 */
export function renewalScopeNote(terms: readonly (FilterTerm | null)[]): string | null {
  const fields = new Set(terms.map((t) => t?.field));
  if (!fields.has("renewal_in") || fields.has("term")) return null;
  return "Renewal days count annual, multi-year and contract renewals. Add a Renewal term filter to include monthly billing cycles.";
}
