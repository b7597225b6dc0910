import { getRouteApi, Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import type { AccountDetail } from "../../api/client";
import { isNotFound } from "../../api/errors";
import {
  DASH,
  daysBetween,
  formatDate,
  formatInteger,
  formatMoney,
  formatRelativeDays,
  humanize,
} from "../../lib/format";
import { FlagLabel, Health, QuadrantPill, StatusPill } from "../../ui/health";
import { Pill } from "../../ui/Pill";
import { EmptyState, ErrorState, LoadingBlock } from "../../ui/states";
import { recallBookSearch } from "../book/lastSearch";
import { useReportingContext } from "../meta/queries";
import { AliasesCard } from "./AliasesCard";
import { HealthPanel } from "./HealthPanel";
import { useAccount } from "./queries";

const route = getRouteApi("/_app/accounts/$accountId");

function orDash(value: ReactNode): ReactNode {
  return value === null || value === undefined || value === "" ? (
    <span className="muted">{DASH}</span>
  ) : (
    value
  );
}

function BackToBook() {
  return (
    <Link to="/book" search={recallBookSearch()} className="back-link">
      ← Book
    </Link>
  );
}

function Header({ account }: { account: AccountDetail }) {
  const { currency, today } = useReportingContext();
  const renewalIn = formatRelativeDays(daysBetween(today, account.renewal_date));
  return (
    <section className="card account-header" aria-label="Account summary">
      <div className="account-title">
        <h1>{account.name}</h1>
        <span className="mono muted" title="External ID">
          {account.external_id}
        </span>
        <StatusPill status={account.status} />
      </div>
      <dl className="facts">
        <div>
          <dt>Segment</dt>
          <dd>{orDash(account.segment)}</dd>
        </div>
        <div>
          <dt>Plan</dt>
          <dd>{orDash(account.plan)}</dd>
        </div>
        <div>
          <dt>Owner</dt>
          <dd>
            {account.owner ? (
              <span title={account.owner.email}>{account.owner.name || account.owner.email}</span>
            ) : (
              <span className="muted">Unassigned</span>
            )}
          </dd>
        </div>
        <div>
          <dt>ARR</dt>
          <dd className="health-score" style={{ textAlign: "left" }}>
            {formatMoney(account.arr, currency)}
          </dd>
        </div>
        <div>
          <dt>Renewal</dt>
          <dd>
            {formatDate(account.renewal_date)}
            {renewalIn ? <span className="cell-sub">{renewalIn}</span> : null}
          </dd>
        </div>
        <div>
          <dt>Health</dt>
          <dd>
            <Health score={account.health_score} band={account.band} />
          </dd>
        </div>
        <div>
          <dt>Quadrant</dt>
          <dd>
            <QuadrantPill quadrant={account.quadrant} />
          </dd>
        </div>
        <div>
          <dt>Flag</dt>
          <dd>
            <FlagLabel flag={account.flag} />
          </dd>
        </div>
      </dl>
    </section>
  );
}

function Profile({ account }: { account: AccountDetail }) {
  const rows: [string, ReactNode][] = [
    ["Domains", orDash((account.domains ?? []).join(", "))],
    ["Industry", orDash(account.industry)],
    ["Region", orDash(account.region)],
    ["ICP tier", orDash(account.icp_tier)],
    ["Channel", orDash(account.acquisition_channel ? humanize(account.acquisition_channel) : null)],
    ["Signed up", formatDate(account.signup_date)],
    ["Onboarded", formatDate(account.onboarding_completed_at)],
    ["Contract start", formatDate(account.contract_start)],
    ["Seats purchased", formatInteger(account.seats_purchased)],
    ["Seat limit", formatInteger(account.seat_limit)],
    ["API call limit", formatInteger(account.api_call_limit)],
    [
      "Tags",
      account.tags?.length ? (
        <span key="tags" className="tags">
          {account.tags.map((tag) => (
            <Pill key={tag}>{tag}</Pill>
          ))}
        </span>
      ) : (
        <span key="no-tags" className="muted">
          {DASH}
        </span>
      ),
    ],
  ];
  return (
    <section className="card" aria-labelledby="profile-title">
      <div className="card-header">
        <h2 id="profile-title">Profile</h2>
      </div>
      <div className="card-body">
        <dl className="profile">
          {rows.map(([label, value]) => (
            <div key={label} style={{ display: "contents" }}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      </div>
    </section>
  );
}

function Contacts({ contacts }: { contacts: AccountDetail["contacts"] }) {
  return (
    <section className="card table-card" aria-labelledby="contacts-title">
      <div className="card-header">
        <h2 id="contacts-title">Contacts</h2>
        <span className="muted">{formatInteger(contacts.length)}</span>
      </div>
      {contacts.length === 0 ? (
        <EmptyState title="No contacts">Contacts arrive with the CRM sync.</EmptyState>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Title</th>
                <th scope="col">Role</th>
                <th scope="col">Email</th>
              </tr>
            </thead>
            <tbody>
              {contacts.map((c) => (
                <tr key={c.id}>
                  <td>
                    {orDash(c.name)}
                    {c.is_primary ? (
                      <>
                        {" "}
                        <Pill tone="accent">Primary</Pill>
                      </>
                    ) : null}
                  </td>
                  <td>{orDash(c.title)}</td>
                  <td>{orDash(c.role ? humanize(c.role) : null)}</td>
                  <td>{c.email ? <a href={`mailto:${c.email}`}>{c.email}</a> : orDash(null)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function AccountPage() {
  const { accountId } = route.useParams();
  const account = useAccount(accountId);

  let content: ReactNode;
  if (account.isPending) {
    content = (
      <section className="card">
        <LoadingBlock lines={5} label="Loading account" />
      </section>
    );
  } else if (account.isError) {
    content = isNotFound(account.error) ? (
      <section className="card">
        <EmptyState title="Account not found">
          It may have been merged or removed. <BackToBook />
        </EmptyState>
      </section>
    ) : (
      <section className="card">
        <ErrorState
          title="Couldn't load this account"
          error={account.error}
          onRetry={() => void account.refetch()}
        />
      </section>
    );
  } else {
    const data = account.data;
    content = (
      <>
        <Header account={data} />
        <HealthPanel accountId={data.id} />
        <div className="account-grid">
          <Profile account={data} />
          <div style={{ display: "grid", gap: 16, minWidth: 0 }}>
            <Contacts contacts={data.contacts ?? []} />
            <AliasesCard accountId={data.id} />
          </div>
        </div>
      </>
    );
  }

  return (
    <div className="page">
      <div>
        <BackToBook />
      </div>
      {content}
    </div>
  );
}
