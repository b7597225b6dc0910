import { Link } from "@tanstack/react-router";
import { formatInteger } from "../../lib/format";
import type { ListScope } from "../../lib/scope";
import { ErrorState, LoadingBlock } from "../../ui/states";
import { formatShare, worstChecks } from "./hygiene";
import { type HygieneCheck, useHygiene } from "./queries";
import { ScoreFigure } from "./ScoreCard";
import "./hygiene.css";

/** The two checks most in need of fixing, each linking to its accounts on the page. */
function WorstChecks({ checks, scope }: { checks: HygieneCheck[]; scope: ListScope | "" }) {
  const worst = worstChecks(checks, 2);
  if (worst.length === 0) return <p className="muted small">No check fails.</p>;
  return (
    <ul className="hygiene-mini-list" aria-label="Worst checks">
      {worst.map((c) => (
        <li key={c.key}>
          <Link
            to="/hygiene"
            search={{ ...(scope ? { scope } : {}), ...(c.lists_accounts ? { open: c.key } : {}) }}
          >
            {c.label}
          </Link>
          <span className="muted small">
            {" "}
            {c.unit === "accounts"
              ? `${formatShare(c.share)} · ${formatInteger(c.failing)} of ${formatInteger(c.total)}`
              : `${formatInteger(c.failing)} of ${formatInteger(c.total)} ${c.unit}`}
          </span>
        </li>
      ))}
    </ul>
  );
}

/**
 * A small card for other pages (Leadership): the data hygiene score of `scope`'s accounts, the
 * two checks most in need of fixing, and a link to the Data hygiene page. Fetches on its own.
 */
export function HygieneScoreCard({ scope = "" }: { scope?: ListScope | "" }) {
  const hygiene = useHygiene(scope);
  const data = hygiene.data;
  return (
    <section className="card hygiene-mini" aria-labelledby="hygiene-mini-title">
      <div className="card-header">
        <h2 id="hygiene-mini-title">Data hygiene</h2>
        <Link to="/hygiene" search={scope ? { scope } : {}} className="small">
          All checks
        </Link>
      </div>
      {hygiene.isPending ? (
        <LoadingBlock lines={3} label="Loading data hygiene" />
      ) : hygiene.isError ? (
        <ErrorState
          title="Couldn't load data hygiene"
          error={hygiene.error}
          onRetry={() => void hygiene.refetch()}
        />
      ) : data ? (
        <div className="card-body">
          <ScoreFigure data={data} small testId="hygiene-mini-score" />
          <WorstChecks checks={data.checks} scope={scope} />
        </div>
      ) : null}
    </section>
  );
}
