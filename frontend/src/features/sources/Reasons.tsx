import type { ItemError } from "../../api/client";

/** Why an item was refused: `amount.currency: no exchange rate for XYZ` (just the message without a location). */
export function reasonText(error: ItemError): string {
  const where = error.loc.join(".");
  return where ? `${where}: ${error.msg}` : error.msg;
}

/** Each reason on its own line; "Rejected" when the server gave none. */
export function Reasons({ errors }: { errors: readonly ItemError[] | null | undefined }) {
  if (!errors?.length) return <span className="muted">Rejected</span>;
  return (
    <ul className="reasons">
      {errors.map((error, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the server's list, shown as is
        <li key={i}>{reasonText(error)}</li>
      ))}
    </ul>
  );
}
