import { useMemo, useState } from "react";
import {
  formatDate,
  formatInteger,
  formatMetric,
  formatNumber,
  formatUtcDateTime,
  humanize,
} from "../../lib/format";
import { Pill } from "../../ui/Pill";
import { EmptyState } from "../../ui/states";
import { LazyChart } from "./LazyChart";
import { PictureCard, SubHeading } from "./PictureCard";
import { plural, sentimentTone, surveyTone } from "./picture";
import { surveyLabel, surveyOption } from "./pictureCharts";
import { type SurveyView, type TouchView, useAccountHealth } from "./queries";

const SURVEYS_SHOWN = 5;
const TOUCHES_SHOWN = 6;
/** The sentiment sub-metrics shown beside the listed answers. */
const SCORED = new Set(["nps", "csat"]);

function average(values: number[]): number | null {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

/** The listed answers of one kind, averaged: "CSAT avg 2 (last 3 answers)". */
function ListedAverage({ kind, scores }: { kind: string; scores: number[] }) {
  if (scores.length === 0) return null;
  return (
    <span
      data-testid={`listed-${kind.toLowerCase()}`}
      title={`Mean of the ${plural(scores.length, `${kind} answer`, `${kind} answers`)} listed here, whatever their age`}
    >
      {kind} avg <strong>{formatNumber(average(scores), 1)}</strong>{" "}
      <span className="muted">(last {plural(scores.length, "answer", "answers")})</span>
    </span>
  );
}

/**
 * The sentiment inputs the health score uses (NPS; CSAT over 90 days), as the health panel
 * shows them (the same `health:get` query).
 */
function ScoredSentiment({ accountId }: { accountId: string }) {
  const health = useAccountHealth(accountId);
  const sentiment = health.data?.components.find((c) => c.name === "sentiment");
  const metrics = (sentiment?.sub_metrics ?? []).filter((m) => SCORED.has(m.name));
  if (metrics.length === 0) return null;
  return (
    <p className="picture-stats" data-testid="scored-sentiment">
      <span className="muted">In the health score:</span>
      {metrics.map((m) => (
        <span key={m.name} title={m.description} data-testid={`scored-${m.name}`}>
          {m.label} <strong>{formatMetric(m.raw, m.unit)}</strong>
        </span>
      ))}
    </p>
  );
}

function Surveys({ accountId, surveys }: { accountId: string; surveys: SurveyView[] }) {
  const [showAll, setShowAll] = useState(false);
  const option = useMemo(() => surveyOption(surveys), [surveys]);
  if (surveys.length === 0) {
    return <EmptyState title="No survey responses">NPS and CSAT answers show up here.</EmptyState>;
  }
  const nps = surveys.filter((s) => s.kind === "nps").map((s) => s.score);
  const csat = surveys.filter((s) => s.kind === "csat").map((s) => s.score);
  const shown = showAll ? surveys : surveys.slice(0, SURVEYS_SHOWN);
  return (
    <>
      <p className="picture-stats" data-testid="survey-stats">
        <ListedAverage kind="NPS" scores={nps} />
        <ListedAverage kind="CSAT" scores={csat} />
      </p>
      <ScoredSentiment accountId={accountId} />
      <LazyChart option={option} label={surveyLabel(surveys)} height={180} />
      <ul className="picture-list" aria-label="Survey responses">
        {shown.map((s, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: responses have no id; server order
          <li key={i} className="picture-feed" data-testid="survey">
            <Pill tone={surveyTone(s.kind, s.score)}>
              {s.kind.toUpperCase()} {formatInteger(s.score)}
            </Pill>
            <div className="picture-feed-main">
              <span className="muted small" title={formatUtcDateTime(s.responded_at)}>
                {formatDate(s.responded_at)}
                {s.contact_email ? ` · ${s.contact_email}` : ""}
              </span>
              {s.comment ? <span className="picture-quote">“{s.comment}”</span> : null}
            </div>
          </li>
        ))}
      </ul>
      {surveys.length > SURVEYS_SHOWN ? (
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          onClick={() => setShowAll((v) => !v)}
        >
          {showAll ? "Show fewer" : `Show all ${formatInteger(surveys.length)}`}
        </button>
      ) : null}
    </>
  );
}

function Touches({ touches }: { touches: TouchView[] }) {
  if (touches.length === 0) {
    return (
      <EmptyState title="No touches">Calls, emails, meetings and QBRs show up here.</EmptyState>
    );
  }
  return (
    <ul className="picture-list" aria-label="Last touches">
      {touches.slice(0, TOUCHES_SHOWN).map((t, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: touches have no id; server order
        <li key={i} className="picture-feed" data-testid="touch">
          <Pill tone={sentimentTone(t.sentiment)}>{humanize(t.kind)}</Pill>
          <div className="picture-feed-main">
            <span className="muted small" title={formatUtcDateTime(t.occurred_at)}>
              {formatDate(t.occurred_at)}
              {t.csm_email ? ` · ${t.csm_email}` : ""}
              {t.sentiment ? ` · ${t.sentiment}` : ""}
            </span>
            {t.summary ? <span>{t.summary}</span> : null}
          </div>
        </li>
      ))}
    </ul>
  );
}

/**
 * What customers say (NPS, CSAT) and the CSM's last touches. The averages are of the answers
 * listed; the health score's own NPS and 90-day CSAT (the health panel's) are shown beside
 * them, each with its label, so two different CSAT figures never go unexplained.
 */
export function SentimentCard({ accountId }: { accountId: string }) {
  return (
    <PictureCard accountId={accountId} id="sentiment" title="Sentiment" lines={5}>
      {(a) => (
        <div className="picture-split">
          <div className="picture-section">
            <SubHeading>NPS &amp; CSAT</SubHeading>
            <Surveys accountId={accountId} surveys={a.surveys} />
          </div>
          <div className="picture-section">
            <SubHeading>Last touches</SubHeading>
            <Touches touches={a.touches} />
          </div>
        </div>
      )}
    </PictureCard>
  );
}
