import { formatDate, formatInteger, formatNumber, formatPercent } from "../../lib/format";
import { SubHeading } from "./PictureCard";
import type { ActiveUsers } from "./queries";

const BAR_WIDTH = 10;
const BAR_GAP = 4;
const BARS_HEIGHT = 36;

/** Weekly active users over 12 weeks as small bars (each the 7 days ending on its date). */
function WeeklyBars({ weeks }: { weeks: ActiveUsers["weeks"] }) {
  const top = Math.max(1, ...weeks.map((w) => w.users));
  const first = weeks[0];
  const last = weeks[weeks.length - 1];
  const label =
    first && last
      ? `Weekly active users, 12 weeks: ${formatInteger(first.users)} in the week to ${formatDate(first.ending)}, ${formatInteger(last.users)} in the week to ${formatDate(last.ending)}`
      : "Weekly active users: none";
  const width = weeks.length * (BAR_WIDTH + BAR_GAP) - BAR_GAP;
  return (
    <svg
      className="active-users-bars"
      role="img"
      aria-label={label}
      width={width}
      height={BARS_HEIGHT}
      viewBox={`0 0 ${width} ${BARS_HEIGHT}`}
    >
      {weeks.map((w, i) => {
        const h = w.users ? Math.max(2, (w.users / top) * BARS_HEIGHT) : 1;
        return (
          <rect
            key={w.ending}
            x={i * (BAR_WIDTH + BAR_GAP)}
            y={BARS_HEIGHT - h}
            width={BAR_WIDTH}
            height={h}
            rx={1.5}
            className={w.users ? "active-users-bar" : "active-users-bar-empty"}
          >
            <title>{`${formatInteger(w.users)} active users in the 7 days to ${formatDate(w.ending)}`}</title>
          </rect>
        );
      })}
    </svg>
  );
}

/**
 * Distinct active users yesterday, in the last 7 and 30 days (UTC days, today not counted),
 * with stickiness (average daily active users over the 30 days ÷ MAU) and 12 weeks of WAU.
 */
export function ActiveUsersStrip({ active }: { active: ActiveUsers }) {
  const stats: { key: string; label: string; title: string; value: string }[] = [
    {
      key: "dau",
      label: "DAU",
      title: `Users active on ${formatDate(active.as_of)}`,
      value: formatInteger(active.dau),
    },
    {
      key: "wau",
      label: "WAU",
      title: `Users active in the 7 days to ${formatDate(active.as_of)}`,
      value: formatInteger(active.wau),
    },
    {
      key: "mau",
      label: "MAU",
      title: `Users active in the 30 days to ${formatDate(active.as_of)}`,
      value: formatInteger(active.mau),
    },
    {
      key: "stickiness",
      label: "Stickiness",
      title: `Average daily active users over the 30 days (${formatNumber(active.average_dau, 1)}) ÷ MAU: how many of the month's users come back each day`,
      value: active.dau_mau_ratio == null ? "—" : formatPercent(active.dau_mau_ratio, 1),
    },
  ];
  return (
    <div className="picture-section active-users" data-testid="active-users">
      <SubHeading
        aside={<span className="muted small">to {formatDate(active.as_of)}, UTC days</span>}
      >
        Active users
      </SubHeading>
      <div className="active-users-row">
        <dl className="active-users-stats">
          {stats.map((s) => (
            <div key={s.key} className="active-users-stat" data-testid={`active-${s.key}`}>
              <dt>
                <span className="has-tip" title={s.title}>
                  {s.label}
                </span>
              </dt>
              <dd>{s.value}</dd>
            </div>
          ))}
        </dl>
        <WeeklyBars weeks={active.weeks} />
      </div>
      {active.mau === 0 ? (
        <p className="muted small">No user was active in the last 30 days.</p>
      ) : null}
    </div>
  );
}
