import { formatInteger, formatMoney, formatMoneyCompact, formatPercent } from "../../lib/format";
import { heatColor, maxAge, monthLabel, retentionOf } from "./cohortMath";
import type { Cohort } from "./queries";
import type { RetentionMetric } from "./searchState";

const METRIC_NAME: Record<RetentionMetric, string> = {
  logo: "Logo retention",
  revenue: "Revenue retention",
};

/**
 * Rows: cohorts (oldest first) with their size and initial ARR; columns: months since the
 * first month. The last cell of each row is the month to date.
 */
export function RetentionHeatmap({
  cohorts,
  metric,
  currency,
  caption,
}: {
  cohorts: Cohort[];
  metric: RetentionMetric;
  currency: string;
  caption: string;
}) {
  const ages = Array.from({ length: maxAge(cohorts) + 1 }, (_, i) => i);
  return (
    <div className="heatmap-scroll">
      <table
        className="table table-compact heatmap"
        aria-label={`${METRIC_NAME[metric]}, ${caption}`}
      >
        <thead>
          <tr>
            <th scope="col">Cohort</th>
            <th scope="col" className="num">
              Accounts
            </th>
            <th scope="col" className="num">
              Initial ARR
            </th>
            {ages.map((age) => (
              <th key={age} scope="col" className="num heat-age" title={`Month ${age}`}>
                {age}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {cohorts.map((c) => {
            const last = c.ages[c.ages.length - 1]?.age;
            return (
              <tr key={`${c.cohort}:${c.group}`}>
                <th scope="row">{monthLabel(c.cohort)}</th>
                <td className="num">{formatInteger(c.size)}</td>
                <td className="num" title={formatMoney(c.initial_arr, currency)}>
                  {formatMoneyCompact(c.initial_arr, currency)}
                </td>
                {ages.map((age) => {
                  const a = c.ages.find((x) => x.age === age);
                  if (!a) return <td key={age} className="heat-cell heat-none" />;
                  const value = retentionOf(a, metric);
                  const { background, color } = heatColor(value, metric);
                  const toDate = age === last;
                  return (
                    <td
                      key={age}
                      className={toDate ? "num heat-cell heat-to-date" : "num heat-cell"}
                      style={{ background, color: color || undefined }}
                      title={`${monthLabel(c.cohort)}, month ${age}${toDate ? " (to date)" : ""}: ${formatInteger(
                        a.retained,
                      )} of ${formatInteger(c.size)} accounts, ${formatMoney(a.arr, currency)} ARR`}
                    >
                      {formatPercent(value, 0)}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
