import { useState } from "react";
import type { AccountDetail } from "../../api/client";
import { formatDate, formatInteger, formatUtcDateTime } from "../../lib/format";
import { EmptyState } from "../../ui/states";
import { PictureCard } from "./PictureCard";
import { timelineKind } from "./picture";
import type { TimelineEvent } from "./queries";
import { type Touchpoint, touchKindLabel, useTouches } from "./touches";

const SHOWN = 15;

const TONE_LABELS = { good: "Good", neutral: "Neutral", bad: "Bad" } as const;

/**
 * The contacts of a touch by name ("Dana Diaz, Eli Ek"); contacts since removed from the
 * account are counted ("1 former contact").
 */
export function touchContacts(touch: Touchpoint, contacts: AccountDetail["contacts"]): string {
  const byId = new Map(contacts.map((c) => [c.id, c]));
  const names: string[] = [];
  let former = 0;
  for (const id of touch.contact_ids) {
    const c = byId.get(id);
    if (c) names.push(c.name || c.email || "Unnamed contact");
    else former += 1;
  }
  if (former > 0)
    names.push(`${formatInteger(former)} former ${former === 1 ? "contact" : "contacts"}`);
  return names.join(", ");
}

/**
 * The touch a timeline event is about, by its time (the picture's timeline names a touch by
 * kind and summary only; the touches list adds who took part).
 */
function touchesByTime(touches: Touchpoint[] | undefined): Map<number, Touchpoint> {
  const map = new Map<number, Touchpoint>();
  for (const t of touches ?? []) {
    const at = Date.parse(t.occurred_at);
    if (!map.has(at)) map.set(at, t);
  }
  return map;
}

function EventTitle({
  event,
  touch,
  contacts,
}: {
  event: TimelineEvent;
  touch: Touchpoint | undefined;
  contacts: AccountDetail["contacts"];
}) {
  if (!touch) return <>{event.title}</>;
  const who = touchContacts(touch, contacts);
  return (
    <>
      {touch.summary || touchKindLabel(touch.kind)}
      {who ? (
        <span className="tl-with" data-testid="touch-contacts">
          {" "}
          · with {who}
        </span>
      ) : null}
    </>
  );
}

/** Everything that happened on the account in the last 6 months, newest first. */
export function TimelineCard({ accountId }: { accountId: string }) {
  const [showAll, setShowAll] = useState(false);
  // Who took part in each touch; without it (not loaded, or failed) touches read as before.
  const touches = useTouches(accountId);
  const byTime = touchesByTime(touches.data);
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
        const touchOf = (e: TimelineEvent) =>
          e.kind === "touch" ? byTime.get(Date.parse(e.at)) : undefined;
        return (
          <>
            <ol className="picture-timeline" aria-label="Timeline">
              {shown.map((e, i) => {
                const touch = touchOf(e);
                return (
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
                    <span className="tl-kind">
                      {touch ? touchKindLabel(touch.kind) : timelineKind(e.kind)}
                    </span>
                    <span className="tl-title">
                      <span className="visually-hidden">{TONE_LABELS[e.tone]}: </span>
                      <EventTitle event={e} touch={touch} contacts={a.contacts ?? []} />
                    </span>
                  </li>
                );
              })}
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
