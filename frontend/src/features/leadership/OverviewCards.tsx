import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { formatDate, formatInteger, humanize } from "../../lib/format";
import type { ListScope } from "../../lib/scope";
import { Owner } from "../../ui/Owner";
import { Pill } from "../../ui/Pill";
import { ErrorState, Skeleton } from "../../ui/states";
import { forecastLabel } from "../renewals/forecast";
import {
  type AttentionItem,
  daysToEnd,
  forecastColor,
  money,
  queueLinkLabel,
  type RenewalWindow,
  riskBandColor,
  riskBandLabel,
  ruleLabel,
  type Segment,
  segments,
} from "./overview";
import type { Overview } from "./queries";
import { Tip } from "./Tip";
import "./overview.css";

function Money({ value, currency, testId }: { value: number; currency: string; testId?: string }) {
  const m = money(value, currency);
  return (
    <span title={m.title} data-testid={testId}>
      {m.text}
    </span>
  );
}

/** A horizontal bar of parts, each part's share its width (its numbers on hover). */
function StackedBar({ parts, label }: { parts: Segment[]; label: string }) {
  if (parts.length === 0)
    return <div className="stacked-bar stacked-bar-empty" aria-hidden="true" />;
  return (
    <div
      className="stacked-bar"
      role="img"
      aria-label={`${label}: ${parts.map((p) => p.title).join("; ")}`}
    >
      {parts.map((p) => (
        <span
          key={p.key}
          className="stacked-bar-part"
          style={{ width: `${(p.share * 100).toFixed(2)}%`, background: p.color }}
          title={p.title}
        />
      ))}
    </div>
  );
}

function Swatch({ color }: { color: string }) {
  return <span className="swatch" style={{ background: color }} aria-hidden="true" />;
}

function CardShell({
  id,
  title,
  definition,
  testId,
  children,
  footer,
}: {
  id: string;
  title: string;
  definition: string | undefined;
  testId: string;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <section className="card overview-card" aria-labelledby={id} data-testid={testId}>
      <h2 id={id} className="overview-title">
        {definition ? <Tip text={definition}>{title}</Tip> : title}
      </h2>
      <div className="overview-body">{children}</div>
      {footer ? <footer className="overview-footer">{footer}</footer> : null}
    </section>
  );
}

function Loading() {
  return (
    <div className="overview-loading" aria-busy="true">
      <Skeleton width={120} />
      <Skeleton width="100%" />
      <Skeleton width="80%" />
    </div>
  );
}

