import { formatClockTime, formatUtcDateTime } from "../lib/format";
import { type Freshness, pendingFreshness } from "../lib/freshness";
import { useNow } from "../lib/useNow";

/**
 * A small muted note under a page's title while the figures are being rebuilt (a subscription
 * line changed since they were computed): "Figures from 08:12, updating…". Nothing otherwise.
 */
export function FreshnessNote({ answers }: { answers: (Freshness | null | undefined)[] }) {
  const now = useNow();
  const pending = pendingFreshness(answers);
  if (!pending) return null;
  const at = formatClockTime(pending.computed_at, { now });
  const built = pending.computed_at ? formatUtcDateTime(pending.computed_at) : "";
  return (
    <p
      className="freshness-note"
      role="status"
      data-testid="freshness-note"
      title={`Subscription lines changed${built ? ` since these figures were computed (${built})` : ""}; they are rebuilt within seconds and this page refreshes by itself.`}
    >
      {at ? `Figures from ${at}, updating…` : "Figures updating…"}
    </p>
  );
}
