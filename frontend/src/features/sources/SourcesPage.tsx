import { Link } from "@tanstack/react-router";
import { ConnectorsNote } from "./ConnectorsNote";
import { FreshnessCard } from "./FreshnessCard";
import { RejectionsCard } from "./RejectionsCard";
import { UnmatchedCard } from "./UnmatchedCard";
import "./sources.css";

export function SourcesPage() {
  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1>Sources</h1>
          <p className="page-subtitle">
            Where Tempo's data comes from, how fresh it is, and the records that found no account.
          </p>
          <ConnectorsNote />
        </div>
        <Link to="/import" className="btn">
          Import a file
        </Link>
      </div>
      <FreshnessCard />
      <RejectionsCard />
      <UnmatchedCard />
    </div>
  );
}
