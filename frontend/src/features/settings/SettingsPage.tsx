import { ScoringSettings } from "./ScoringSettings";

/** Sections of Settings; each gets a heading and its own block (more will follow). */
const SECTIONS = [{ id: "scoring", label: "Scoring" }] as const;

export function SettingsPage() {
  return (
    <div className="page settings-page">
      <div className="page-header">
        <div>
          <h1>Settings</h1>
          <p className="page-subtitle">How Tempo scores health, and how well the scores work.</p>
        </div>
      </div>
      <nav className="section-tabs" aria-label="Settings sections">
        {SECTIONS.map((s) => (
          <a key={s.id} href={`#${s.id}`} className="section-tab section-tab-active">
            {s.label}
          </a>
        ))}
      </nav>
      <section id="scoring" className="settings-section" aria-labelledby="scoring-title">
        <h2 id="scoring-title" className="visually-hidden">
          Scoring
        </h2>
        <ScoringSettings />
      </section>
    </div>
  );
}
