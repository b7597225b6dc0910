/**
 * How a person who owns an account is shown everywhere: their name, with their email on
 * hover (and for screen readers); the email when no name is known; "Unassigned" for nobody.
 */
export function Owner({
  name,
  email,
  empty = "Unassigned",
}: {
  name?: string | null;
  email?: string | null;
  empty?: string;
}) {
  const shown = name?.trim() || email;
  if (!shown) return <span className="muted">{empty}</span>;
  return (
    <span className="owner" title={email && email !== shown ? email : undefined}>
      {shown}
      {email && email !== shown ? <span className="visually-hidden"> ({email})</span> : null}
    </span>
  );
}
