import { getRouteApi } from "@tanstack/react-router";
import { type ReactNode, useMemo, useState } from "react";
import type { LinkResult, UnmatchedRecord } from "../../api/client";
import { KINDS, kindLabel } from "../../api/kinds";
import { formatInteger } from "../../lib/format";
import { useNow } from "../../lib/useNow";
import { Pager } from "../../ui/Pager";
import { ErrorState, Skeleton } from "../../ui/states";
import { LinkDialog } from "./LinkDialog";
import { useUnmatched } from "./queries";
import {
  isUnmatchedStatus,
  parseSourcesSearch,
  type SourcesState,
  serializeSourcesSearch,
  toUnmatchedQuery,
  UNMATCHED_PAGE_SIZES,
  UNMATCHED_STATUS_LABELS,
  UNMATCHED_STATUSES,
} from "./searchState";
import { UnmatchedEmpty } from "./UnmatchedEmpty";
import { UNMATCHED_COLUMNS, UnmatchedRow } from "./UnmatchedRow";

const route = getRouteApi("/_app/sources");

function plural(n: number, one: string, many: string): string {
  return `${formatInteger(n)} ${n === 1 ? one : many}`;
}

/** "Linked; 3 records replayed, 1 rejected" (the rejected part only when some were). */
export function linkNotice(result: Pick<LinkResult, "replayed" | "rejected">): string {
  const replayed = `Linked; ${plural(result.replayed, "record", "records")} replayed`;
  return result.rejected > 0 ? `${replayed}, ${formatInteger(result.rejected)} rejected` : replayed;
}

const COUNT_SUFFIX: Record<SourcesState["status"], string> = {
  pending: " waiting",
  rejected: " rejected at replay",
  resolved: " resolved",
  all: "",
};

/**
 * Records that found no account, with a "Link to account" action, and those refused when
 * replayed; status and kind filters and paging in the URL.
 */
export function UnmatchedCard() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const state = useMemo(() => parseSourcesSearch(search), [search]);
  const unmatched = useUnmatched(toUnmatchedQuery(state));
  const now = useNow();
  const [linking, setLinking] = useState<UnmatchedRecord | null>(null);
  const [notice, setNotice] = useState<{ text: string; warn: boolean } | null>(null);

  const update = (patch: Partial<SourcesState>) => {
    setNotice(null);
    void navigate({ search: serializeSourcesSearch({ ...state, ...patch }) });
  };

  const data = unmatched.data;
  const items = data?.items ?? [];

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
    body = <UnmatchedEmpty state={state} total={data.total} onUpdate={update} />;
  }

  return (
    <section className="card table-card" aria-labelledby="unmatched-title">
      <div className="card-header">
        <h2 id="unmatched-title">Unmatched records</h2>
        {data ? (
          <span className="muted">
            {plural(data.total, "record", "records")}
            {COUNT_SUFFIX[state.status]}
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
        <select
          className="select"
          aria-label="Status"
          value={state.status}
          onChange={(e) => {
            if (isUnmatchedStatus(e.target.value)) update({ status: e.target.value, page: 1 });
          }}
        >
          {UNMATCHED_STATUSES.map((status) => (
            <option key={status} value={status}>
              {UNMATCHED_STATUS_LABELS[status]}
            </option>
          ))}
        </select>
        <div className="toolbar-spacer" />
        {notice ? (
          <output
            className={notice.warn ? "notice notice-warn" : "notice"}
            data-testid="link-notice"
          >
            {notice.text}
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
                    {label || <span className="visually-hidden">Status</span>}
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
            setNotice({ text: linkNotice(result), warn: result.rejected > 0 });
          }}
        />
      ) : null}
    </section>
  );
}
