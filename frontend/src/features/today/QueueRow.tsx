import { Link } from "@tanstack/react-router";
import {
  DASH,
  formatDate,
  formatInteger,
  formatMoney,
  formatMoneyCompact,
  formatPercent,
  formatRelativeDays,
  formatTimeAgo,
  formatUtcDateTime,
} from "../../lib/format";
import { Health, QuadrantPill } from "../../ui/health";
import { Owner } from "../../ui/Owner";
import { Pill, type Tone } from "../../ui/Pill";
import { LogWorkButton } from "../account/LogTouchDialog";
import { AlertActions } from "../alerts/AlertActions";
import { alertFacts } from "../alerts/facts";
import { ItemContext } from "./ItemContext";
import { PlayPanel } from "./PlayPanel";
import type { QueueAlert, QueueItem } from "./queries";
import "./today.css";

const SEVERITIES: Record<string, { label: string; tone: Tone }> = {
  high: { label: "High", tone: "red" },
  medium: { label: "Medium", tone: "amber" },
  low: { label: "Low", tone: "blue" },
};

function severity(value: string) {
  return Object.hasOwn(SEVERITIES, value)
    ? (SEVERITIES[value] as { label: string; tone: Tone })
    : { label: value, tone: "neutral" as Tone };
}

const CHIPS_SHOWN = 3;

/** The item's alerts as small chips coloured by severity. */
function AlertChips({ alerts }: { alerts: QueueAlert[] }) {
  const shown = alerts.slice(0, CHIPS_SHOWN);
  const more = alerts.length - shown.length;
  return (
    <ul className="alert-chips" aria-label="Alerts">
      {shown.map((a) => {
        const meta = severity(a.severity);
        return (
          <li
            key={a.id}
            className={`alert-chip alert-chip-${meta.tone}`}
            title={`${meta.label} severity: ${a.title}`}
            data-testid="alert-chip"
          >
            <span className="visually-hidden">{meta.label} severity: </span>
            {a.title}
          </li>
        );
      })}
      {more > 0 ? <li className="alert-chip">+{more} more</li> : null}
    </ul>
  );
}

function renewalText(days: number | null): string {
  if (days === null) return "No renewal date";
  return `Renews ${formatRelativeDays(days)}`;
}

function AccountContext({
  item,
  now,
  currency,
  canWork,
}: {
  item: QueueItem;
  now: number;
  currency: string;
  canWork: boolean;
}) {
  const a = item.account;
  return (
    <section className="queue-context" aria-label="Account">
      <div className="detail-head">
        <h3 className="detail-title">Account</h3>
        <div className="queue-detail-actions">
          {canWork ? <LogWorkButton accountId={a.id} accountName={a.name} shortcut /> : null}
          <Link to="/accounts/$accountId" params={{ accountId: a.id }} className="small">
            Open account →
          </Link>
        </div>
      </div>
      <dl className="queue-facts">
        <div>
          <dt>ARR</dt>
          <dd>{formatMoney(a.arr, currency)}</dd>
        </div>
        <div>
          <dt>Segment</dt>
          <dd>{a.segment ?? DASH}</dd>
        </div>
        <div>
          <dt>Owner</dt>
          <dd>
            <Owner name={a.owner_name} email={a.owner_email} />
          </dd>
        </div>
        <div>
          <dt>Renewal</dt>
          <dd>
            {a.renewal_date
              ? `${formatDate(a.renewal_date)} (${formatRelativeDays(a.days_to_renewal)})`
              : DASH}
          </dd>
        </div>
        <div>
          <dt>Churn probability</dt>
          <dd>{formatPercent(item.churn_probability, 0)}</dd>
        </div>
        <div>
          <dt>Saveable if we act now</dt>
          <dd>{formatPercent(item.saveable_fraction, 0)}</dd>
        </div>
        <div>
          <dt>Latest signal</dt>
          <dd title={formatUtcDateTime(item.freshest_signal_at)}>
            {formatTimeAgo(item.freshest_signal_at, now)}
          </dd>
        </div>
      </dl>
    </section>
  );
}

/** An alert of the queue, with the facts it fired on when the server sends them. */
type AlertWithFacts = QueueAlert & { facts?: Record<string, unknown> | null };

