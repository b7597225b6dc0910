import { formatPercent } from "../../lib/format";
import { Pill } from "../../ui/Pill";
import { formatHygieneScore, formatShare, scoreTone, scoreWords } from "./hygiene";
import type { Hygiene } from "./queries";

const GROUPS = [
  { kind: "fill_rate", label: "Fields filled in" },
  { kind: "check", label: "Accounts passing the check" },
] as const;

/** The score out of 100 in its tone, its formula on hover, and the word for it. */
export function ScoreFigure({
  data,
  small = false,
  testId,
}: {
  data: Pick<Hygiene, "score" | "score_formula">;
  small?: boolean;
  testId: string;
}) {
  const tone = scoreTone(data.score);
  return (
    <div className={small ? "hygiene-score hygiene-score-small" : "hygiene-score"}>
      <span
        className={`hygiene-score-value tone-${tone}`}
        data-testid={testId}
        title={data.score_formula}
      >
        {formatHygieneScore(data.score)}
      </span>
      <span className="muted">/ 100</span>
      <Pill tone={tone}>{scoreWords(data.score)}</Pill>
    </div>
  );
}

/** The hygiene score, big, with what it is made of: each part's value and weight. */
export function ScoreCard({ data }: { data: Hygiene }) {
  const counted = data.score_parts.filter((p) => p.counted);
  const unscored = data.score_parts.filter((p) => !p.counted);
  const totalWeight = counted.reduce((sum, p) => sum + p.weight, 0);
  return (
    <section className="card hygiene-score-card" aria-labelledby="hygiene-score-title">
      <div className="card-header">
        <h2 id="hygiene-score-title">Hygiene score</h2>
      </div>
      <div className="card-body">
        <ScoreFigure data={data} testId="hygiene-score" />
        {data.score === null ? (
          <p className="muted small">
            No active account in this scope: there is nothing to score. The score appears once
            accounts arrive.
          </p>
        ) : null}
        <details className="hygiene-parts" open>
          <summary>How it is computed</summary>
          <p className="small muted">{data.score_formula}</p>
          <table className="table table-compact hygiene-parts-table" data-testid="score-parts">
            <caption className="visually-hidden">The parts of the score and their weights</caption>
            <thead>
              <tr>
                <th scope="col">Part</th>
                <th scope="col" className="num">
                  Value
                </th>
                <th scope="col" className="num">
                  <span className="has-tip" title="Its share of the score: weight / total weight">
                    Weight
                  </span>
                </th>
              </tr>
            </thead>
            {GROUPS.map((group) => {
              const rows = counted.filter((p) => p.kind === group.kind);
              if (rows.length === 0) return null;
              return (
                <tbody key={group.kind}>
                  <tr className="hygiene-parts-group">
                    <th scope="rowgroup" colSpan={3}>
                      {group.label}
                    </th>
                  </tr>
                  {rows.map((p) => (
                    <tr key={p.key}>
                      <th scope="row">{p.label}</th>
                      <td className="num">{formatShare(p.value)}</td>
                      <td className="num" title={formatPercent(p.weight / totalWeight, 0)}>
                        {p.weight}
                      </td>
                    </tr>
                  ))}
                </tbody>
              );
            })}
          </table>
          {unscored.length > 0 ? (
            <p className="small muted">
              Shown but not scored: {unscored.map((p) => p.label).join(", ")} (weight 0, or nothing
              to measure in this scope). The unmatched backlog and stale sources concern the whole
              book and are not scored.
            </p>
          ) : null}
        </details>
      </div>
    </section>
  );
}
