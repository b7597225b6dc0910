import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { api, type Schemas } from "../../api/client";
import { toApiError, unwrap } from "../../api/errors";
import { type ListScope, parseScope, roleDefaultScope, SCOPE_OPTIONS } from "../../lib/scope";
import { ProblemAlert } from "../../ui/ProblemAlert";
import { ErrorState, LoadingBlock } from "../../ui/states";
import { useMe } from "../auth/queries";

export type Delivery = Schemas["DeliveryPublic"];
export type DigestChannel = Schemas["DigestChannel"];

/** How often a test's delivery is asked after, until it is delivered or has failed. */
export const POLL_MS = 1500;
const SETTLED: ReadonlySet<Delivery["status"]> = new Set(["delivered", "failed", "dead"]);
const KIND_LABELS: Record<DigestChannel["kind"], string> = {
  email: "Email",
  slack: "Slack",
  webhook: "Webhook",
};

export const digestKeys = {
  preview: (scope: ListScope | "") => ["digest", "preview", scope || "default"] as const,
  delivery: (id: string) => ["digest", "delivery", id] as const,
  channels: ["digest", "channels"] as const,
};

/**
 * This week's digest as HTML (charts inline as data: URIs), for a sandboxed frame, and whose
 * accounts it holds (the X-Scope header: the caller's default when none is chosen).
 */
function useDigestPreview(scope: ListScope | "") {
  return useQuery({
    queryKey: digestKeys.preview(scope),
    queryFn: async () => {
      const { data, error, response } = await api.GET("/api/v1/digest/preview", {
        params: { query: { scope: scope || undefined, format: "html" } },
        parseAs: "text",
      });
      if (error !== undefined || !response.ok) throw toApiError(response, error);
      return {
        html: data as unknown as string,
        scope: parseScope(response.headers.get("x-scope")),
      };
    },
    placeholderData: keepPreviousData,
    staleTime: 5 * 60_000,
  });
}

/** Where a test's delivery stands, asked again until it is delivered or has failed. */
function useTestDelivery(id: string | null) {
  return useQuery({
    queryKey: digestKeys.delivery(id ?? ""),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/digest/deliveries/{delivery_id}", {
          params: { path: { delivery_id: id ?? "" } },
        }),
      ),
    enabled: id !== null,
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status && SETTLED.has(status) ? false : POLL_MS;
    },
  });
}

function useDigestChannels(enabled: boolean) {
  return useQuery({
    queryKey: digestKeys.channels,
    queryFn: () => unwrap(api.GET("/api/v1/digest/channels")),
    enabled,
    staleTime: 60_000,
  });
}

function useSendTest() {
  return useMutation({
    mutationFn: (channelId: string | null) =>
      unwrap(api.POST("/api/v1/digest/test", { body: channelId ? { channel_id: channelId } : {} })),
  });
}

/** "Sending to …", "Delivered to …", or why not (a failed one is retried by the server). */
export function DeliveryOutcome({ delivery }: { delivery: Delivery }) {
  const where = delivery.target;
  if (delivery.status === "delivered") {
    return (
      <p className="notice" role="status" data-testid="digest-test-outcome">
        Delivered to {where}.
      </p>
    );
  }
  if (delivery.status === "failed" || delivery.status === "dead") {
    const again =
      delivery.status === "failed"
        ? " Tempo tries again by itself; the deliveries list shows each attempt."
        : " Tempo has stopped trying.";
    return (
      <p className="alert alert-error" role="alert" data-testid="digest-test-outcome">
        Not delivered to {where}: {delivery.last_error ?? "the receiver refused it"}.{again}
      </p>
    );
  }
  return (
    <p className="muted small" role="status" data-testid="digest-test-outcome">
      Sending to {where}…
    </p>
  );
}

function TestOutcome({ id }: { id: string | null }) {
  const delivery = useTestDelivery(id);
  if (id === null) return null;
  if (delivery.isError) return <ProblemAlert error={delivery.error} />;
  if (!delivery.data) {
    return (
      <p className="muted small" role="status">
        Queued…
      </p>
    );
  }
  return <DeliveryOutcome delivery={delivery.data} />;
}

function channelLabel(c: DigestChannel): string {
  const extra = c.takes_digest ? "" : " (doesn't take the weekly digest)";
  return `${c.name} · ${KIND_LABELS[c.kind]} · ${c.destination}${extra}`;
}

