import { sourceLabel, termLabel } from "./terms";

/**
 * A renewal's term as a short label ("Annual", "Monthly"…), with where its date comes from
 * as the tooltip ("From the CRM contract date", "Next billing cycle"). Nothing for no term.
 */
export function TermLabel({
  term,
  source,
  className,
  lower = false,
}: {
  term: string | null | undefined;
  source?: string | null;
  className?: string;
  /** Lower case, for use inside a sentence ("in 12 d · annual"). */
  lower?: boolean;
}) {
  const label = termLabel(term);
  if (!label) return null;
  const title = sourceLabel(source) || undefined;
  const classes = ["renewal-term", title ? "has-tip" : "", className ?? ""].filter(Boolean);
  return (
    <span className={classes.join(" ")} title={title} data-testid="renewal-term">
      {lower ? label.toLowerCase() : label}
    </span>
  );
}
