import type { UseQueryResult } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { formatInteger } from "../../lib/format";
import { Pill } from "../../ui/Pill";
import { EmptyState, ErrorState, LoadingBlock } from "../../ui/states";
import { rateText, windowOf } from "./effects";
import type { Effectiveness, Playbook } from "./queries";
import { NEW_PLAYBOOK } from "./searchState";
import { triggerInWords } from "./triggers";

function LibraryItem({
  playbook,
  effect,
  selected,
}: {
  playbook: Playbook;
  effect: Effectiveness | undefined;
  selected: boolean;
}) {
  const runs = effect?.runs;
  return (
    <li>
      <Link
        to="/playbooks"
        search={(prev) => ({ ...prev, playbook: playbook.id })}
        className={selected ? "pb-lib-item pb-lib-item-selected" : "pb-lib-item"}
        aria-current={selected ? "true" : undefined}
        data-testid="library-item"
      >
        <span className="pb-lib-head">
          <span className="pb-lib-name">{playbook.name}</span>
          {playbook.is_active ? null : <Pill>Inactive</Pill>}
        </span>
        <span className="pb-lib-trigger" data-testid="library-trigger">
          {triggerInWords(playbook.trigger_type, playbook.trigger_value, playbook.trigger_bands)}
        </span>
        <span className="pb-lib-stats" data-testid="library-stats">
          {runs === undefined ? (
            "\u00a0"
          ) : (
            <>
              {formatInteger(runs)} {runs === 1 ? "run" : "runs"}
              <span aria-hidden="true"> · </span>
              <span title="Share of runs followed by an improvement within 30 days">
                30 d {rateText(windowOf(effect, 30))}
              </span>
              <span aria-hidden="true"> · </span>
              <span title="Share of runs followed by an improvement within 60 days">
                60 d {rateText(windowOf(effect, 60))}
              </span>
            </>
          )}
        </span>
      </Link>
    </li>
  );
}

/** Every play with its trigger in words, whether it is active, its runs and improvement rates. */
export function LibraryCard({
  playbooks,
  effects,
  selection,
  canEdit,
}: {
  playbooks: UseQueryResult<Playbook[]>;
  effects: Map<string, Effectiveness>;
  selection: string;
  canEdit: boolean;
}) {
  let body: ReactNode;
  if (playbooks.isPending) body = <LoadingBlock lines={8} label="Loading the playbooks" />;
  else if (playbooks.isError) {
    body = (
      <ErrorState
        title="Couldn't load the playbooks"
        error={playbooks.error}
        onRetry={() => void playbooks.refetch()}
      />
    );
  } else if (!playbooks.data.length && selection !== NEW_PLAYBOOK) {
    body = (
      <EmptyState title="No playbooks yet">
        {canEdit ? "Create the first one." : "An admin or leader can create them."}
      </EmptyState>
    );
  } else {
    body = (
      <ul className="pb-lib-list" aria-label="Playbooks">
        {selection === NEW_PLAYBOOK ? (
          <li>
            <span className="pb-lib-item pb-lib-item-selected" aria-current="true">
              <span className="pb-lib-head">
                <span className="pb-lib-name">New playbook</span>
                <Pill tone="accent">Unsaved</Pill>
              </span>
            </span>
          </li>
        ) : null}
        {playbooks.data.map((p) => (
          <LibraryItem
            key={p.id}
            playbook={p}
            effect={effects.get(p.id)}
            selected={p.id === selection}
          />
        ))}
      </ul>
    );
  }

  return (
    <section className="card pb-library" aria-labelledby="pb-library-title">
      <div className="card-header">
        <h2 id="pb-library-title">Library</h2>
        {canEdit ? (
          <Link
            to="/playbooks"
            search={(prev) => ({ ...prev, playbook: NEW_PLAYBOOK })}
            className="btn btn-sm btn-primary"
          >
            + New playbook
          </Link>
        ) : null}
      </div>
      {body}
    </section>
  );
}
