import { getRouteApi } from "@tanstack/react-router";
import { type ReactNode, useMemo } from "react";
import type { Rejection } from "../../api/client";
import { kindLabel } from "../../api/kinds";
import { DASH, formatInteger, formatTimeAgo, formatUtcDateTime } from "../../lib/format";
import { useNow } from "../../lib/useNow";
import { Pager } from "../../ui/Pager";
import { EmptyState, ErrorState, Skeleton } from "../../ui/states";
import { useRejections, useSources } from "./queries";
import { Reasons } from "./Reasons";
import {
  parseSourcesSearch,
  type SourcesState,
  serializeSourcesSearch,
  toRejectionsQuery,
  UNMATCHED_PAGE_SIZES,
  withRejected,
} from "./searchState";

const route = getRouteApi("/_app/sources");

const COLUMNS = ["Received", "Kind", "Item ID", "Reference", "Reasons"] as const;

function Muted({ value }: { value: string | null }) {
  return value || <span className="muted">{DASH}</span>;
}

function referenceTitle(reference: string | null): string | undefined {
  if (reference === "replay") return "Refused when an unmatched record was replayed";
  if (reference?.startsWith("evt_")) return "Stripe event";
  return undefined;
}

function RejectionRow({ rejection, now }: { rejection: Rejection; now: number }) {
  return (
    <tr data-testid="rejection-row">
      <td title={formatUtcDateTime(rejection.received_at)}>
        {formatTimeAgo(rejection.received_at, now)}
      </td>
      <td>
        <Muted value={rejection.kind ? kindLabel(rejection.kind) : null} />
      </td>
      <td className="mono">
        <Muted value={rejection.item_id} />
      </td>
      <td className="mono" title={referenceTitle(rejection.reference)}>
        <Muted value={rejection.reference} />
      </td>
      <td className="reasons-cell">
        <Reasons errors={rejection.errors} />
      </td>
    </tr>
  );
}

/** What one source sent that was not stored (kept 90 days), with the reasons; opened from the freshness table. */
export function RejectionsCard() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const state = useMemo(() => parseSourcesSearch(search), [search]);
  const key = state.rejected;
  const rejections = useRejections(key, toRejectionsQuery(state));
  const sources = useSources();
  const now = useNow();
  if (!key) return null;

  const update = (patch: Partial<SourcesState>) => {
    void navigate({ search: serializeSourcesSearch({ ...state, ...patch }), resetScroll: false });
  };
  const name = sources.data?.find((s) => s.key === key)?.name ?? key;
  const data = rejections.data;
  const items = data?.items ?? [];

  let body: ReactNode = null;
  if (rejections.isError) {
    body = (
      <ErrorState
        title="Couldn't load rejected items"
        error={rejections.error}
        onRetry={() => void rejections.refetch()}
      />
    );
  } else if (data && items.length === 0) {
    body =
      data.total > 0 && state.rejectedPage > 1 ? (
        <EmptyState
          title="This page is past the end of the list"
          action={
            <button
              type="button"
              className="btn btn-sm"
              onClick={() => update({ rejectedPage: 1 })}
            >
              Go to the first page
            </button>
          }
        />
      ) : (
        <EmptyState title={`Nothing from ${name} was rejected in the last 90 days`} />
      );
  }

  return (
    <section className="card table-card" aria-labelledby="rejections-title">
      <div className="card-header">
        <h2 id="rejections-title">Rejected items · {name}</h2>
        <div className="toolbar-inline">
          {data ? (
            <span className="muted">{formatInteger(data.total)} in the last 90 days</span>
          ) : null}
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => void navigate({ search: withRejected(state, ""), resetScroll: false })}
          >
            Close
          </button>
        </div>
      </div>

      <div className="table-scroll">
        {rejections.isError ? null : (
          <table
            className={rejections.isPlaceholderData ? "table table-busy" : "table"}
            aria-busy={rejections.isFetching}
          >
            <thead>
              <tr>
                {COLUMNS.map((label) => (
                  <th key={label} scope="col">
                    {label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rejections.isPending
                ? Array.from({ length: 3 }, (_, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: static placeholder rows
                    <tr key={i} className="row-loading">
                      {COLUMNS.map((label) => (
                        <td key={label}>
                          <Skeleton width={70} />
                        </td>
                      ))}
                    </tr>
                  ))
                : items.map((rejection) => (
                    <RejectionRow key={rejection.id} rejection={rejection} now={now} />
                  ))}
            </tbody>
          </table>
        )}
        {body}
      </div>

      <Pager
        page={state.rejectedPage}
        pageSize={state.rejectedPageSize}
        pageSizes={UNMATCHED_PAGE_SIZES}
        total={data?.total}
        onPage={(rejectedPage) => update({ rejectedPage })}
        onPageSize={(rejectedPageSize) => update({ rejectedPageSize, rejectedPage: 1 })}
        testId="rejections-range"
      />
    </section>
  );
}
