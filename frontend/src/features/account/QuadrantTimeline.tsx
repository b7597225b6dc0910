import { daysBetween, formatDate } from "../../lib/format";
import { QUADRANTS, QuadrantPill, quadrantLabel } from "../../ui/health";
import type { HealthHistory } from "./queries";

interface Segment {
  quadrant: string | null;
  from: string;
  /** Last day in this quadrant. */
  to: string;
  days: number;
}

/** Consecutive days in the same quadrant, as segments sized by their length in days. */
export function quadrantSegments(points: HealthHistory["points"]): Segment[] {
  const segments: Segment[] = [];
  points.forEach((p, i) => {
    const next = points[i + 1];
    const days = next ? Math.max(1, daysBetween(p.as_of, next.as_of) ?? 1) : 1;
    const last = segments[segments.length - 1];
    if (last && last.quadrant === p.quadrant) {
      last.to = p.as_of;
      last.days += days;
    } else {
      segments.push({ quadrant: p.quadrant, from: p.as_of, to: p.as_of, days });
    }
  });
  return segments;
}

function segmentColor(quadrant: string | null): string {
  if (quadrant && Object.hasOwn(QUADRANTS, quadrant)) {
    return QUADRANTS[quadrant as keyof typeof QUADRANTS].color;
  }
  return "var(--gray-200)";
}

/** A strip of the quadrants the account was in, then the moves between them. */
export function QuadrantTimeline({ history }: { history: HealthHistory }) {
  const segments = quadrantSegments(history.points);
  if (!segments.length) return null;
  const moves = [...history.quadrant_moves].reverse();
  return (
    <section className="timeline" aria-label="Quadrant timeline">
      <ol className="timeline-strip">
        {segments.map((s) => {
          const text = `${s.quadrant ? quadrantLabel(s.quadrant) : "Not placed"}: ${formatDate(s.from)} – ${formatDate(s.to)}`;
          return (
            <li
              key={s.from}
              className="timeline-segment"
              style={{ flexGrow: s.days, background: segmentColor(s.quadrant) }}
              title={text}
            >
              <span className="visually-hidden">{text}</span>
            </li>
          );
        })}
      </ol>
      <div className="timeline-axis" aria-hidden="true">
        <span>{formatDate(segments[0]?.from)}</span>
        <span>{formatDate(segments[segments.length - 1]?.to)}</span>
      </div>
      {moves.length ? (
        <ul className="move-list">
          {moves.map((m) => (
            <li key={`${m.moved_on}-${m.to_quadrant}`}>
              <span className="move-date">{formatDate(m.moved_on)}</span>
              <span className="move">
                <QuadrantPill quadrant={m.from_quadrant} />
                <span className="muted" aria-hidden="true">
                  →
                </span>
                <span className="visually-hidden">to</span>
                <QuadrantPill quadrant={m.to_quadrant} />
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">No quadrant moves in this period.</p>
      )}
    </section>
  );
}
