import { Link, useLocation } from "@tanstack/react-router";
import type { ComponentType } from "react";
import type { UserPublic } from "../../api/client";
import { LoadingBlock } from "../../ui/states";
import { useMe } from "../auth/queries";
import { AlertQuality } from "./AlertQuality";
import { DigestSettings } from "./DigestSettings";
import { EmbeddingSettings } from "./EmbeddingSettings";
import { ScoringSettings } from "./ScoringSettings";

type Section = {
  id: string;
  label: string;
  /** Who sees the section; null: everyone. */
  roles: readonly UserPublic["role"][] | null;
  Body: ComponentType;
};

/**
 * Sections of Settings; each gets a heading and its own block. The tabs are anchors: the URL's
 * fragment (/settings#embedding) names the section shown, the first one when it names none.
 */
const SECTIONS: readonly [Section, ...Section[]] = [
  { id: "scoring", label: "Scoring", roles: null, Body: ScoringSettings },
  { id: "alert-quality", label: "Alert quality", roles: ["admin", "leader"], Body: AlertQuality },
  { id: "embedding", label: "Embedding", roles: ["admin"], Body: EmbeddingSettings },
  { id: "digest", label: "Digest", roles: null, Body: DigestSettings },
];

const SUBTITLES: Partial<Record<UserPublic["role"], string>> = {
  admin:
    "How Tempo scores health, how well the scores and alerts work, and where its tiles are embedded.",
  leader: "How Tempo scores health, and how well the scores and alerts work.",
};

export function SettingsPage() {
  const me = useMe();
  const role = me.data?.role;
  const sections = SECTIONS.filter((s) => s.roles === null || (role && s.roles.includes(role)));
  const hash = useLocation({ select: (location) => location.hash });
  // A restricted section named before the user is known: wait rather than flash Scoring.
  const waiting = me.isPending && SECTIONS.some((s) => s.id === hash && s.roles !== null);
  const active = waiting ? null : (sections.find((s) => s.id === hash) ?? SECTIONS[0]);

  return (
    <div className="page settings-page">
      <div className="page-header">
        <div>
          <h1>Settings</h1>
          <p className="page-subtitle">
            {(role && SUBTITLES[role]) ?? "How Tempo scores health, and how well the scores work."}
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
