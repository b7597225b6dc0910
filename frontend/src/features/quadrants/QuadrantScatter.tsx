import { useNavigate } from "@tanstack/react-router";
import { useMemo } from "react";
import { formatInteger } from "../../lib/format";
import { Chart, type ChartClickEvent } from "../../ui/Chart";
import { scatterOption } from "./charts";
import type { QuadrantView } from "./queries";

/** All placed accounts; click a bubble to open the account. */
export function QuadrantScatter({ view, currency }: { view: QuadrantView; currency: string }) {
  const navigate = useNavigate();
  const option = useMemo(() => scatterOption(view, currency), [view, currency]);
  const onClick = (event: ChartClickEvent) => {
    const value = event.value;
    const point = Array.isArray(value) ? view.points[Number(value[3])] : undefined;
    if (point) {
      void navigate({ to: "/accounts/$accountId", params: { accountId: point.account_id } });
    }
  };
  return (
    <Chart
      option={option}
      onClick={onClick}
      height={460}
      label={`Scatter of ${formatInteger(view.points.length)} accounts by usage and health`}
    />
  );
}
