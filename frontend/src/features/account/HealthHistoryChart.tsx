import { useMemo } from "react";
import { Chart } from "../../ui/Chart";
import { type HistoryComponent, historyLabel, historyOption } from "./healthCharts";
import type { HealthHistory } from "./queries";

/** Loaded lazily (it pulls in ECharts): see HealthPanel. */
export default function HealthHistoryChart({
  history,
  visible,
  labels,
}: {
  history: HealthHistory;
  visible: readonly HistoryComponent[];
  labels: Partial<Record<HistoryComponent, string>>;
}) {
  const option = useMemo(() => historyOption(history, visible, labels), [history, visible, labels]);
  return <Chart option={option} height={240} label={historyLabel(history)} />;
}
