import type { ReactNode } from "react";
import type { AccountDetail } from "../../api/client";
import {
  DASH,
  formatDate,
  formatInteger,
  formatMoney,
  formatPercent,
  formatRelativeDays,
} from "../../lib/format";
import { FlagLabel, Health, QuadrantPill, StatusPill } from "../../ui/health";
import { Owner } from "../../ui/Owner";
import { useMe } from "../auth/queries";
import { useReportingContext } from "../meta/queries";
import { TermLabel } from "../renewals/TermLabel";
import { accountAccess, personName } from "./access";
import { FlagPicker } from "./FlagPicker";
import { LogWorkButton } from "./LogTouchDialog";
import { changeClass, daysAgo, formatChange, nextRenewal } from "./picture";

function orDash(value: ReactNode): ReactNode {
  return value === null || value === undefined || value === "" ? (
    <span className="muted">{DASH}</span>
  ) : (
    value
  );
}

function Fact({ label, title, children }: { label: string; title?: string; children: ReactNode }) {
  return (
    <div title={title}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** Who works the account besides its owner: names, with email and role on hover. */
function Team({ team }: { team: AccountDetail["team"] }) {
  return (
    <span className="account-team" data-testid="account-team">
      {team.map((m, i) => (
        <span key={m.user_id}>
          {i > 0 ? ", " : null}
          <span title={m.role ? `${m.email} · ${m.role}` : m.email}>{personName(m)}</span>
        </span>
      ))}
    </span>
  );
}

/**
 * Says, before anyone clicks, that this account is someone else's: the write controls below
 * are disabled (the server would answer 403).
 */
function ReadOnlyNote({ owner }: { owner: AccountDetail["owner"] }) {
  const whose = owner ? `${personName(owner)}'s account` : "an unassigned account";
  return (
    <p className="alert alert-info account-readonly" role="note" data-testid="read-only-note">
      <strong>Read-only:</strong> {whose}. You change the accounts you own or are on the team of
      {owner ? "; its owner or a leader can add you to its team" : ""}.
    </p>
  );
}

/** Name, status and flag; the money, health and book facts a CSM reads first. */
export function AccountHeader({ account }: { account: AccountDetail }) {
  const { currency, today } = useReportingContext();
  const me = useMe();
  const access = accountAccess(me.data?.role, account);
  const team = account.team ?? [];
  // The same next renewal as the Renewal card's.
  const renewal = nextRenewal(account, today);
  const renewalIn = renewal ? formatRelativeDays(renewal.days) : "";
  const change = account.usage_change;
  return (
    <section className="card account-header" aria-label="Account summary">
      <div className="account-title">
        <h1>{account.name}</h1>
        <span className="mono muted" title="External ID">
          {account.external_id}
        </span>
        <StatusPill status={account.status} />
        <div className="account-flag" data-testid="account-flag">
          {account.flag ? (
            <FlagLabel flag={account.flag} />
          ) : (
            <span className="muted">No flag</span>
          )}
          {access.work ? (
            <FlagPicker accountId={account.id} flag={account.flag} disabledReason={access.reason} />
          ) : null}
        </div>
        {access.work ? (
          <LogWorkButton
            accountId={account.id}
            accountName={account.name}
            shortcut
            disabledReason={access.reason}
          />
        ) : null}
      </div>
      {access.locked ? <ReadOnlyNote owner={account.owner} /> : null}
      <dl className="facts account-facts">
        <Fact label="ARR">
          <span className="health-score">{formatMoney(account.arr, currency)}</span>
        </Fact>
        <Fact label="Renewal">
          <span data-testid="fact-renewal">
            {formatDate(renewal?.date)}
            {renewal && (renewalIn || renewal.term) ? (
              <span className="cell-sub">
                {renewalIn}
                {renewalIn && renewal.term ? " · " : null}
                <TermLabel term={renewal.term} source={renewal.source} lower />
              </span>
            ) : null}
          </span>
        </Fact>
        <Fact label="Health">
          <Health score={account.health_score} band={account.band} />
        </Fact>
        <Fact label="Quadrant">
          <QuadrantPill quadrant={account.quadrant} />
        </Fact>
        <Fact label="Owner">
          <Owner name={account.owner?.name} email={account.owner?.email} />
        </Fact>
        {team.length > 0 ? (
          <Fact label="Team">
            <Team team={team} />
          </Fact>
        ) : null}
        <Fact label="Segment">{orDash(account.segment)}</Fact>
        <Fact label="Plan">{orDash(account.plan)}</Fact>
        <Fact label="Adoption" title="Share of the plan's core features used in the last 4 weeks">
          <span data-testid="fact-adoption">{formatPercent(account.feature_adoption, 0)}</span>
        </Fact>
        <Fact label="Usage change" title="User-days, last 4 weeks against the 4 weeks before">
          <span className={changeClass(change)} data-testid="fact-usage-change">
            {formatChange(change)}
          </span>
        </Fact>
        <Fact label="Open alerts">
          <span
            className={account.open_alerts > 0 ? "negative" : undefined}
            data-testid="fact-open-alerts"
          >
            {formatInteger(account.open_alerts)}
          </span>
        </Fact>
        <Fact label="Open tickets">
          <span data-testid="fact-open-tickets">{formatInteger(account.open_tickets)}</span>
        </Fact>
        <Fact
          label="Last touch"
          title={account.last_touch_on ? formatDate(account.last_touch_on) : undefined}
        >
          <span data-testid="fact-last-touch">{daysAgo(today, account.last_touch_on)}</span>
        </Fact>
        <Fact
          label="Last QBR"
          title={account.last_qbr_on ? formatDate(account.last_qbr_on) : undefined}
        >
          <span data-testid="fact-last-qbr">{daysAgo(today, account.last_qbr_on)}</span>
        </Fact>
      </dl>
    </section>
  );
}