function ChannelTest() {
  const selectId = useId();
  const channels = useDigestChannels(true);
  const send = useSendTest();
  const [channelId, setChannelId] = useState("");
  const [tracked, setTracked] = useState<string | null>(null);
  const list = channels.data ?? [];

  const submit = () => {
    setTracked(null);
    send.mutate(channelId, { onSuccess: (sent) => setTracked(sent[0]?.id ?? null) });
  };

  return (
    <div className="field" data-testid="digest-channel-test">
      <label className="field-label" htmlFor={selectId}>
        Send a test to a channel
        <span className="field-hint">
          What that channel would get on Monday: an email to a person has their accounts, any other
          channel the whole book.
        </span>
      </label>
      <div className="toolbar-inline">
        <select
          id={selectId}
          className="select"
          value={channelId}
          onChange={(e) => setChannelId(e.target.value)}
          disabled={channels.isPending || list.length === 0}
        >
          <option value="">
            {channels.isPending
              ? "Loading channels…"
              : list.length === 0
                ? "No channels yet (an admin adds them)"
                : "Choose a channel…"}
          </option>
          {list.map((c) => (
            <option key={c.id} value={c.id}>
              {channelLabel(c)}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="btn"
          onClick={submit}
          disabled={channelId === "" || send.isPending}
        >
          {send.isPending ? "Sending…" : "Send a test to channel"}
        </button>
      </div>
      {channels.isError ? <ProblemAlert error={channels.error} /> : null}
      {send.isError ? <ProblemAlert error={send.error} /> : null}
      <TestOutcome id={tracked} />
    </div>
  );
}

/**
 * Settings → Digest: this week's digest as its recipients would get it (the chosen accounts),
 * a test sent to yourself, and for admins and leaders a test sent to a channel.
 */
export function DigestSettings() {
  const scopeId = useId();
  const me = useMe();
  const role = me.data?.role;
  const [chosen, setChosen] = useState<ListScope | "">("");
  const preview = useDigestPreview(chosen);
  // What the preview holds: the scope chosen, else the one the server applied by default.
  const scope = chosen || preview.data?.scope || roleDefaultScope(role);
  const send = useSendTest();
  const [tracked, setTracked] = useState<string | null>(null);
  const leads = role === "admin" || role === "leader";

  const sendToMe = () => {
    setTracked(null);
    send.mutate(null, { onSuccess: (sent) => setTracked(sent[0]?.id ?? null) });
  };

  return (
    <section className="card" aria-labelledby={`${scopeId}-title`}>
      <div className="card-header">
        <h2 id={`${scopeId}-title`}>Weekly digest</h2>
        <span className="muted small">Sent every Monday at 08:00 UTC</span>
      </div>
      <div className="card-body" style={{ display: "grid", gap: 16 }}>
        <p className="muted" style={{ margin: 0 }}>
          The leadership metrics of the whole book with their change over the week, then revenue at
          risk, quadrant movers, renewals at risk and the top of the queue for the chosen accounts.
          Email channels get the charts as images; Slack channels a message with the same figures.
        </p>
        <div className="toolbar-inline" style={{ alignItems: "flex-end", gap: 16 }}>
          <div className="field">
            <label className="field-label" htmlFor={scopeId}>
              Accounts in the preview
            </label>
            <select
              id={scopeId}
              className="select"
              value={scope}
              onChange={(e) => setChosen(e.target.value as ListScope)}
            >
              {scope === "" ? <option value="">Your default</option> : null}
              {SCOPE_OPTIONS.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field" style={{ justifyItems: "start" }}>
            <span className="field-hint">
              {me.data?.email
                ? `By email to ${me.data.email}: the digest you would get`
                : "By email to you"}
            </span>
            <button
              type="button"
              className="btn btn-primary"
              onClick={sendToMe}
              disabled={send.isPending || !me.data}
            >
              {send.isPending ? "Sending…" : "Send me a test"}
            </button>
          </div>
        </div>
        {send.isError ? <ProblemAlert error={send.error} title="The test was not sent" /> : null}
        <TestOutcome id={tracked} />
        {leads ? <ChannelTest /> : null}
        {preview.isError ? (
          <ErrorState
            title="Couldn't build the preview"
            error={preview.error}
            onRetry={() => void preview.refetch()}
          />
        ) : preview.data === undefined ? (
          <LoadingBlock lines={8} label="Building the preview" />
        ) : (
          <iframe
            title="Digest preview"
            sandbox=""
            srcDoc={preview.data.html}
            data-testid="digest-preview"
            className={preview.isPlaceholderData ? "is-busy" : undefined}
            aria-busy={preview.isPlaceholderData}
            style={{
              width: "100%",
              height: 900,
              border: "1px solid var(--border)",
              borderRadius: "var(--radius)",
              background: "#f3f4f6",
            }}
          />
        )}
      </div>
    </section>
  );
}
