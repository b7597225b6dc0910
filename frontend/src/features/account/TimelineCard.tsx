import { useState } from "react";
import { formatDate, formatInteger, formatUtcDateTime } from "../../lib/format";
import { EmptyState } from "../../ui/states";
import { PictureCard } from "./PictureCard";
import { timelineKind } from "./picture";

const SHOWN = 15;

const TONE_LABELS = { good: "Good", neutral: "Neutral", bad: "Bad" } as const;

/** Everything that happened on the account in the last 6 months, newest first. */
export function TimelineCard({ accountId }: { accountId: string }) {
  const [showAll, setShowAll] = useState(false);
  return (
    <PictureCard
      accountId={accountId}
      id="timeline"
      title="Timeline"
      lines={6}
      aside={(a) => <span className="muted small">{formatInteger(a.timeline.length)} events</span>}
    >
      {(a) => {
        if (a.timeline.length === 0) {
          return (
            <EmptyState title="Nothing happened yet">
              Tickets, surveys, touches, moves, alerts, plays and notes of the last 6 months.
            </EmptyState>
          );
        }
        const shown = showAll ? a.timeline : a.timeline.slice(0, SHOWN);
        return (
          <>
            <ol className="picture-timeline" aria-label="Timeline">
              {shown.map((e, i) => (
                <li
                  // biome-ignore lint/suspicious/noArrayIndexKey: events have no id; server order
                  key={i}
                  className={`tl-item tl-${e.tone}`}
                  data-testid="timeline-event"
                  data-tone={e.tone}
                >
                  <span className="tl-dot" aria-hidden="true" />
                  <span className="tl-date" title={formatUtcDateTime(e.at)}>
                    {formatDate(e.at)}
                  </span>
                  <span className="tl-kind">{timelineKind(e.kind)}</span>
                  <span className="tl-title">
                    <span className="visually-hidden">{TONE_LABELS[e.tone]}: </span>
                    {e.title}
                  </span>
                </li>
              ))}
            </ol>
            {a.timeline.length > SHOWN ? (
              <div className="picture-more">
                <button
                  type="button"
                  className="btn btn-ghost btn-sm"
                  onClick={() => setShowAll((v) => !v)}
                >
                  {showAll ? "Show fewer" : `Show all ${formatInteger(a.timeline.length)}`}
                </button>
              </div>
            ) : null}
          </>
        );
      }}
    </PictureCard>
  );
}
