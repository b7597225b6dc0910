import { getRouteApi } from "@tanstack/react-router";
import { type ReactNode, useMemo } from "react";
import { formatInteger, formatMoney, formatMoneyCompact } from "../../lib/format";
import { scopeWords, shownScope } from "../../lib/scope";
import { FreshnessNote } from "../../ui/FreshnessNote";
import { ScopeToggle } from "../../ui/ScopeToggle";
import { EmptyState, ErrorState, LoadingBlock } from "../../ui/states";
import { useMe } from "../auth/queries";
import { useReportingContext } from "../meta/queries";
import { monthOf } from "./calendar";
import { ExportButtons } from "./ExportButtons";
import { canEditRenewals } from "./forecast";
import { useRenewals, useRenewalsRollup } from "./queries";
import { RenewalsCalendar } from "./RenewalsCalendar";
import { RenewalsFilters } from "./RenewalsFilters";
import { RenewalsTable } from "./RenewalsTable";
import { RollupCard } from "./RollupCard";
import "./renewals.css";
import {
  hasFilters,
  parseRenewalsSearch,
  type RenewalsState,
  rollupDays,
  serializeRenewalsSearch,
  toRenewalsQuery,
  windowLabel,
} from "./searchState";
import { termFilterWords } from "./terms";

const route = getRouteApi("/_app/renewals");

export function RenewalsPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const state = useMemo(() => parseRenewalsSearch(search), [search]);
  const { currency, today } = useReportingContext();
  const me = useMe();
  const role = me.data?.role;
  const canEdit = canEditRenewals(role);
  const query = useMemo(() => toRenewalsQuery(state), [state]);
  const renewals = useRenewals(query);
  const data = renewals.data;
  // The rollup card's query (the same key): the page says when either is being rebuilt.
  const rollup = useRenewalsRollup(rollupDays(state.days), state.term, state.scope);
  const scope = shownScope(state.scope, data?.scope, role);

  const update = (patch: Partial<RenewalsState>, replace = false) => {
    void navigate({ search: serializeRenewalsSearch({ ...state, ...patch }), replace });
  };
  // the filters, not whose accounts: the toggle stays where it is
  const clearFilters = () => update({ status: "open", term: "term", forecast: "", segment: "" });

  const arr = data?.items.reduce((sum, r) => sum + r.arr_up_for_renewal, 0) ?? 0;

  let empty: ReactNode = null;
  if (renewals.isError) {
    empty = (
      <ErrorState
        title="Couldn't load renewals"
        error={renewals.error}
        onRetry={() => void renewals.refetch()}
      />
    );
  } else if (data && data.items.length === 0) {
    if (state.status === "closed" && state.days !== null) {
      empty = (
        <EmptyState
          title="No closed renewals in this window"
          action={
            <button type="button" className="btn btn-sm" onClick={() => update({ days: null })}>
              Show any date
            </button>
          }
        >
          The window counts from today forward; renewals close once their date has passed.
        </EmptyState>
      );
    } else if (hasFilters(state)) {
      empty = (
        <EmptyState
          title="No renewals match these filters"
          action={
            <button type="button" className="btn btn-sm" onClick={clearFilters}>
              Clear filters
            </button>
          }
        />
      );
    } else {
      empty = (
        <EmptyState
          title={`Nothing renews in ${windowLabel(state.days)}`}
          action={
            <button type="button" className="btn btn-sm" onClick={() => update({ term: "all" })}>
              Include monthly
            </button>
          }
        >
          An account renews on its CRM contract date, or else at its next billing cycle. Monthly
          billing cycles are left out unless you include them.
          {scope === "mine" || scope === "team"
            ? ` This lists ${scopeWords(scope)}: Everyone shows the whole book.`
            : null}
        </EmptyState>
      );
    }
  }

  let content: ReactNode;
  if (state.view === "calendar") {
    if (renewals.isPending) content = <LoadingBlock lines={8} label="Loading the calendar" />;
    else if (empty) content = empty;
    else {
      content = (
        <div className={renewals.isPlaceholderData ? "card-body is-busy" : "card-body"}>
          <RenewalsCalendar
            items={data?.items ?? []}
            month={state.month || monthOf(today)}
            today={today}
            currency={currency}
            onMonth={(month) => update({ month: month === monthOf(today) ? "" : month }, true)}
          />
        </div>
      );
    }
  } else {
    content = (
      <RenewalsTable
        items={data?.items}
        currency={currency}
        canEdit={canEdit}
        showOutcome={state.status !== "open"}
        busy={renewals.isPlaceholderData}
        empty={empty}
      />
    );
  }

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1>Renewals</h1>
          <p className="page-subtitle" data-testid="renewals-scope">
            What renews when among {scopeWords(scope)}, the ARR at stake, and the team's forecast
            beside what health suggests
          </p>
          <FreshnessNote answers={[data?.freshness, rollup.data?.freshness]} />
        </div>
        <div className="page-actions">
          {role && !canEdit ? (
            <p className="alert alert-info small" role="status">
              Your role can see renewals but not change forecasts or notes.
            </p>
          ) : null}
          <ScopeToggle value={scope} onChange={(next) => update({ scope: next })} />
        </div>
      </div>

      <RollupCard
        days={state.days}
        withinDays={rollupDays(state.days)}
        term={state.term}
        scope={state.scope}
        currency={currency}
      />

      <section className="card table-card" aria-labelledby="renewals-title">
        <div className="card-header">
          <h2 id="renewals-title">{state.view === "calendar" ? "Renewal calendar" : "Renewals"}</h2>
          <span className="muted small" data-testid="renewals-total">
            {data ? (
              <>
                {formatInteger(data.total)} {data.total === 1 ? "renewal" : "renewals"} ·{" "}
                <span title={formatMoney(arr, currency)}>
                  {formatMoneyCompact(arr, currency)} ARR
                </span>{" "}
                · {windowLabel(state.days)} · {termFilterWords(state.term)}
              </>
            ) : (
              "\u00a0"
            )}
          </span>
        </div>
        <div className="toolbar">
          <RenewalsFilters state={state} onChange={update} />
          {renewals.isFetching && !renewals.isPending ? (
            <span className="fetching" aria-live="polite">
              Updating…
            </span>
          ) : null}
          <ExportButtons query={query} total={renewals.isError ? 0 : data?.total} />
        </div>
        {content}
      </section>
    </div>
  );
}
