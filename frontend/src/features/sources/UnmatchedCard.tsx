import { getRouteApi } from "@tanstack/react-router";
import { type ReactNode, useMemo, useState } from "react";
import type { UnmatchedRecord } from "../../api/client";
import { KINDS, kindLabel } from "../../api/kinds";
import { formatInteger } from "../../lib/format";
import { useNow } from "../../lib/useNow";
import { Pager } from "../../ui/Pager";
import { EmptyState, ErrorState, Skeleton } from "../../ui/states";
import { LinkDialog } from "./LinkDialog";
import { useUnmatched } from "./queries";
import {
  parseSourcesSearch,
  serializeSourcesSearch,
  toUnmatchedQuery,
  UNMATCHED_PAGE_SIZES,
  type UnmatchedState,
} from "./searchState";
import { UNMATCHED_COLUMNS, UnmatchedRow } from "./UnmatchedRow";

const route = getRouteApi("/_app/sources");

function plural(n: number, one: string, many: string): string {
  return `${formatInteger(n)} ${n === 1 ? one : many}`;
}

/** Records that found no account, with a "Link to account" action; filters and paging in the URL. */
export function UnmatchedCard() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const state = useMemo(() => parseSourcesSearch(search), [search]);
  const unmatched = useUnmatched(toUnmatchedQuery(state));
  const now = useNow();
  const [linking, setLinking] = useState<UnmatchedRecord | null>(null);
  const [notice, setNotice] = useState("");

  const update = (patch: Partial<UnmatchedState>) => {
    setNotice("");
    void navigate({ search: serializeSourcesSearch({ ...state, ...patch }) });
  };

  const data = unmatched.data;
  const items = data?.items ?? [];
  const filtered = Boolean(state.kind);

  let body: ReactNode = null;
  if (unmatched.isError) {
    body = (
      <ErrorState
        title="Couldn't load unmatched records"
        error={unmatched.error}
        onRetry={() => void unmatched.refetch()}
      />
    );
  } else if (data && items.length === 0) {
    if (data.total > 0 && state.page > 1) {
      body = (
        <EmptyState
          title="This page is past the end of the list"
          action={
            <button type="button" className="btn btn-sm" onClick={() => update({ page: 1 })}>
              Go to the first page
            </button>
          }
        />
      );
    } else if (filtered) {
      body = (
        <EmptyState
          title={`No unmatched records for ${kindLabel(state.kind)}`}
          action={
            <button
              type="button"
              className="btn btn-sm"
              onClick={() => update({ kind: "", page: 1 })}
            >
              Show every kind
            </button>
          }
        />
      );
    } else {
      body = (
        <EmptyState title="No unmatched records — every item found its account">
          Items whose account key (external ID, domain or email) matches no account wait here until
          you link the key to an account.
        </EmptyState>
      );
    }
  }

  return (
    <section className="card table-card" aria-labelledby="unmatched-title">
      <div className="card-header">
        <h2 id="unmatched-title">Unmatched records</h2>
        {data ? (
          <span className="muted">
            {plural(data.total, "record", "records")}
            {state.includeResolved ? "" : " waiting"}
          </span>
        ) : null}
      </div>
      <div className="toolbar">
        <select
          className="select"
          aria-label="Kind"
          value={state.kind}
          onChange={(e) =>
            update({ kind: parseSourcesSearch({ kind: e.target.value }).kind, page: 1 })
          }
        >
          <option value="">All kinds</option>
          {KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {kindLabel(kind)}
            </option>
          ))}
        </select>
        <label className="check">
          <input
            type="checkbox"
            checked={state.includeResolved}
            onChange={(e) => update({ includeResolved: e.target.checked, page: 1 })}
          />
          Include resolved
        </label>
        <div className="toolbar-spacer" />
        {notice ? (
          <output className="notice" data-testid="link-notice">
            {notice}
          </output>
        ) : null}
        {unmatched.isFetching && !unmatched.isPending ? (
          <span className="fetching" aria-live="polite">
            Updating…
          </span>
        ) : null}
      </div>

      <div className="table-scroll">
        {unmatched.isError ? null : (
          <table
            className={unmatched.isPlaceholderData ? "table table-busy" : "table"}
            aria-busy={unmatched.isFetching}
          >
            <thead>
              <tr>
                {UNMATCHED_COLUMNS.map((label, i) => (
                  <th key={label || "actions"} scope="col" className={i >= 6 ? "num" : undefined}>
                    {label || <span className="visually-hidden">Actions</span>}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {unmatched.isPending
                ? Array.from({ length: 5 }, (_, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: static placeholder rows
                    <tr key={i} className="row-loading">
                      {UNMATCHED_COLUMNS.map((label) => (
                        <td key={label || "actions"}>
                          <Skeleton width={70} />
                        </td>
                      ))}
                    </tr>
                  ))
                : items.map((record) => (
                    <UnmatchedRow key={record.id} record={record} now={now} onLink={setLinking} />
                  ))}
            </tbody>
          </table>
        )}
        {body}
      </div>

      <Pager
        page={state.page}
        pageSize={state.pageSize}
        pageSizes={UNMATCHED_PAGE_SIZES}
        total={data?.total}
        onPage={(page) => update({ page })}
        onPageSize={(pageSize) => update({ pageSize, page: 1 })}
        testId="unmatched-range"
      />

      {linking ? (
        <LinkDialog
          record={linking}
          onClose={() => setLinking(null)}
          onLinked={(result) => {
            setLinking(null);
            setNotice(`Linked; ${plural(result.replayed, "record", "records")} replayed`);
          }}
        />
      ) : null}
    </section>
  );
}