function AlertsDetail({
  item,
  now,
  canWork,
  currency,
}: {
  item: QueueItem;
  now: number;
  canWork: boolean;
  currency: string;
}) {
  const alerts: AlertWithFacts[] = item.alerts;
  return (
    <section className="queue-alerts" aria-label="Alerts">
      <h3 className="detail-title">
        {alerts.length === 1 ? "Alert" : `${formatInteger(alerts.length)} alerts`}
      </h3>
      <ul className="queue-alert-list">
        {alerts.map((alert) => {
          const meta = severity(alert.severity);
          const facts = alertFacts(alert.facts, { currency, rule: alert.rule });
          return (
            <li key={alert.id} className="queue-alert" data-testid="queue-alert">
              <div className="queue-alert-info">
                <div className="queue-alert-head">
                  <Pill tone={meta.tone}>{meta.label}</Pill>
                  <span className="queue-alert-title">{alert.title}</span>
                </div>
                <div className="muted small" title={formatUtcDateTime(alert.opened_at)}>
                  Opened {formatTimeAgo(alert.opened_at, now)}
                </div>
                {facts.length > 0 ? (
                  <dl className="queue-alert-facts small" data-testid="queue-alert-facts">
                    {facts.map((f) => (
                      <div key={f.key}>
                        <dt>{f.label}</dt>
                        <dd>{f.value}</dd>
                      </div>
                    ))}
                  </dl>
                ) : null}
              </div>
              {canWork ? (
                <AlertActions alertId={alert.id} title={alert.title} status={alert.status} />
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** One ranked item: the summary row, and when expanded its context, alerts and play. */
export function QueueRow({
  item,
  open,
  onToggle,
  today,
  now,
  currency,
  canWork,
}: {
  item: QueueItem;
  open: boolean;
  onToggle: () => void;
  today: string;
  now: number;
  currency: string;
  canWork: boolean;
}) {
  const a = item.account;
  const detailsId = `queue-details-${item.kind}-${a.id}`;
  const soon = a.days_to_renewal !== null && a.days_to_renewal <= 30;
  return (
    <li
      className={open ? "queue-item queue-item-open" : "queue-item"}
      data-testid="queue-item"
      data-kind={item.kind}
    >
      <div className="queue-row">
        <span className="queue-rank" data-testid="queue-rank">
          <span className="visually-hidden">Rank </span>
          {item.rank}
        </span>
        <div className="queue-main">
          <div className="queue-title">
            <Link
              to="/accounts/$accountId"
              params={{ accountId: a.id }}
              className="queue-account"
              data-testid="queue-account"
            >
              {a.name}
            </Link>
            <Health score={a.health_score} band={a.band} />
            <QuadrantPill quadrant={a.quadrant} />
            {item.kind === "opportunity" ? <Pill tone="green">Opportunity</Pill> : null}
            {item.play ? (
              <span className="queue-play" data-testid="play-pill" title="Suggested play">
                ▸ {item.play.name}
              </span>
            ) : null}
          </div>
          <p className="queue-reason" data-testid="queue-reason">
            {item.reason}
          </p>
          <AlertChips alerts={item.alerts} />
        </div>
        <div className="queue-figures">
          <span
            className="queue-value"
            data-testid="queue-value"
            title={formatMoney(item.value, currency)}
          >
            {formatMoneyCompact(item.value, currency)}
          </span>
          <span className="muted small">{item.kind === "risk" ? "at stake" : "expansion"}</span>
          <span
            className={soon ? "small queue-renewal queue-renewal-soon" : "small queue-renewal"}
            data-testid="queue-renewal"
          >
            {renewalText(a.days_to_renewal)}
          </span>
        </div>
        <button
          type="button"
          className="btn btn-sm queue-toggle"
          aria-expanded={open}
          aria-controls={open ? detailsId : undefined}
          aria-label={`${open ? "Hide" : "Show"} details for ${a.name}`}
          onClick={onToggle}
        >
          {open ? "Hide" : "Details"}
          <span aria-hidden="true" className={open ? "chevron chevron-open" : "chevron"}>
            ▾
          </span>
        </button>
      </div>
      {open ? (
        <div className="queue-details" id={detailsId} data-testid="queue-details">
          <AccountContext item={item} now={now} currency={currency} canWork={canWork} />
          {item.context ? <ItemContext context={item.context} currency={currency} /> : null}
          <AlertsDetail item={item} now={now} canWork={canWork} currency={currency} />
          {item.play ? (
            <PlayPanel item={item} play={item.play} today={today} canWork={canWork} />
          ) : (
            <section className="play" aria-label="Suggested play">
              <h3 className="detail-title">Suggested play</h3>
              <p className="muted small">
                No play is set up for this alert. Open the account to decide what to do.
              </p>
            </section>
          )}
        </div>
      ) : null}
    </li>
  );
}
