/**
 * Who sees "Data hygiene" in the navigation: leaders and admins, who answer for the book's data
 * and can get it fixed. The API answers every signed-in role (a CSM reading /hygiene sees their
 * own accounts); the link is only left out of the others' navigation.
 */
export const HYGIENE_ROLES: ReadonlySet<string> = new Set(["admin", "leader"]);
