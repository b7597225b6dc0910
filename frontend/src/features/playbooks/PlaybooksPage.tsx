import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { type ReactNode, useMemo, useState } from "react";
import { EmptyState, LoadingBlock } from "../../ui/states";
import { accountQuery } from "../account/queries";
import { useMe } from "../auth/queries";
import { useReportingContext } from "../meta/queries";
import { canWork as roleCanWork } from "../today/queries";
import { EffectivenessCard } from "./EffectivenessCard";
import { LibraryCard } from "./LibraryCard";
import { PlaybookEditor } from "./PlaybookEditor";
import {
  type AccountSummary,
  canEditPlaybooks,
  useAccountSuggestions,
  useEffectiveness,
  usePlaybooks,
} from "./queries";
import { RunsCard } from "./RunsCard";
import { NEW_PLAYBOOK, parsePlaybooksSearch } from "./searchState";
import "./playbooks.css";

const route = getRouteApi("/_app/playbooks");

/**
 * Playbooks (DESIGN §10): the library on the left; the selected play's editor with a live
 * preview on a chosen account; below, its effectiveness and its recent runs.
 */
export function PlaybooksPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const state = useMemo(() => parsePlaybooksSearch(search), [search]);
  const { currency, today } = useReportingContext();
  const me = useMe();
  const role = me.data?.role;
  const canEdit = canEditPlaybooks(role);
  const canWork = roleCanWork(role);
  const playbooks = usePlaybooks();
  const effectiveness = useEffectiveness();
  const effects = useMemo(
    () => new Map((effectiveness.data ?? []).map((e) => [e.playbook_id, e])),
    [effectiveness.data],
  );

  const list = playbooks.data ?? [];
  const defaultSelection = list[0]?.id ?? "";
  const selection = state.playbook || defaultSelection;
  const takenKeys = useMemo(() => new Set(list.map((p) => p.key)), [list]);

  // The preview account: the URL's, else the first account of the book (largest ARR first).
  const top = useAccountSuggestions("");
  const [picked, setPicked] = useState<AccountSummary | null>(null);
  const accountId = state.account || top.data?.items[0]?.id || "";
  const known = [picked, ...(top.data?.items ?? [])].find((a) => a && a.id === accountId);
  const detail = useQuery({
    ...accountQuery(state.account),
    enabled: state.account !== "" && !known,
  });
  const accountName = known?.name ?? detail.data?.name ?? "";
  const accountsState = state.account
    ? ("ready" as const)
    : top.isPending
      ? ("loading" as const)
      : top.isError
        ? { error: top.error, retry: () => void top.refetch() }
        : accountId
          ? ("ready" as const)
          : ("none" as const);
  const pickAccount = (account: AccountSummary) => {
    setPicked(account);
    void navigate({ search: (prev) => ({ ...prev, account: account.id }), replace: true });
  };

  const editorProps = {
    defaultSelection,
    takenKeys,
    readOnly: !canEdit,
    accountId,
    accountName,
    accountsState,
    currency,
    today,
    onPickAccount: pickAccount,
  };

  let main: ReactNode = null;
  if (playbooks.isPending || me.isPending) {
    main = (
      <section className="card">
        <LoadingBlock lines={10} label="Loading the playbook" />
      </section>
    );
  } else if (selection === NEW_PLAYBOOK) {
    main = canEdit ? (
      <PlaybookEditor
        key={NEW_PLAYBOOK}
        playbook={null}
        selection={NEW_PLAYBOOK}
        {...editorProps}
      />
    ) : (
      <section className="card">
        <EmptyState
          title="Only admins and leaders can create playbooks"
          action={<Link to="/playbooks">Back to the library</Link>}
        />
      </section>
    );
  } else if (playbooks.isSuccess && selection) {
    const playbook = list.find((p) => p.id === selection);
    main = playbook ? (
      <>
        <PlaybookEditor
          key={playbook.id}
          playbook={playbook}
          selection={playbook.id}
          {...editorProps}
        />
        <div className="pb-results">
          <EffectivenessCard playbookId={playbook.id} effectiveness={effectiveness} />
          <RunsCard key={playbook.id} playbookId={playbook.id} canWork={canWork} />
        </div>
      </>
    ) : (
      <section className="card">
        <EmptyState
          title="This playbook doesn't exist"
          action={
            <Link to="/playbooks" search={(prev) => ({ ...prev, playbook: undefined })}>
              Show the first playbook
            </Link>
          }
        >
          It may have been removed, or the link is incomplete.
        </EmptyState>
      </section>
    );
  }

  return (
    <div className="page pb-page">
      <div className="page-header">
        <div>
          <h1>Playbooks</h1>
          <p className="page-subtitle">
            The plays alerts start: their tasks, the email they draft, and how well they work.
          </p>
        </div>
      </div>
      <div className="pb-layout">
        <LibraryCard
          playbooks={playbooks}
          effects={effects}
          selection={selection}
          canEdit={canEdit}
        />
        <div className="pb-main">{main}</div>
      </div>
    </div>
  );
}
