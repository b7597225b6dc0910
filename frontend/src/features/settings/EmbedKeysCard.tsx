import { formatClockTime, formatUtcDateTime } from "../../lib/format";
import { useNow } from "../../lib/useNow";
import { Pill } from "../../ui/Pill";
import { ProblemAlert } from "../../ui/ProblemAlert";
import { EmptyState, ErrorState, LoadingBlock } from "../../ui/states";
import { type EmbedKey, useEmbedKeys, useRotateEmbedKey } from "./embeddingQueries";

function KeyState({ signingKey, now }: { signingKey: EmbedKey; now: number }) {
  if (signingKey.current) return <Pill tone="green">Current</Pill>;
  if (!signingKey.retires_at) return <Pill>Not in use</Pill>;
  const title = formatUtcDateTime(signingKey.retires_at);
  const at = formatClockTime(signingKey.retires_at, { now });
  return Date.parse(signingKey.retires_at) > now ? (
    <Pill tone="amber" title={`Tokens signed with it are refused after ${title}`}>
      Retires {at}
    </Pill>
  ) : (
    <Pill title={`Retired ${title}`}>Retired {at}</Pill>
  );
}

/** The keys embed tokens are signed with, and rotating to a new one (admin). */
export function EmbedKeysCard() {
  const keys = useEmbedKeys();
  const rotate = useRotateEmbedKey();
  const now = useNow(30_000);

  return (
    <section className="card table-card" aria-labelledby="embed-keys-title">
      <div className="card-header">
        <h2 id="embed-keys-title">Signing keys</h2>
        <button
          type="button"
          className="btn btn-sm"
          disabled={rotate.isPending}
          onClick={() => rotate.mutate()}
        >
          {rotate.isPending ? "Rotating…" : "Rotate key"}
        </button>
      </div>
      <div className="card-body embed-keys-lead">
        <p className="muted small">
          Embed tokens are signed with the current key. Rotating signs new tokens with a new key;
          tokens already issued keep working for up to 10 minutes, until they expire. Rotate when a
          key may have leaked.
        </p>
        {rotate.isError ? <ProblemAlert error={rotate.error} title="Couldn't rotate" /> : null}
        {rotate.isSuccess ? (
          <output className="notice">New tokens are signed with the new key.</output>
        ) : null}
      </div>
      {keys.isPending ? (
        <LoadingBlock lines={2} label="Loading the signing keys" />
      ) : keys.isError ? (
        <ErrorState
          title="Couldn't load the signing keys"
          error={keys.error}
          onRetry={() => void keys.refetch()}
        />
      ) : keys.data.length === 0 ? (
        <EmptyState title="No signing key yet">
          One is made when the first embed token is issued.
        </EmptyState>
      ) : (
        <div className="table-scroll">
          <table className="table table-compact" aria-label="Signing keys">
            <thead>
              <tr>
                <th scope="col">Key id</th>
                <th scope="col">Created</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {keys.data.map((k) => (
                <tr key={k.kid} data-testid="embed-key">
                  <td className="mono">{k.kid}</td>
                  <td title={formatUtcDateTime(k.created_at)}>
                    {formatClockTime(k.created_at, { now })}
                  </td>
                  <td>
                    <KeyState signingKey={k} now={now} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
