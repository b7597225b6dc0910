import { Link, useSearch } from "@tanstack/react-router";
import { EmptyState, LoadingBlock } from "../../ui/states";
import { useMe } from "../auth/queries";
import { AuditTab } from "./AuditTab";
import { canAdminister } from "./access";
import { ChannelsTab } from "./ChannelsTab";
import { FeaturesTab } from "./FeaturesTab";
import { KeysTab } from "./KeysTab";
import { SourcesTab } from "./SourcesTab";
import { ADMIN_TABS, type AdminTab, parseAdminTab } from "./searchState";
import { UsersTab } from "./UsersTab";
import "./admin.css";

const SUBTITLES: Record<AdminTab, string> = {
  users: "Who signs in, with which role, and whom they report to.",
  keys: "Keys for scripts and integrations, each limited to what it needs.",
  channels: "Where alerts and digests are sent, and the deliveries that failed.",
  audit: "Who changed what, and when.",
  features: "Which features count as core, on which plans, and which events belong to each.",
  sources: "How long each source may go quiet before it counts as stale, and who looks after it.",
};

/** The admin console: users, API keys, notification channels, audit log, features, sources. */
export function AdminPage() {
  const me = useMe();
  const tab = parseAdminTab(useSearch({ from: "/_app/admin" }));

  if (me.isPending) {
    return (
      <div className="page">
        <h1>Admin</h1>
        <section className="card">
          <LoadingBlock lines={6} label="Loading" />
        </section>
      </div>
    );
  }
  if (!canAdminister(me.data?.role)) {
    return (
      <div className="page">
        <h1>Admin</h1>
        <section className="card">
          <EmptyState
            title="The admin console is for admins"
            action={<Link to="/book">Go to the Book</Link>}
          />
        </section>
      </div>
    );
  }

  return (
    <div className="page admin-page">
      <div className="page-header">
        <div>
          <h1>Admin</h1>
          <p className="page-subtitle">{SUBTITLES[tab]}</p>
        </div>
      </div>
      <nav className="section-tabs" aria-label="Admin sections">
        {ADMIN_TABS.map((t) => (
          <Link
            key={t.id}
            to="/admin"
            search={t.id === "users" ? {} : { tab: t.id }}
            activeProps={{}}
            activeOptions={{ includeSearch: true }}
            className={t.id === tab ? "section-tab section-tab-active" : "section-tab"}
            aria-current={t.id === tab ? "page" : undefined}
          >
            {t.label}
          </Link>
        ))}
      </nav>
      <div className="admin-body">
        {tab === "users" ? <UsersTab meId={me.data?.id} /> : null}
        {tab === "keys" ? <KeysTab /> : null}
        {tab === "channels" ? <ChannelsTab /> : null}
        {tab === "audit" ? <AuditTab /> : null}
        {tab === "features" ? <FeaturesTab /> : null}
        {tab === "sources" ? <SourcesTab /> : null}
      </div>
    </div>
  );
}
