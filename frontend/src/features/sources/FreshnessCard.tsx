import { getRouteApi, Link } from "@tanstack/react-router";
import { type ReactNode, useMemo } from "react";
import type { DataSource } from "../../api/client";
import { formatInteger, formatTimeAgo, formatUtcDateTime } from "../../lib/format";
import { useNow } from "../../lib/useNow";
import { Pill } from "../../ui/Pill";
import { EmptyState, ErrorState, LoadingBlock } from "../../ui/states";
import { type Freshness, freshness, sortByFreshness } from "./freshness";
import { useSources } from "./queries";
import { parseSourcesSearch, type SourcesState, withRejected } from "./searchState";

const route = getRouteApi("/_app/sources");

function days(n: number): string {
  return n === 1 ? "1 day" : `${formatInteger(n)} days`;
}

function FreshnessPill({ status, source }: { status: Freshness; source: DataSource }) {
  if (status === "never") {
    return <Pill title="Nothing has been received from this source yet">Never</Pill>;
  }
  if (status === "stale") {
    return (
      <Pill tone="red" title={`Nothing received for more than ${days(source.stale_after_days)}`}>
        Stale
      </Pill>
    );
  }
  return (
    <Pill tone="green" title={`Received within the last ${days(source.stale_after_days)}`}>
      Fresh
    </Pill>
  );
}

/** The count of items refused in the last 90 days; when any, a link opening them below. */
function RejectedCount({ source, state }: { source: DataSource; state: SourcesState }) {
  if (source.rejected <= 0) return <span className="muted">0</span>;
  const open = state.rejected === source.key;
  return (
    <Link
      to="/sources"
      search={withRejected(state, open ? "" : source.key)}
      resetScroll={false}
      className="rejected-link"
      aria-label={`${open ? "Hide" : "Show"} ${formatInteger(source.rejected)} rejected items from ${source.name}`}
      aria-expanded={open}
    >
      {formatInteger(source.rejected)}
    </Link>
  );
}

function FreshnessRow({
  source,
  now,
  state,
}: {
  source: DataSource;
  now: number;
  state: SourcesState;
}) {
  const status = freshness(source, now);
  return (
    <tr data-testid="source-row">
      <td>
        <span title={source.key}>{source.name}</span>
        {source.name !== source.key ? <span className="cell-sub mono">{source.key}</span> : null}
      </td>
      <td>
        {source.last_received_at ? (
          <span title={formatUtcDateTime(source.last_received_at)}>
            {formatTimeAgo(source.last_received_at, now)}
          </span>
        ) : (
          <span className="muted">Never</span>
        )}
      </td>
      <td className="num">{formatInteger(source.items_received)}</td>
      <td className="num">
        <RejectedCount source={source} state={state} />
      </td>
      <td className="num">{days(source.stale_after_days)}</td>
      <td>
        <FreshnessPill status={status} source={source} />
      </td>
    </tr>
  );
}

/** Every data source with how fresh its data is, stale ones first. */
export function FreshnessCard() {
  const sources = useSources();
  const search = route.useSearch();
  const state = useMemo(() => parseSourcesSearch(search), [search]);
  const now = useNow();
  const rows = useMemo(() => sortByFreshness(sources.data ?? [], now), [sources.data, now]);

  let content: ReactNode;
  if (sources.isPending) {
    content = <LoadingBlock lines={3} label="Loading sources" />;
  } else if (sources.isError) {
    content = (
      <ErrorState
        title="Couldn't load data sources"
        error={sources.error}
        onRetry={() => void sources.refetch()}
      />
    );
  } else if (rows.length === 0) {
    content = (
      <EmptyState title="No data sources yet" action={<Link to="/import">Import a file</Link>}>
        A source appears here once it has pushed data to the ingest API or a file has been imported.
      </EmptyState>
    );
  } else {
    content = (
      <div className="table-scroll">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Source</th>
              <th scope="col">Last received</th>
              <th scope="col" className="num">
                Items received
              </th>
              <th scope="col" className="num" title="Items refused in the last 90 days">
                Rejected
              </th>
              <th scope="col" className="num">
                Stale after
              </th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((source) => (
              <FreshnessRow key={source.key} source={source} now={now} state={state} />
            ))}
          </tbody>
        </table>
      </div>
    );
  }

  return (
    <section className="card table-card" aria-labelledby="freshness-title">
      <div className="card-header">
        <h2 id="freshness-title">Data freshness</h2>
        {sources.data ? (
          <span className="muted">{formatInteger(sources.data.length)} sources</span>
        ) : null}
      </div>
      {content}
    </section>
  );
}
