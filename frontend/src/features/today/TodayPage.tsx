import { getRouteApi } from "@tanstack/react-router";
import { type ReactNode, useMemo } from "react";
import {
  formatDate,
  formatInteger,
  formatMoney,
  formatMoneyCompact,
  formatRange,
} from "../../lib/format";
import { scopeWords, shownScope } from "../../lib/scope";
import { useNow } from "../../lib/useNow";
import { ScopeToggle } from "../../ui/ScopeToggle";
import { Segmented } from "../../ui/Segmented";
import { EmptyState, ErrorState, LoadingBlock, Skeleton } from "../../ui/states";
import { useMe } from "../auth/queries";
import { useReportingContext } from "../meta/queries";
import { MyTasksCard } from "./MyTasksCard";
import { QueueRow } from "./QueueRow";
import { canWork as roleCanWork, useQueue } from "./queries";
import { StaleSources } from "./StaleSources";
import {
  itemKey,
  type KindFilter,
  parseTodaySearch,
  QUEUE_PAGE_SIZE,
  type Scope,
  serializeTodaySearch,
  type TodayState,
  toQueueQuery,
} from "./searchState";

const route = getRouteApi("/_app/today");

const KINDS: { value: KindFilter; label: string }[] = [
  { value: "all", label: "All" },
  { value: "risk", label: "Risks" },
  { value: "opportunity", label: "Opportunities" },
];

function emptyHint(scope: Scope | "", kind: KindFilter): string {
  const what =
    kind === "risk" ? "No risks" : kind === "opportunity" ? "No opportunities" : "No open alerts";
  if (scope === "mine") {
    return `${what} on your accounts. Switch to Team or Everyone to see more.`;
  }
  return `${what} on ${scopeWords(scope)}. New alerts appear here after the next scoring run.`;
}

