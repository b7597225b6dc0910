import type { ReactNode } from "react";
import type { Schemas } from "../../api/client";
import {
  DASH,
  formatDate,
  formatInteger,
  formatMoney,
  formatUtcDateTime,
  humanize,
} from "../../lib/format";
import { Owner } from "../../ui/Owner";
import { Pill } from "../../ui/Pill";
import { changeClass, formatChange, priorityTone } from "../account/picture";
import { touchKindLabel } from "../account/touches";

type QueueContext = Schemas["QueueContext"];

/**
 * A tiny line of weekly values (no axes): enough to see a slide or a climb at a glance. The
 * numbers are in its label for screen readers and on hover.
 */
export function UsageSparkline({
  weeks,
  values,
  width = 140,
  height = 32,
}: {
  weeks: string[];
  values: number[];
  width?: number;
  height?: number;
}) {
  if (values.length === 0) return <span className="muted small">No usage yet</span>;
  const max = Math.max(...values, 1);
  const pad = 2;
  const step = values.length > 1 ? (width - 2 * pad) / (values.length - 1) : 0;
  const points = values.map((v, i) => {
    const x = pad + i * step;
    const y = pad + (height - 2 * pad) * (1 - v / max);
    return [Math.round(x * 10) / 10, Math.round(y * 10) / 10] as const;
  });
  const line = points.map(([x, y]) => `${x},${y}`).join(" ");
  const first = points[0];
  const last = points[points.length - 1];
  const area =
    first && last ? `${line} ${last[0]},${height - pad} ${first[0]},${height - pad}` : "";
  const label = `Active users per week, ${formatDate(weeks[0])} to ${formatDate(
    weeks[weeks.length - 1],
  )}: ${values.map((v) => formatInteger(v)).join(", ")}`;
  return (
    <svg
      className="ctx-spark"
      role="img"
      aria-label={label}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      data-testid="usage-sparkline"
    >
      <title>{label}</title>
      <polygon className="ctx-spark-area" points={area} />
      <polyline className="ctx-spark-line" points={line} />
      {last ? <circle className="ctx-spark-dot" cx={last[0]} cy={last[1]} r={2.5} /> : null}
    </svg>
  );
}

function Panel({
  title,
  aside,
  children,
}: {
  title: string;
  aside?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="ctx-panel" aria-label={title}>
      <div className="ctx-head">
        <h4 className="ctx-title">{title}</h4>
        {aside ? <span className="muted small">{aside}</span> : null}
      </div>
      {children}
    </section>
  );
}

function age(days: number): string {
  return days <= 0 ? "today" : `${formatInteger(days)} d`;
}

function Usage({ usage }: { usage: QueueContext["usage"] }) {
  const latest = usage.active_users.at(-1);
  return (
    <Panel title="Usage" aside="12 weeks">
      <div className="ctx-usage">
        <UsageSparkline weeks={usage.weeks} values={usage.active_users} />
        <div className="ctx-usage-figures small">
          <span data-testid="usage-latest">
            {latest === undefined ? DASH : formatInteger(latest)} active{" "}
            {latest === 1 ? "user" : "users"} last week
          </span>
          <span className={changeClass(usage.change)} data-testid="usage-change">
            {usage.change === null
              ? "No change to compare"
              : `${formatChange(usage.change)} vs the 4 weeks before`}
          </span>
        </div>
      </div>
    </Panel>
  );
}

function Tickets({ context }: { context: QueueContext }) {
  const more = context.open_tickets - context.tickets.length;
  return (
    <Panel title="Tickets" aside={`${formatInteger(context.open_tickets)} open`}>
      {context.tickets.length === 0 ? (
        <p className="muted small ctx-empty">No open tickets.</p>
      ) : (
        <ul className="ctx-list" aria-label="Open tickets">
          {context.tickets.map((t) => (
            <li key={t.id} className="ctx-ticket" data-testid="ctx-ticket">
              <Pill tone={priorityTone(t.priority)}>P{t.priority}</Pill>
              <span className="ctx-text" title={t.subject ?? t.source_id}>
                {t.subject || t.source_id}
              </span>
              <span
                className="muted small ctx-meta"
                title={`Opened ${formatUtcDateTime(t.opened_at)}`}
              >
                {t.escalated ? "escalated · " : ""}
                {age(t.age_days)}
              </span>
            </li>
          ))}
          {more > 0 ? <li className="muted small">+{formatInteger(more)} more</li> : null}
        </ul>
      )}
    </Panel>
  );
}

function People({ people }: { people: QueueContext["stakeholders"] }) {
  return (
    <Panel title="People">
      {people.length === 0 ? (
        <p className="muted small ctx-empty">No contacts yet.</p>
      ) : (
        <ul className="ctx-list" aria-label="Stakeholders">
          {people.map((p) => (
            <li key={p.id} className="ctx-person" data-testid="ctx-person">
              <span className="ctx-person-name">
                <Owner name={p.name} email={p.email} empty="Unnamed contact" />
                {p.is_primary ? <Pill tone="accent">Primary</Pill> : null}
              </span>
              {p.title || p.role ? (
                <span className="muted small">{p.title || humanize(p.role)}</span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

function Touches({ touches }: { touches: QueueContext["last_touches"] }) {
  return (
    <Panel title="Last touches">
      {touches.length === 0 ? (
        <p className="muted small ctx-empty">No touches logged.</p>
      ) : (
        <ul className="ctx-list" aria-label="Last touches">
          {touches.map((t, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: touches have no id here; server order
            <li key={i} className="ctx-touch" data-testid="ctx-touch">
              <span className="ctx-touch-head">
                <strong>{touchKindLabel(t.kind)}</strong>
                <span className="muted small" title={formatUtcDateTime(t.occurred_at)}>
                  {formatDate(t.occurred_at)}
                  {t.by ? ` · ${t.by}` : ""}
                </span>
              </span>
              {t.summary ? <span className="ctx-summary small">{t.summary}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

function Contract({
  contract,
  currency,
}: {
  contract: QueueContext["contract"];
  currency: string;
}) {
  const seats =
    contract.seats_purchased === null && contract.seat_limit === null
      ? DASH
      : `${formatInteger(contract.seats_purchased)} bought · limit ${formatInteger(contract.seat_limit)}`;
  const rows: [string, string][] = [
    ["Plan", contract.plan ?? DASH],
    ["ARR", formatMoney(contract.arr, currency)],
    ["Since", formatDate(contract.contract_start)],
    ["Renews", formatDate(contract.renewal_date)],
    ["Term", contract.renewal_term ? humanize(contract.renewal_term) : DASH],
    ["Seats", seats],
  ];
  return (
    <Panel title="Contract">
      <dl className="ctx-contract">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </Panel>
  );
}

/** What the queue attaches to an item so nobody has to open the account first. */
export function ItemContext({ context, currency }: { context: QueueContext; currency: string }) {
  return (
    <div className="ctx-grid" data-testid="queue-item-context">
      <Usage usage={context.usage} />
      <Tickets context={context} />
      <People people={context.stakeholders} />
      <Touches touches={context.last_touches} />
      <Contract contract={context.contract} currency={currency} />
    </div>
  );
}
