import { getRouteApi, Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import type { AccountDetail } from "../../api/client";
import { isNotFound } from "../../api/errors";
import { DASH, formatDate, formatInteger, humanize } from "../../lib/format";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { Pill } from "../../ui/Pill";
import { EmptyState, ErrorState, LoadingBlock } from "../../ui/states";
import { recallBookSearch } from "../book/lastSearch";
import "./account.css";
import { AccountHeader } from "./AccountHeader";
import { AlertsCard } from "./AlertsCard";
import { AliasesCard } from "./AliasesCard";
import { ContractCard } from "./ContractCard";
import { HealthPanel } from "./HealthPanel";
import { NotesCard } from "./NotesCard";
import { PlaysCard } from "./PlaysCard";
import { useAccount } from "./queries";
import { RenewalsCard } from "./RenewalsCard";
import { SentimentCard } from "./SentimentCard";
import { SupportCard } from "./SupportCard";
import { TasksCard } from "./TasksCard";
import { TimelineCard } from "./TimelineCard";
import { useCatchUpWithTouches } from "./touches";
import { UsageCard } from "./UsageCard";

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

/**
 * The whole account picture (DESIGN §10), what needs acting on first: alerts, open tickets,
 * the renewal, tasks and plays; then health, usage, sentiment, history and the contract.
 * Every card reads the one `accounts:get` query; health and aliases have their own.
 */
export function AccountPage() {
  const { accountId } = route.useParams();
  const account = useAccount(accountId);
  useDocumentTitle(account.data?.name ?? null);
  useCatchUpWithTouches(accountId, account.data ? account.data.last_touch_on : undefined);

  let content: ReactNode;
  if (account.isError && !account.data) {
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
        {data ? (
          <AccountHeader account={data} />
        ) : (
          <section className="card" aria-label="Account summary">
            <LoadingBlock lines={3} label="Loading account" />
          </section>
        )}
        <div className="account-work">
          <div className="account-col">
            <AlertsCard accountId={accountId} />
            <SupportCard accountId={accountId} />
          </div>
          <div className="account-col">
            <RenewalsCard accountId={accountId} />
            <TasksCard accountId={accountId} />
            <PlaysCard accountId={accountId} />
          </div>
        </div>
        <HealthPanel accountId={accountId} />
        <UsageCard accountId={accountId} />
        <SentimentCard accountId={accountId} />
        <div className="account-pair">
          <TimelineCard accountId={accountId} />
          <NotesCard accountId={accountId} />
        </div>
        <ContractCard accountId={accountId} />
        <div className="account-grid">
          {data ? <Profile account={data} /> : null}
          <div style={{ display: "grid", gap: 16, minWidth: 0 }}>
            {data ? <Contacts contacts={data.contacts ?? []} /> : null}
            <AliasesCard accountId={accountId} />
          </div>
        </div>
      </>
    );
  }

  return (
    <div className="page account-page">
      <div>
        <BackToBook />
      </div>
      {content}
    </div>
  );
}
