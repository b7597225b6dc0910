import { Link } from "@tanstack/react-router";
import {
  formatDate,
  formatMoney,
  formatMoneyCompact,
  formatRelativeDays,
  humanize,
} from "../../lib/format";
import { Health, QuadrantPill } from "../../ui/health";
import { Owner } from "../../ui/Owner";
import { Pill } from "../../ui/Pill";
import { ForecastCell } from "./ForecastCell";
import { disagrees } from "./forecast";
import { NotesCell } from "./NotesCell";
import type { Renewal } from "./queries";
import { SuggestedCell } from "./SuggestedCell";
import { TermLabel } from "./TermLabel";

const OUTCOME_TONES = {
  renewed: "green",
  expanded: "green",
  contracted: "amber",
  churned: "red",
} as const;

export function RenewalRow({
  renewal,
  currency,
  canEdit,
  showOutcome,
}: {
  renewal: Renewal;
  currency: string;
  canEdit: boolean;
  showOutcome: boolean;
}) {
  const r = renewal;
  const soon = !r.outcome && r.days_to_renewal >= 0 && r.days_to_renewal <= 30;
  return (
    <tr
      data-testid="renewal-row"
      className={disagrees(r.forecast, r.suggested_forecast) ? "renewal-row-disagree" : undefined}
    >
      <td>
        <div className="cell-account">
          <Link to="/accounts/$accountId" params={{ accountId: r.account_id }}>
            {r.account_name}
          </Link>
          {r.segment ? <span className="cell-sub">{r.segment}</span> : null}
        </div>
      </td>
      <td>
        {formatDate(r.renewal_date)}
        <span className={soon ? "cell-sub negative" : "cell-sub"}>
          {formatRelativeDays(r.days_to_renewal)}
        </span>
      </td>
      <td>
        <TermLabel term={r.term} source={r.source} />
      </td>
      <td className="num">
        <span title={formatMoney(r.arr_up_for_renewal, currency)}>
          {formatMoneyCompact(r.arr_up_for_renewal, currency)}
        </span>
      </td>
      <td>
        <Health score={r.health_score} band={r.band} />
      </td>
      <td>
        <QuadrantPill quadrant={r.quadrant} />
      </td>
      <td>
        <ForecastCell renewal={r} canEdit={canEdit} />
      </td>
      <td>
        <SuggestedCell renewal={r} />
      </td>
      {showOutcome ? (
        <td>
          {r.outcome ? (
            <Pill tone={OUTCOME_TONES[r.outcome] ?? "neutral"}>{humanize(r.outcome)}</Pill>
          ) : (
            <span className="muted">Open</span>
          )}
        </td>
      ) : null}
      <td className="renewal-notes-cell">
        <NotesCell renewal={r} canEdit={canEdit} />
      </td>
      <td>
        <span className="renewal-owner">
          <Owner name={r.owner_name} email={r.owner_email} />
        </span>
      </td>
    </tr>
  );
}
