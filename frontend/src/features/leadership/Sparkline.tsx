import { useMemo } from "react";
import { Chart } from "../../ui/Chart";
import { formatValue, sparklineOption } from "./charts";
import type { ValueKind } from "./kpis";
import { formatMonth } from "./kpis";

/** An 18-month trend line; provisional months dashed. */
export function Sparkline({
  months,
  values,
  provisional,
  kind,
  color,
  currency,
  label,
}: {
  months: string[];
  values: (number | null)[];
  provisional: boolean[];
  kind: ValueKind;
  color: string;
  currency: string;
  /** What the trend is, e.g. "NRR by month". */
  label: string;
}) {
  const option = useMemo(
    () => sparklineOption({ months, values, provisional, kind, color, currency }),
    [months, values, provisional, kind, color, currency],
  );
  const first = months[0];
  const last = months[months.length - 1];
  const summary =
    first && last
      ? `${label}, ${formatMonth(first)} to ${formatMonth(last)}: from ${formatValue(
          values[0],
          kind,
          currency,
        )} to ${formatValue(values[values.length - 1], kind, currency)}`
      : `${label}: no data`;
  return <Chart option={option} label={summary} height={44} className="kpi-spark" />;
}
