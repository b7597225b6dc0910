import { getRouteApi } from "@tanstack/react-router";
import { type ReactNode, useMemo } from "react";
import { formatDate, formatInteger } from "../../lib/format";
import { scopeWords, shownScope } from "../../lib/scope";
import { ScopeToggle } from "../../ui/ScopeToggle";
import { EmptyState, ErrorState, LoadingBlock } from "../../ui/states";
import { useMe } from "../auth/queries";
import { useReportingContext } from "../meta/queries";
import { DistributionCard } from "./DistributionCard";
import { MoversCard } from "./MoversCard";
import { QuadrantScatter } from "./QuadrantScatter";
import { useQuadrantChurn, useQuadrants } from "./queries";
import "./quadrants.css";
import { SummaryTiles } from "./SummaryTiles";
import { parseQuadrantsSearch, type QuadrantsState, serializeQuadrantsSearch } from "./searchState";

const route = getRouteApi("/_app/quadrants");

export function QuadrantsPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const state = useMemo(() => parseQuadrantsSearch(search), [search]);
  const { currency, today } = useReportingContext();
  const view = useQuadrants(state.asOf, state.scope);
  const churn = useQuadrantChurn(state.scope);
  const me = useMe();
  const data = view.data;
  const scope = shownScope(state.scope, data?.scope, me.data?.role);

  const update = (patch: Partial<QuadrantsState>, replace = false) => {
    void navigate({ search: serializeQuadrantsSearch({ ...state, ...patch }), replace });
  };

  const noScores = data !== undefined && data.as_of === null;

  let scatter: ReactNode;
  if (view.isPending) scatter = <LoadingBlock lines={8} label="Loading accounts" />;
  else if (view.isError) {
    scatter = (
      <ErrorState
        title="Couldn't load the quadrants"
        error={view.error}
        onRetry={() => void view.refetch()}
      />
    );
  } else if (view.data.points.length === 0) {
    scatter = (
      <EmptyState title="No placed accounts on this date">
        Pick a later date, or wait for the next scoring run.
      </EmptyState>
    );
  } else {
    scatter = (
      <div className="card-body chart-body">
        <QuadrantScatter view={view.data} currency={currency} />
      </div>
    );
  }

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1>Quadrants</h1>
          <p className="page-subtitle" data-testid="quadrants-scope">
            {scope === "all" || scope === ""
              ? "Every account"
              : scopeWords(scope).replace(/^y/, "Y")}{" "}
            placed by product usage against relationship health
            {data?.as_of ? ` · as of ${formatDate(data.as_of)}` : ""}
          </p>
        </div>
        <div className="page-actions">
          <ScopeToggle value={scope} onChange={(next) => update({ scope: next, page: 1 })} />
          <label className="inline-field">
            As of
            <input
              type="date"
              className="input"
              value={state.asOf}
              max={today}
              onChange={(e) => update({ asOf: e.target.value, page: 1 }, true)}
            />
          </label>
          {state.asOf ? (
            <button
              type="button"
              className="btn btn-sm"
              onClick={() => update({ asOf: "", page: 1 })}
            >
              Latest
            </button>
          ) : null}
        </div>
      </div>

      {noScores ? (
        <section className="card">
          <EmptyState title="No health scores yet">
            Accounts are placed in quadrants once they have been scored. Scores appear after the
            first scoring run (nightly, or <code>tempo score</code>).
          </EmptyState>
        </section>
      ) : (
        <>
          <SummaryTiles
            summary={data?.summary}
            churn={churn.data}
            scope={scope}
            currency={currency}
          />
          <div className="quadrant-grid">
            <section className="card" aria-labelledby="scatter-title">
              <div className="card-header">
                <h2 id="scatter-title">Usage × health</h2>
                <span className="muted">
                  {data
                    ? `${formatInteger(data.points.length)} accounts · bubble size ∝ √ARR${
                        data.unplaced
                          ? ` · ${formatInteger(data.unplaced)} unplaced (missing data)`
                          : ""
                      }`
                    : "\u00a0"}
                </span>
              </div>
              {scatter}
            </section>
            <DistributionCard
              to={state.asOf}
              scope={state.scope}
              measure={state.measure}
              currency={currency}
              onMeasure={(measure) => update({ measure }, true)}
            />
          </div>
          <MoversCard
            until={state.asOf}
            today={today}
            direction={state.direction}
            window={state.window}
            page={state.page}
            scope={state.scope}
            showOwner={scope !== "mine"}
            currency={currency}
            onChange={(patch) => update(patch)}
          />
        </>
      )}
    </div>
  );
}
