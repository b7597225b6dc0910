import { kindLabel } from "../../api/kinds";
import { EmptyState } from "../../ui/states";
import type { SourcesState } from "./searchState";

const NONE: Record<SourcesState["status"], string> = {
  pending: "No unmatched records",
  rejected: "No records rejected at replay",
  resolved: "No resolved records",
  all: "No unmatched records",
};

/** What the Unmatched records table says when a page comes back empty. */
export function UnmatchedEmpty({
  state,
  total,
  onUpdate,
}: {
  state: SourcesState;
  total: number;
  onUpdate: (patch: Partial<SourcesState>) => void;
}) {
  if (total > 0 && state.page > 1) {
    return (
      <EmptyState
        title="This page is past the end of the list"
        action={
          <button type="button" className="btn btn-sm" onClick={() => onUpdate({ page: 1 })}>
            Go to the first page
          </button>
        }
      />
    );
  }
  if (state.kind) {
    return (
      <EmptyState
        title={`${NONE[state.status]} for ${kindLabel(state.kind)}`}
        action={
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => onUpdate({ kind: "", page: 1 })}
          >
            Show every kind
          </button>
        }
      />
    );
  }
  if (state.status === "rejected") {
    return (
      <EmptyState title={NONE.rejected}>
        A record lands here when linking found its account but the item could still not be stored
        (for example, a currency without exchange rates).
      </EmptyState>
    );
  }
  if (state.status === "pending") {
    return (
      <EmptyState title="No unmatched records — every item found its account">
        Items whose account key (external ID, domain or email) matches no account wait here until
        you link the key to an account.
      </EmptyState>
    );
  }
  return <EmptyState title={NONE[state.status]} />;
}
