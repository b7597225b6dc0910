import { Link, useLocation } from "@tanstack/react-router";
import { LoadingBlock } from "../../ui/states";
import { useMe } from "../auth/queries";
import { EmbeddingSettings } from "./EmbeddingSettings";
import { ScoringSettings } from "./ScoringSettings";

/**
 * Sections of Settings; each gets a heading and its own block. The tabs are anchors: the URL's
 * fragment (/settings#embedding) names the section shown, the first one when it names none.
 */
const SECTIONS = [
  { id: "scoring", label: "Scoring", adminOnly: false, Body: ScoringSettings },
  { id: "embedding", label: "Embedding", adminOnly: true, Body: EmbeddingSettings },
] as const;

export function SettingsPage() {
  const me = useMe();
  const isAdmin = me.data?.role === "admin";
  const sections = SECTIONS.filter((s) => isAdmin || !s.adminOnly);
  const hash = useLocation({ select: (location) => location.hash });
  // An admin's section named before the user is known: wait rather than flash Scoring.
  const waiting = me.isPending && SECTIONS.some((s) => s.id === hash && s.adminOnly);
  const active = waiting ? null : (sections.find((s) => s.id === hash) ?? SECTIONS[0]);

  return (
    <div className="page settings-page">
      <div className="page-header">
        <div>
          <h1>Settings</h1>
          <p className="page-subtitle">
            {isAdmin
              ? "How Tempo scores health, how well the scores work, and where its tiles are embedded."
              : "How Tempo scores health, and how well the scores work."}
          </p>
        </div>
      </div>
      <nav className="section-tabs" aria-label="Settings sections">
        {sections.map((s) => (
          <Link
            key={s.id}
            to="/settings"
            hash={s.id}
            hashScrollIntoView={false}
            activeOptions={{ includeHash: true }}
            activeProps={{}}
            className={s.id === active?.id ? "section-tab section-tab-active" : "section-tab"}
            aria-current={s.id === active?.id ? "page" : undefined}
          >
            {s.label}
          </Link>
        ))}
      </nav>
      {waiting ? (
        <section className="card">
          <LoadingBlock lines={6} label="Loading settings" />
        </section>
      ) : null}
      {active ? (
        <section id={active.id} className="settings-section" aria-labelledby={`${active.id}-title`}>
          <h2 id={`${active.id}-title`} className="visually-hidden">
            {active.label}
          </h2>
          <active.Body />
        </section>
      ) : null}
    </div>
  );
}
