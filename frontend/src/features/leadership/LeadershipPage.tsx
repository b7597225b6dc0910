import { getRouteApi } from "@tanstack/react-router";
import { useMemo } from "react";
import { formatDate } from "../../lib/format";
import { scopeWords, shownScope } from "../../lib/scope";
import { FreshnessNote } from "../../ui/FreshnessNote";
import { ScopeToggle } from "../../ui/ScopeToggle";
import { EmptyState, ErrorState } from "../../ui/states";
import { useMe } from "../auth/queries";
import { HygieneScoreCard } from "../hygiene/HygieneScoreCard";
import { useReportingContext } from "../meta/queries";
import { BoardPackButton } from "./BoardPackButton";
import { DueRenewalsCard } from "./DueRenewalsCard";
import { KpiTiles } from "./KpiTiles";
import { MovementsCard } from "./MovementsCard";
import { MoversWeekCard } from "./MoversWeekCard";
import { OverviewCards } from "./OverviewCards";
import { useOverview, useRetention, useSummary } from "./queries";
import { SentimentCards } from "./SentimentCard";
import { SummaryFacts } from "./SummaryFacts";
import "./leadership.css";
// The renewals table cells shown here (suggested forecast marks) are styled there.
import "../renewals/renewals.css";
import {
  type LeadershipState,
  parseLeadershipSearch,
  serializeLeadershipSearch,
  toRetentionQuery,
} from "./searchState";

const route = getRouteApi("/_app/leadership");

export const PROVISIONAL_NOTE = "The last 30 days are provisional: a churn may yet be bridged.";

export function LeadershipPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const state = useMemo(() => parseLeadershipSearch(search), [search]);
  const { currency: fallbackCurrency } = useReportingContext();
  const summary = useSummary();
  const data = summary.data;
  // The movements card's query (the same key): the page says when either is being rebuilt.
  const retentionQuery = useMemo(() => toRetentionQuery(state), [state]);
  const retention = useRetention(retentionQuery);
  // Money is in the reporting currency: the summary says which.
  const currency = data?.currency ?? fallbackCurrency;
  const noRevenue = data !== undefined && data.arr === 0 && data.series.every((p) => p.arr === 0);
  // The first screen: whose accounts it counts is the scope in the URL, else the caller's default.
  const role = useMe().data?.role;
  const overview = useOverview(state.scope);
  const scope = shownScope(state.scope, overview.data?.scope, role) || "all";

  const update = (patch: Partial<LeadershipState>) => {
    void navigate({ search: serializeLeadershipSearch({ ...state, ...patch }), replace: true });
  };

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1>Leadership</h1>
          <p className="page-subtitle">
            Revenue at risk, this week's accounts and next quarter's pipeline, over{" "}
            {scopeWords(scope)}
            {data ? ` · as of ${formatDate(data.as_of)}` : ""}
          </p>
          <FreshnessNote answers={[data?.freshness, retention.data?.freshness]} />
        </div>
        <div className="page-actions leadership-actions">
          <ScopeToggle value={scope} onChange={(v) => update({ scope: v })} />
          {/* The board pack is rendered for those who present it: admins and leaders. */}
          {role === "admin" || role === "leader" ? <BoardPackButton scope={scope} /> : null}
        </div>
      </div>

      <OverviewCards
        data={overview.data}
        scope={scope}
        currency={overview.data?.currency ?? currency}
        error={overview.isError ? overview.error : null}
        onRetry={() => void overview.refetch()}
      />
      <HygieneScoreCard scope={scope} />

      <div className="leadership-section-head">
        <h2 className="leadership-section-title">Revenue metrics · every account</h2>
        {data && !noRevenue ? <SummaryFacts summary={data} currency={currency} /> : null}
      </div>

      {summary.isError ? (
        <section className="card">
          <ErrorState
            title="Couldn't load the metrics"
            error={summary.error}
            onRetry={() => void summary.refetch()}
          />
        </section>
      ) : noRevenue ? (
        <section className="card">
          <EmptyState title="No revenue data yet">
            The metrics come from subscription lines: import or sync them to see ARR, retention and
            churn.
          </EmptyState>
        </section>
      ) : (
        <>
          <KpiTiles summary={data} currency={currency} />
          {data?.series.some((p) => p.provisional) ? (
            <p className="provisional-note muted small" data-testid="provisional-note">
              <span className="provisional-swatch" aria-hidden="true" />
              {PROVISIONAL_NOTE}
            </p>
          ) : null}
        </>
      )}

      <div className="leadership-section-head">
        <h2 className="leadership-section-title">Customer sentiment · {scopeWords(scope)}</h2>
      </div>
      <SentimentCards data={overview.data} />

      <MovementsCard state={state} currency={currency} onChange={update} />

      <div className="leadership-grid">
        <DueRenewalsCard currency={currency} />
        <MoversWeekCard currency={currency} />
      </div>
    </div>
  );
}
