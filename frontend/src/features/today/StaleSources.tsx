import { Link } from "@tanstack/react-router";
import { formatDate } from "../../lib/format";
import { useStaleSources } from "./queries";

/** Roles that fix a silent source (its connector, its export): admins and leaders. */
const FIXERS = new Set(["admin", "leader"]);

/**
 * Sources that stopped sending: scores that read them go stale without anyone noticing, so
 * the people who can fix them see it first thing, with a way to the Sources page.
 */
export function StaleSources({ role }: { role: string | undefined }) {
  const shown = role !== undefined && FIXERS.has(role);
  const stale = useStaleSources(shown);
  const items = stale.data?.items ?? [];
  if (!shown || items.length === 0) return null;
  return (
    <section className="alert stale-sources" aria-label="Stale data sources">
      <strong>
        {items.length === 1 ? "A data source has" : `${items.length} data sources have`} stopped
        sending
      </strong>
      <ul>
        {items.map((a) => (
          <li key={a.id} data-testid="stale-source">
            {a.title}
            {typeof a.facts?.last_received_at === "string"
              ? ` (last data ${formatDate(a.facts.last_received_at)})`
              : ""}
          </li>
        ))}
      </ul>
      <span className="small">
        Health scores that read {items.length === 1 ? "it" : "them"} are going stale.{" "}
        <Link to="/sources">Check the sources →</Link>
      </span>
    </section>
  );
}
