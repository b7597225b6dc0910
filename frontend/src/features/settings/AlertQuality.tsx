import {
  formatClockTime,
  formatDate,
  formatInteger,
  formatNumber,
  formatPercent,
  formatUtcDateTime,
} from "../../lib/format";
import { EmptyState, ErrorState, LoadingBlock } from "../../ui/states";
import { TableScroll } from "../../ui/TableScroll";
import { ruleLabel } from "../playbooks/triggers";
import { MIN_FIRINGS, medianPrecision, orderRules, precisionText, tierOf } from "./alertQuality";
import { NoiseControls } from "./NoiseControls";
import { type AlertPrecision, type RulePrecision, useAlertPrecision } from "./queries";
import "./alertQuality.css";

function PrecisionBar({ rule }: { rule: RulePrecision }) {
  const judged = tierOf(rule) === 0;
  const share = Math.max(0, Math.min(1, rule.precision ?? 0));
  return (
    <div className={judged ? "precision-bar" : "precision-bar precision-bar-unjudged"}>
      <span className="precision-track" aria-hidden="true">
        {judged ? <span className="precision-fill" style={{ width: `${share * 100}%` }} /> : null}
      </span>
      <span className="precision-text">{precisionText(rule)}</span>
    </div>
  );
}

/** A risk split cell; opportunity rules have none. */
function split(rule: RulePrecision, value: number | null) {
  return rule.kind === "risk" && value !== null ? formatInteger(value) : "—";
}

function PrecisionTable({ rules }: { rules: RulePrecision[] }) {
  return (
    <TableScroll label="Precision by rule">
      <table className="table table-compact precision-table" aria-label="Precision by rule">
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col" className="num" title="Times the rule started firing">
              Firings
            </th>
            <th scope="col" className="num" title="Firings followed by what the rule warns about">
              Followed
            </th>
            <th scope="col">Precision</th>
            <th
              scope="col"
              className="num"
              title="Precision over the base rate of its kind: 1× means the rule knows no more than chance"
            >
              Lift
            </th>
            <th scope="col" className="num" title="Risk firings followed by a churn">
              Churned
            </th>
            <th scope="col" className="num" title="Risk firings followed by a contraction">
              Contracted
            </th>
            <th scope="col" className="num" title="Risk firings followed by a health drop">
              Health drop
            </th>
          </tr>
        </thead>
        <tbody>
          {orderRules(rules).map((r) => (
            <tr
              key={r.rule}
              data-testid="precision-row"
              data-rule={r.rule}
              className={tierOf(r) === 0 ? undefined : "precision-unjudged"}
            >
              <th scope="row">
                {ruleLabel(r.rule)}
                <span className="cell-sub">{r.kind === "risk" ? "Risk" : "Opportunity"}</span>
              </th>
              <td className="num">{formatInteger(r.firings)}</td>
              <td className="num">{formatInteger(r.followed)}</td>
              <td>
                <PrecisionBar rule={r} />
              </td>
              <td className="num" data-testid="precision-lift">
                {r.lift === null || r.lift === undefined ? "—" : `${formatNumber(r.lift, 1)}×`}
              </td>
              <td className="num">{split(r, r.churned)}</td>
              <td className="num">{split(r, r.contracted)}</td>
              <td className="num">{split(r, r.health_dropped)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function PrecisionBody({ report }: { report: AlertPrecision }) {
  const median = medianPrecision(report.rules);
  const firings = report.rules.reduce((sum, r) => sum + r.firings, 0);
  const points = formatNumber(report.health_drop_points, 1);
  return (
    <div className="card-body precision-body">
      <p className="field-hint" data-testid="precision-note">
        Of the times each rule started firing, the share followed within {report.follow_days} days
        by what it warns about: for a risk rule, the account churned, contracted or its health fell
        at least {points} points below its value when the rule fired; for an opportunity rule
        (expansion ready, seat or API limit), the account expanded. Back-tested with today’s
        thresholds (config v{report.config_version}) on the health history from{" "}
        {formatDate(report.window_start)} to {formatDate(report.window_end)}, so every firing’s{" "}
        {report.follow_days} days are known. A condition lasting weeks counts once, when it starts.
        Rules with fewer than {MIN_FIRINGS} firings are too few to judge. Lift compares a rule with
        chance: the same question asked of every account on every date of the window (the base
        rate); a rule near 1× adds noise, not warning.
      </p>
      {firings === 0 ? (
        <EmptyState title="No firings to judge">
          No rule fired on the health history of those dates. Precision shows once the book has a
          year of health history older than {report.follow_days} days.
        </EmptyState>
      ) : (
        <>
          <dl className="facts precision-facts">
            <div>
              <dt>Accounts</dt>
              <dd>{formatInteger(report.accounts)}</dd>
            </div>
            <div>
              <dt>Firings</dt>
              <dd>{formatInteger(firings)}</dd>
            </div>
            <div title={`Over the rules with at least ${MIN_FIRINGS} firings`}>
              <dt>Median precision</dt>
              <dd data-testid="median-precision">{formatPercent(median, 0)}</dd>
            </div>
            <div title="Share of all account-dates followed by a churn, contraction or health drop">
              <dt>Base rate, risks</dt>
              <dd data-testid="base-rate-risk">{formatPercent(report.base_rate_risk, 0)}</dd>
            </div>
            <div title="Share of all account-dates followed by an expansion">
              <dt>Base rate, expansion</dt>
              <dd data-testid="base-rate-opportunity">
                {formatPercent(report.base_rate_opportunity, 0)}
              </dd>
            </div>
          </dl>
          <PrecisionTable rules={report.rules} />
        </>
      )}
    </div>
  );
}

function PrecisionCard() {
  const report = useAlertPrecision();
  return (
    <section className="card" aria-labelledby="precision-title" data-testid="alert-precision">
      <div className="card-header">
        <div>
          <h2 id="precision-title">Alert precision</h2>
          {report.data ? (
            <div
              className="muted small"
              data-testid="precision-computed"
              title={formatUtcDateTime(report.data.computed_at)}
            >
              Computed {formatClockTime(report.data.computed_at)}; kept for the day
            </div>
          ) : null}
        </div>
      </div>
      {report.isPending ? (
        <LoadingBlock lines={8} label="Back-testing the alert rules (this can take a while)" />
      ) : report.isError ? (
        <ErrorState
          title="Couldn't load alert precision"
          error={report.error}
          onRetry={() => void report.refetch()}
        />
      ) : (
        <PrecisionBody report={report.data} />
      )}
    </section>
  );
}

/** Settings → Alert quality: how often each rule is right, and the controls for its noise. */
export function AlertQuality() {
  return (
    <div className="alert-quality">
      <PrecisionCard />
      <NoiseControls />
    </div>
  );
}
