import type { Schemas } from "./client";

/** The backend's item kinds (`Kind` enum), as a runtime list for selects and URL validation. */
export type Kind = Schemas["Kind"];

export const KINDS = [
  "accounts",
  "contacts",
  "events",
  "usage-daily",
  "tickets",
  "surveys",
  "touchpoints",
  "subscriptions",
  "invoices",
] as const satisfies readonly Kind[];

/** Compile-time check that KINDS lists every member of the generated enum. */
type MissingKinds = Exclude<Kind, (typeof KINDS)[number]>;
const everyKindListed: MissingKinds extends never ? true : MissingKinds = true;
void everyKindListed;

export const KIND_LABELS: Record<Kind, string> = {
  accounts: "Accounts",
  contacts: "Contacts",
  events: "Product events",
  "usage-daily": "Daily usage",
  tickets: "Support tickets",
  surveys: "Survey responses",
  touchpoints: "Touchpoints",
  subscriptions: "Subscriptions",
  invoices: "Invoices",
};

export function isKind(value: unknown): value is Kind {
  return typeof value === "string" && (KINDS as readonly string[]).includes(value);
}

/** Label for a kind; unknown kinds from a newer backend are shown as sent. */
export function kindLabel(kind: string): string {
  return isKind(kind) ? KIND_LABELS[kind] : kind;
}
