import { getRouteApi } from "@tanstack/react-router";
import { type ReactNode, useMemo } from "react";
import { formatInteger, formatMoneyCompact, formatUtcDateTime } from "../../lib/format";
import { scopeWords, shownScope } from "../../lib/scope";
import { ScopeToggle } from "../../ui/ScopeToggle";
import { ErrorState, LoadingBlock } from "../../ui/states";
import { useMe } from "../auth/queries";
import { useReportingContext } from "../meta/queries";
import { ChecksCard } from "./ChecksCard";
import { FillRatesCard } from "./FillRatesCard";
import { useHygiene } from "./queries";
import { ScoreCard } from "./ScoreCard";
import { type HygieneState, parseHygieneSearch, serializeHygieneSearch } from "./searchState";
import "./hygiene.css";

const route = getRouteApi("/_app/hygiene");

/**
 * Data hygiene: how far the book's data can be trusted (fill rates of the fields that segment
 * or drive a metric, consistency checks, one score) and the accounts to fix.
 */
export function HygienePage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const state = useMemo(() => parseHygieneSearch(search), [search]);
  const { currency } = useReportingContext();
  const me = useMe();
  const hygiene = useHygiene(state.scope);
  const data = hygiene.data;
  const scope = shownScope(state.scope, data?.scope, me.data?.role);

  const update = (patch: Partial<HygieneState>, replace = false) => {
    void navigate({ search: serializeHygieneSearch({ ...state, ...patch }), replace });
  };
  const toggle = (key: string) => update({ open: state.open === key ? "" : key }, true);

  let body: ReactNode;
  if (hygiene.isPending) {
    body = (
      <section className="card">
        <LoadingBlock lines={8} label="Loading data hygiene" />
      </section>
    );
  } else if (hygiene.isError) {
    body = (
      <section className="card">
        <ErrorState
          title="Couldn't load data hygiene"
          error={hygiene.error}
          onRetry={() => void hygiene.refetch()}
        />
      </section>
    );
  } else if (data) {
    body = (
      <div className={hygiene.isPlaceholderData ? "hygiene-grid is-busy" : "hygiene-grid"}>
        <ScoreCard data={data} />
        <FillRatesCard
          fills={data.fill_rates}
          scope={state.scope}
          currency={currency}
          open={state.open}
          onToggle={toggle}
        />
        <div className="hygiene-wide">
          <ChecksCard
            checks={data.checks}
            scope={state.scope}
            currency={currency}
            open={state.open}
            onToggle={toggle}
          />
        </div>
      </div>
    );
  }

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1>Data hygiene</h1>
          <p className="page-subtitle" data-testid="hygiene-subtitle">
            How complete and consistent the data of {scopeWords(scope)} is
            {data
              ? `: ${formatInteger(data.accounts)} active ${data.accounts === 1 ? "account" : "accounts"}, ${formatMoneyCompact(data.arr, currency)} ARR`
              : ""}
          </p>
          {data ? (
            <p className="muted small" title={formatUtcDateTime(data.as_of)}>
              Computed live; an account is silent after {data.silent_days} days without a signal
            </p>
          ) : null}
        </div>
        <div className="page-actions">
          <ScopeToggle value={scope} onChange={(next) => update({ scope: next, open: "" })} />
        </div>
      </div>
      {body}
    </div>
  );
}
