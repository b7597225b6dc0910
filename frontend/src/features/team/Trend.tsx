import { formatMoney, formatMoneyCompact, formatNumber, formatPercent } from "../../lib/format";

/**
 * A change over 30 days as ▲/▼ with colour and words: red when it went the bad way (revenue
 * at risk up, touched share down), green when the good way, "no change" for none.
 */
export function Trend({
  change,
  before,
  kind,
  goodWhen,
  currency = "USD",
}: {
  change: number | null;
  before: number | null;
  kind: "money" | "share";
  goodWhen: "up" | "down";
  currency?: string;
}) {
  if (change === null) {
    return (
      <span className="team-trend muted" data-testid="trend">
        —
      </span>
    );
  }
  const shown =
    kind === "money"
      ? formatMoneyCompact(Math.abs(change), currency)
      : `${formatNumber(Math.abs(change) * 100, 0)} pts`;
  const then = kind === "money" ? formatMoney(before, currency) : formatPercent(before, 0);
  const rounded = kind === "money" ? Math.round(change) : Math.round(change * 100);
  if (rounded === 0) {
    return (
      <span className="team-trend muted" title={`30 days ago: ${then}`} data-testid="trend">
        no change
      </span>
    );
  }
  const up = rounded > 0;
  const good = up === (goodWhen === "up");
  return (
    <span
      className={good ? "team-trend positive" : "team-trend negative"}
      title={`30 days ago: ${then}`}
      data-testid="trend"
    >
      <span aria-hidden="true">{up ? "▲" : "▼"}</span> {up ? "up" : "down"} {shown}
    </span>
  );
}