/** The CSM's ranked queue of risks and opportunities, with the play loaded, and their tasks. */
export function TodayPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const state = useMemo(() => parseTodaySearch(search), [search]);
  const { currency, today } = useReportingContext();
  const me = useMe();
  const role = me.data?.role;
  const canWork = roleCanWork(role);
  const now = useNow();
  const queue = useQueue(toQueueQuery(state));
  const data = queue.data;
  const scope = shownScope(state.scope, data?.scope, role);

  const update = (patch: Partial<TodayState>, options: { toggle?: boolean } = {}) => {
    void navigate({
      search: serializeTodaySearch({ ...state, ...patch }),
      // Expanding or collapsing an item: no history entry, and no jump to the top.
      replace: options.toggle ?? false,
      resetScroll: !options.toggle,
    });
  };

  const accountNames = useMemo(
    () => new Map((data?.items ?? []).map((i) => [i.account.id, i.account.name])),
    [data],
  );

  const total = data?.total ?? 0;
  const lastPage = Math.max(1, Math.ceil(total / QUEUE_PAGE_SIZE));

  let list: ReactNode;
  if (queue.isPending) list = <LoadingBlock lines={8} label="Loading the queue" />;
  else if (queue.isError) {
    list = (
      <ErrorState
        title="Couldn't load the queue"
        error={queue.error}
        onRetry={() => void queue.refetch()}
      />
    );
  } else if (queue.data.items.length === 0) {
    list = (
      <EmptyState
        title="Nothing needs you today"
        action={
          state.page > 1 ? (
            <button type="button" className="btn btn-sm" onClick={() => update({ page: 1 })}>
              Back to the first page
            </button>
          ) : null
        }
      >
        {emptyHint(scope, state.kind)}
      </EmptyState>
    );
  } else {
    list = (
      <ol className={queue.isPlaceholderData ? "queue is-busy" : "queue"} aria-label="Queue">
        {queue.data.items.map((item) => {
          const key = itemKey(item.kind, item.account.id);
          const open = state.item === key;
          return (
            <QueueRow
              key={key}
              item={item}
              open={open}
              onToggle={() => update({ item: open ? "" : key }, { toggle: true })}
              today={today}
              now={now}
              currency={currency}
              canWork={canWork}
            />
          );
        })}
      </ol>
    );
  }

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1>Today</h1>
          <p className="page-subtitle">
            Accounts with open alerts, ranked by the ARR at stake if you act now ·{" "}
            {formatDate(today)}
          </p>
        </div>
        <div className="page-actions">
          <ScopeToggle value={scope} onChange={(v) => update({ scope: v, page: 1, item: "" })} />
        </div>
      </div>

      <StaleSources role={role} />

      <div className="today-summary">
        <dl className="today-stats">
          {state.kind === "opportunity" ? null : (
            <div
              className="card today-stat"
              title={`The sum of ARR × churn probability × saveable fraction over the risks in this queue (every page): a part of the book's revenue at risk, not all of it. ${
                data?.probability_source === "calibrated"
                  ? "Churn probability fitted on this book's own renewal outcomes."
                  : "Churn probability from the scoring config's default curve (calibrates itself once 200 outcomes exist)."
              }`}
            >
              <dt>ARR at stake on this list</dt>
              <dd data-testid="total-at-stake">
                {data ? (
                  <>
                    <span title={formatMoney(data.total_at_stake, currency)}>
                      {formatMoneyCompact(data.total_at_stake, currency)}
                    </span>
                    <span className="today-stat-unit" data-testid="probability-source">
                      {data.probability_source === "calibrated" ? "calibrated" : "default curve"}
                    </span>
                  </>
                ) : (
                  <Skeleton width={90} />
                )}
              </dd>
            </div>
          )}
          {state.kind === "risk" ? null : (
            <div
              className="card today-stat"
              title="The sum of expected expansion ARR (ARR × 20% uplift × (1 − churn probability)) over the opportunities in this queue (every page)."
            >
              <dt>Expected expansion</dt>
              <dd data-testid="total-expansion">
                {data ? (
                  <span title={formatMoney(data.total_expansion, currency)}>
                    {formatMoneyCompact(data.total_expansion, currency)}
                  </span>
                ) : (
                  <Skeleton width={90} />
                )}
              </dd>
            </div>
          )}
          <div className="card today-stat">
            <dt>In the queue</dt>
            <dd data-testid="queue-total">
              {data ? (
                <>
                  {formatInteger(data.total)}
                  <span className="today-stat-unit">{data.total === 1 ? "item" : "items"}</span>
                </>
              ) : (
                <Skeleton width={60} />
              )}
            </dd>
          </div>
        </dl>
        {canWork || !role ? null : (
          <p className="alert alert-info today-readonly">
            Your role can see the queue but not act on it: alerts, plays and tasks are read-only.
          </p>
        )}
      </div>

      <div className="today-grid">
        <section className="card table-card" aria-labelledby="queue-title">
          <div className="card-header">
            <h2 id="queue-title">Queue</h2>
            <span className="muted small" data-testid="queue-range">
              {data && total > 0 ? formatRange(state.page, QUEUE_PAGE_SIZE, total) : "\u00a0"}
            </span>
          </div>
          <div className="toolbar">
            <Segmented
              label="Kind"
              options={KINDS}
              value={state.kind}
              onChange={(v) => update({ kind: v, page: 1, item: "" })}
            />
            <div className="toolbar-spacer" />
            {queue.isFetching && !queue.isPending ? (
              <span className="fetching" aria-live="polite">
                Updating…
              </span>
            ) : null}
          </div>
          {list}
          {total > QUEUE_PAGE_SIZE ? (
            <footer className="pager">
              <button
                type="button"
                className="btn btn-sm"
                onClick={() => update({ page: Math.max(1, state.page - 1), item: "" })}
                disabled={state.page <= 1}
              >
                ‹ Prev
              </button>
              <button
                type="button"
                className="btn btn-sm"
                onClick={() => update({ page: state.page + 1, item: "" })}
                disabled={state.page >= lastPage}
              >
                Next ›
              </button>
            </footer>
          ) : null}
        </section>
        <MyTasksCard today={today} canEdit={canWork} accountNames={accountNames} />
      </div>
    </div>
  );
}
