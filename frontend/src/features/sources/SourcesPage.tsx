import { Link } from "@tanstack/react-router";
import { FreshnessCard } from "./FreshnessCard";
import { UnmatchedCard } from "./UnmatchedCard";

export function SourcesPage() {
  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1>Sources</h1>
          <p className="page-subtitle">
            Where Tempo's data comes from, how fresh it is, and the records that found no account.
          </p>
        </div>
        <Link to="/import" className="btn">
          Import a file
        </Link>
      </div>
      <FreshnessCard />
      <UnmatchedCard />
    </div>
  );
}
