import type { AccountDetail } from "../../api/client";
import { canWork } from "../today/queries";

/** Why a write control is disabled on an account the caller may not change (the server's 403). */
export const READ_ONLY_REASON =
  "Read-only: you change only the accounts you own or are on the team of";

/**
 * What the caller may do on this account (DESIGN §16). `work`: their role acts on accounts at
 * all (a viewer's page has no write controls). `locked`: they work, but not on this account
 * (`can_edit` false): its write controls show disabled, with `reason` as their tooltip.
 */
export interface AccountAccess {
  work: boolean;
  locked: boolean;
  reason: string | undefined;
}

export function accountAccess(
  role: string | undefined,
  account: Pick<AccountDetail, "can_edit"> | undefined,
): AccountAccess {
  const work = canWork(role);
  // strictly false: a picture without the field (an older server) locks nothing, as before
  const locked = work && account?.can_edit === false;
  return { work, locked, reason: locked ? READ_ONLY_REASON : undefined };
}

/** A person as the page names them: their name, else their email. */
export function personName(person: { name?: string | null; email: string }): string {
  return person.name || person.email;
}
