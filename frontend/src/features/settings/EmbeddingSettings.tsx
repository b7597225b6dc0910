import { useState } from "react";
import { formatInteger, formatTimeAgo, formatUtcDateTime } from "../../lib/format";
import { useNow } from "../../lib/useNow";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { Pill, type Tone } from "../../ui/Pill";
import { ProblemAlert } from "../../ui/ProblemAlert";
import { EmptyState, ErrorState, LoadingBlock } from "../../ui/states";
import { useMe } from "../auth/queries";
import { EmbedKeysCard } from "./EmbedKeysCard";
import {
  type EmbedConfiguration,
  type EmbedStatus,
  tileLabels,
  useEmbedConfigurations,
  useUpdateEmbedConfiguration,
} from "./embeddingQueries";
import { NewEmbeddingForm } from "./NewEmbeddingForm";
import { TilePreview } from "./TilePreview";

/** Where the host-page side of embedding is written up. */
export const EMBEDDING_DOCS = "docs/embedding.md";

const STATUS: Record<EmbedStatus, { label: string; tone: Tone; title: string }> = {
  active: { label: "Active", tone: "green", title: "Its tokens work" },
  paused: { label: "Paused", tone: "amber", title: "Its tokens are refused until it is resumed" },
  revoked: { label: "Revoked", tone: "neutral", title: "Its tokens are refused for good" },
};

function ConfigurationRow({
  configuration: c,
  now,
  busy,
  onStatus,
  onRevoke,
}: {
  configuration: EmbedConfiguration;
  now: number;
  busy: boolean;
  onStatus: (status: EmbedStatus) => void;
  onRevoke: () => void;
}) {
  const status = STATUS[c.status];
  return (
    <tr data-testid="embed-configuration">
      <td>
        <span className="embed-name" title={`Id ${c.id}`}>
          {c.name}
        </span>
      </td>
      <td>
        <ul className="embed-origins">
          {c.origins.map((o) => (
            <li key={o} className="mono">
              {o}
            </li>
          ))}
        </ul>
      </td>
      <td className="embed-tiles-cell">{tileLabels(c.tiles)}</td>
      <td className="num" title="Tokens live (unexpired, not revoked) / tokens issued">
        {formatInteger(c.tokens_live)} live / {formatInteger(c.tokens_issued)} issued
      </td>
      <td>
        {c.last_issued_at ? (
          <span title={formatUtcDateTime(c.last_issued_at)}>
            {formatTimeAgo(c.last_issued_at, now)}
          </span>
        ) : (
          <span className="muted">Never</span>
        )}
      </td>
      <td>
        <Pill tone={status.tone} title={status.title}>
          {status.label}
        </Pill>
      </td>
      <td>
        {c.status === "revoked" ? null : (
          <div className="row-actions">
            <button
              type="button"
              className="btn btn-sm"
              disabled={busy}
              aria-label={`${c.status === "active" ? "Pause" : "Resume"} ${c.name}`}
              onClick={() => onStatus(c.status === "active" ? "paused" : "active")}
            >
              {c.status === "active" ? "Pause" : "Resume"}
            </button>
            <button
              type="button"
              className="btn btn-ghost btn-sm embed-revoke"
              disabled={busy}
              aria-label={`Revoke ${c.name}`}
              onClick={onRevoke}
            >
              Revoke
            </button>
          </div>
        )}
      </td>
    </tr>
  );
}

function ConfigurationsCard() {
  const configurations = useEmbedConfigurations();
  const update = useUpdateEmbedConfiguration();
  const now = useNow();
  const [revoking, setRevoking] = useState<EmbedConfiguration | null>(null);

  const setStatus = (c: EmbedConfiguration, status: EmbedStatus) => {
    update.mutate({ id: c.id, status });
  };
  const confirmRevoke = () => {
    if (!revoking) return;
    update.mutate({ id: revoking.id, status: "revoked" }, { onSuccess: () => setRevoking(null) });
  };

  let content = null;
  if (configurations.isPending) {
    content = <LoadingBlock lines={3} label="Loading the embeddings" />;
  } else if (configurations.isError) {
    content = (
      <ErrorState
        title="Couldn't load the embeddings"
        error={configurations.error}
        onRetry={() => void configurations.refetch()}
      />
    );
  } else if (configurations.data.length === 0) {
    content = (
      <EmptyState title="No embeddings yet">
        <p className="embed-empty">
          An embedding lets another product — your customer portal, your CRM — show Tempo's tiles
          for an account: it names the host pages' origins and the tiles they may show. Tokens
          issued for it work only there, and pausing or revoking it stops them all at once. How a
          host page shows a tile is written up in <code>{EMBEDDING_DOCS}</code>.
        </p>
      </EmptyState>
    );
  } else {
    content = (
      <div className="table-scroll">
        <table className="table embed-table" aria-label="Embeddings">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Origins</th>
              <th scope="col">Tiles</th>
              <th scope="col" className="num">
                Tokens
              </th>
              <th scope="col">Last issued</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {configurations.data.map((c) => (
              <ConfigurationRow
                key={c.id}
                configuration={c}
                now={now}
                busy={update.isPending && update.variables?.id === c.id}
                onStatus={(status) => setStatus(c, status)}
                onRevoke={() => {
                  update.reset();
                  setRevoking(c);
                }}
              />
            ))}
          </tbody>
        </table>
      </div>
    );
  }

  return (
    <section className="card table-card" aria-labelledby="embeddings-title">
      <div className="card-header">
        <div>
          <h2 id="embeddings-title">Embeddings</h2>
          <div className="muted small">
            Where Tempo's tiles may be shown. Host pages: see <code>{EMBEDDING_DOCS}</code>.
          </div>
        </div>
        {configurations.data ? (
          <span className="muted">{formatInteger(configurations.data.length)} embeddings</span>
        ) : null}
      </div>
      {update.isError && !revoking ? (
        <div className="card-body embed-alert">
          <ProblemAlert error={update.error} title="Couldn't change the embedding" />
        </div>
      ) : null}
      {content}
      {revoking ? (
        <ConfirmDialog
          title={`Revoke “${revoking.name}”?`}
          confirmLabel="Revoke for good"
          busyLabel="Revoking…"
          busy={update.isPending}
          error={update.isError ? update.error : null}
          onConfirm={confirmRevoke}
          onClose={() => setRevoking(null)}
        >
          <p className="dialog-lead">
            Every token issued for it stops working at once
            {revoking.tokens_live > 0 ? ` (${formatInteger(revoking.tokens_live)} live now)` : ""},
            and its tiles stop showing on {revoking.origins.join(", ")}. Revoking is final: it can't
            be resumed, only replaced by a new embedding. To stop it for a while, pause it instead.
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

/** Settings → Embedding (admins only): embeddings, a new one, signing keys, a tile preview. */
export function EmbeddingSettings() {
  const me = useMe();
  if (me.data?.role !== "admin") return null;
  return (
    <>
      <ConfigurationsCard />
      <div className="embed-grid">
        <NewEmbeddingForm />
        <EmbedKeysCard />
      </div>
      <TilePreview />
    </>
  );
}