/** How much existing revenue is at risk: the figure, its accounts, and its split by health band. */
function RiskCard({
  data,
  scope,
  currency,
}: {
  data?: Overview;
  scope: ListScope;
  currency: string;
}) {
  const risk = data?.revenue_at_risk;
  const parts = risk
    ? segments(
        risk.by_band.map((b) => ({
          key: b.band,
          label: riskBandLabel(b.band),
          value: b.at_risk,
          count: b.accounts,
          noun: "account",
        })),
        riskBandColor,
        currency,
      )
    : [];
  return (
    <CardShell
      id="overview-risk-title"
      title="Revenue at risk"
      definition={risk?.definition}
      testId="overview-risk"
      footer={
        risk ? (
          <Link to="/book" search={{ filter: risk.book_filter, scope }} className="btn btn-sm">
            Open the {formatInteger(risk.accounts)} accounts in the Book →
          </Link>
        ) : null
      }
    >
      {risk ? (
        <>
          <div className="overview-figure">
            <Money value={risk.value} currency={currency} testId="overview-risk-value" />
          </div>
          <p className="overview-sub muted" data-testid="overview-risk-of">
            of <Money value={risk.arr} currency={currency} /> ARR ·{" "}
            <span data-testid="overview-risk-accounts">{formatInteger(risk.accounts)}</span>{" "}
            {risk.accounts === 1 ? "account" : "accounts"}
          </p>
          <StackedBar parts={parts} label="Revenue at risk by health band" />
          <ul className="overview-split" aria-label="By health band">
            {risk.by_band.map((b) => (
              <li key={b.band} data-testid="overview-band">
                <Swatch color={riskBandColor(b.band)} />
                <Link to="/book" search={{ filter: b.book_filter, scope }}>
                  {riskBandLabel(b.band)}
                </Link>
                <span className="muted">{formatInteger(b.accounts)}</span>
                <span className="num">
                  <Money value={b.at_risk} currency={currency} />
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <Loading />
      )}
    </CardShell>
  );
}

const SEVERITY_TONE = { high: "red", medium: "amber", low: "neutral" } as const;

function AttentionRow({ item, currency }: { item: AttentionItem; currency: string }) {
  const tone = SEVERITY_TONE[item.severity as keyof typeof SEVERITY_TONE] ?? "neutral";
  return (
    <li className="attention-row" data-testid="attention-row">
      <span className="attention-rank muted">{item.rank}</span>
      <div className="attention-main">
        <Link to="/accounts/$accountId" params={{ accountId: item.account_id }} title={item.reason}>
          {item.account_name}
        </Link>
        <span className="attention-owner muted small">
          <Owner name={item.owner_name} email={item.owner_email} />
        </span>
      </div>
      <Pill tone={tone}>{humanize(item.severity)}</Pill>
      <span className="num attention-value">
        <Money value={item.value} currency={currency} />
      </span>
    </li>
  );
}

/** Which accounts need attention this week: the queue's top risks. */
function AttentionCard({
  data,
  scope,
  currency,
}: {
  data?: Overview;
  scope: ListScope;
  currency: string;
}) {
  const attention = data?.attention;
  return (
    <CardShell
      id="overview-attention-title"
      title="Needs attention this week"
      definition={attention?.definition}
      testId="overview-attention"
      footer={
        attention ? (
          <>
            <span className="muted small" data-testid="attention-total">
              {formatInteger(attention.total_items)}{" "}
              {attention.total_items === 1 ? "risk" : "risks"} in the queue ·{" "}
              <Money value={attention.total_at_stake} currency={currency} /> at stake
            </span>
            <Link to="/today" search={{ scope, kind: "risk" }} className="btn btn-sm">
              {queueLinkLabel(scope)} →
            </Link>
          </>
        ) : null
      }
    >
      {!attention ? (
        <Loading />
      ) : attention.items.length === 0 ? (
        <p className="overview-empty muted">Nothing at risk in the queue: no open risk alerts.</p>
      ) : (
        <ol
          className="attention-list"
          aria-label="Accounts needing attention, highest ARR at stake first"
        >
          {attention.items.map((item) => (
            <AttentionRow key={item.account_id} item={item} currency={currency} />
          ))}
        </ol>
      )}
    </CardShell>
  );
}

function RenewalsBlock({
  window,
  within,
  asOf,
  scope,
  currency,
}: {
  window: RenewalWindow;
  within: RenewalWindow;
  asOf: string;
  scope: ListScope;
  currency: string;
}) {
  const parts = segments(
    window.by_forecast.map((g) => ({
      key: g.forecast,
      label: forecastLabel(g.forecast === "unset" ? null : g.forecast),
      value: g.arr,
      count: g.renewals,
      noun: "renewal",
    })),
    forecastColor,
    currency,
  );
  return (
    <div className="overview-block" data-testid="overview-renewals">
      <h3 className="overview-block-title">
        Renewals in {window.label}{" "}
        <span className="muted small">
          {formatDate(window.start)} – {formatDate(window.end)}
        </span>
      </h3>
      <p className="overview-line">
        <span className="overview-figure-sm" data-testid="overview-renewals-arr">
          <Money value={window.arr} currency={currency} />
        </span>{" "}
        <span className="muted">
          ARR · {formatInteger(window.renewals)} {window.renewals === 1 ? "renewal" : "renewals"}
          {window.no_forecast > 0
            ? ` · ${formatInteger(window.no_forecast)} without a forecast`
            : ""}
        </span>
      </p>
      <StackedBar parts={parts} label={`Renewal ARR in ${window.label} by forecast`} />
      <table className="overview-table" aria-label={`Renewals in ${window.label} by forecast`}>
        <thead>
          <tr>
            <th scope="col">Forecast</th>
            <th scope="col" className="num">
              Renewals
            </th>
            <th scope="col" className="num">
              ARR
            </th>
          </tr>
        </thead>
        <tbody>
          {window.by_forecast.map((g) => (
            <tr key={g.forecast} data-testid="forecast-row">
              <th scope="row">
                <Swatch color={forecastColor(g.forecast)} />
                {forecastLabel(g.forecast === "unset" ? null : g.forecast)}
              </th>
              <td className="num">{formatInteger(g.renewals)}</td>
              <td className="num">
                <Money value={g.arr} currency={currency} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="overview-line small">
        <span className="muted">Next 90 days:</span>{" "}
        <span data-testid="overview-renewals-90">
          {formatInteger(within.renewals)} · <Money value={within.arr} currency={currency} />
        </span>{" "}
        <Link to="/renewals" search={{ days: daysToEnd(asOf, window), scope }}>
          Open Renewals →
        </Link>
      </p>
    </div>
  );
}

/** Where renewal and expansion come from next quarter. */
function PipelineCard({
  data,
  scope,
  currency,
}: {
  data?: Overview;
  scope: ListScope;
  currency: string;
}) {
  const renewals = data?.renewals_next_quarter;
  const expansion = data?.expansion_pipeline;
  return (
    <CardShell
      id="overview-pipeline-title"
      title="Renewal and expansion next quarter"
      definition={renewals?.definition}
      testId="overview-pipeline"
    >
      {!data || !renewals || !expansion ? (
        <Loading />
      ) : (
        <>
          <RenewalsBlock
            window={renewals.next_quarter}
            within={renewals.within_90_days}
            asOf={data.as_of}
            scope={scope}
            currency={currency}
          />
          <div className="overview-block" data-testid="overview-expansion">
            <h3 className="overview-block-title">
              <Tip text={expansion.definition}>Expansion pipeline</Tip>
            </h3>
            <p className="overview-line">
              <span className="overview-figure-sm" data-testid="overview-expansion-value">
                <Money value={expansion.value} currency={currency} />
              </span>{" "}
              <span className="muted">
                expected · {formatInteger(expansion.accounts)}{" "}
                {expansion.accounts === 1 ? "account" : "accounts"}
              </span>
            </p>
            <ul className="overview-split" aria-label="Expansion by signal">
              {expansion.by_rule.map((r) => (
                <li key={r.rule} data-testid="expansion-rule">
                  <span className="overview-split-label">{ruleLabel(r.rule)}</span>
                  <span className="muted">{formatInteger(r.accounts)}</span>
                  <span className="num">
                    <Money value={r.value} currency={currency} />
                  </span>
                </li>
              ))}
            </ul>
            <Link to="/today" search={{ scope, kind: "opportunity" }} className="small">
              Open the opportunities →
            </Link>
          </div>
        </>
      )}
    </CardShell>
  );
}

/** The three answers of the first screen, side by side. */
export function OverviewCards({
  data,
  scope,
  currency,
  error,
  onRetry,
}: {
  data: Overview | undefined;
  scope: ListScope;
  currency: string;
  error: unknown;
  onRetry: () => void;
}) {
  if (error && !data) {
    return (
      <section className="card" aria-label="Overview">
        <ErrorState title="Couldn't load the overview" error={error} onRetry={onRetry} />
      </section>
    );
  }
  return (
    <div className="overview-grid">
      <RiskCard data={data} scope={scope} currency={currency} />
      <AttentionCard data={data} scope={scope} currency={currency} />
      <PipelineCard data={data} scope={scope} currency={currency} />
    </div>
  );
}
