import { Link } from "@tanstack/react-router";
import { Fragment } from "react";
import { formatInteger, formatMoneyCompact, formatNumber } from "../../lib/format";
import type { ListScope } from "../../lib/scope";
import { Pill } from "../../ui/Pill";
import { AccountsRow } from "./AccountsList";
import { failingWords, formatShare, SEVERITY_LABEL, SEVERITY_TONE } from "./hygiene";
import type { HygieneCheck } from "./queries";

function Failing({ check }: { check: HygieneCheck }) {
  if (!check.measurable) return <span className="muted">Not measurable</span>;
  if (check.key === "unmatched_backlog") {
    return (
      <>
        {failingWords(check)}
        {check.oldest_days !== null && check.oldest_days !== undefined ? (
          <span className="muted small"> · oldest {formatNumber(check.oldest_days, 0)} d</span>
        ) : null}
      </>
    );
  }
  return <>{failingWords(check)}</>;
}

/** Where to fix what a book-wide check finds (no account list behind it). */
function BookWideLink({ check }: { check: HygieneCheck }) {
  if (check.failing === 0) return null;
  return (
    <Link to="/sources" className="small">
      {check.key === "unmatched_backlog" ? "Match records" : "See sources"}
    </Link>
  );
}

/**
 * The checks: what fails, how much of the book and its ARR, how serious; each account check
 * opens the list of the accounts behind it.
 */
export function ChecksCard({
  checks,
  scope,
  currency,
  open,
  onToggle,
}: {
  checks: HygieneCheck[];
  scope: ListScope | "";
  currency: string;
  open: string;
  onToggle: (key: string) => void;
}) {
  return (
    <section className="card table-card" aria-labelledby="hygiene-checks-title">
      <div className="card-header">
        <div>
          <h2 id="hygiene-checks-title">Checks</h2>
          <span className="muted small">
            Hover a check for its definition; the unmatched backlog and stale sources concern the
            whole book
          </span>
        </div>
      </div>
      <div className="table-scroll">
        <table className="table hygiene-checks-table">
          <thead>
            <tr>
              <th scope="col">Check</th>
              <th scope="col">Severity</th>
              <th scope="col">Failing</th>
              <th scope="col" className="num">
                Share
              </th>
              <th scope="col" className="num">
                ARR affected
              </th>
              <th scope="col">
                <span className="visually-hidden">Accounts</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {checks.map((c) => {
              const expanded = open === c.key;
              const panel = `hygiene-list-${c.key}`;
              return (
                <Fragment key={c.key}>
                  <tr data-testid={`check-${c.key}`}>
                    <th scope="row">
                      <span className="has-tip" title={c.definition}>
                        {c.label}
                      </span>
                      {c.note && !c.measurable ? <div className="muted small">{c.note}</div> : null}
                    </th>
                    <td>
                      <Pill tone={SEVERITY_TONE[c.severity]}>{SEVERITY_LABEL[c.severity]}</Pill>
                    </td>
                    <td>
                      <Failing check={c} />
                    </td>
                    <td className={c.needs_attention ? "num negative" : "num"}>
                      {c.unit === "records" ? "—" : formatShare(c.share)}
                    </td>
                    <td className="num">
                      {c.arr_affected === null || c.arr_affected === undefined
                        ? "—"
                        : formatMoneyCompact(c.arr_affected, currency)}
                    </td>
                    <td>
                      {c.lists_accounts && c.failing > 0 ? (
                        <button
                          type="button"
                          className="btn btn-ghost btn-sm"
                          aria-expanded={expanded}
                          aria-controls={expanded ? panel : undefined}
                          aria-label={
                            expanded
                              ? `Hide accounts: ${c.label}`
                              : `Show ${formatInteger(c.failing)} accounts: ${c.label}`
                          }
                          onClick={() => onToggle(c.key)}
                        >
                          {expanded ? "Hide accounts" : `Show ${formatInteger(c.failing)}`}
                        </button>
                      ) : c.book_wide ? (
                        <BookWideLink check={c} />
                      ) : null}
                    </td>
                  </tr>
                  {expanded ? (
                    <AccountsRow
                      id={panel}
                      colSpan={6}
                      checkKey={c.key}
                      label={c.label}
                      scope={scope}
                      currency={currency}
                    />
                  ) : null}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
