import { formatInteger, formatPercent } from "../../lib/format";
import type { Tone } from "../../ui/Pill";
import type { HygieneCheck, HygieneFillRate } from "./queries";

/** The score's colour: 90 and above is data a team can trust, below 75 is not. */
export function scoreTone(score: number | null | undefined): Tone {
  if (score === null || score === undefined) return "neutral";
  if (score >= 90) return "green";
  if (score >= 75) return "amber";
  return "red";
}

export function scoreWords(score: number | null | undefined): string {
  const tone = scoreTone(score);
  if (tone === "green") return "Trustworthy";
  if (tone === "amber") return "Needs work";
  if (tone === "red") return "Unreliable";
  return "Nothing to score";
}

/** The score to one decimal ("68.9"), "—" when there is none. */
export function formatHygieneScore(score: number | null | undefined): string {
  if (score === null || score === undefined || !Number.isFinite(score)) return "—";
  return score.toFixed(1);
}

export const SEVERITY_TONE: Record<HygieneCheck["severity"], Tone> = {
  high: "red",
  medium: "amber",
  low: "neutral",
};

export const SEVERITY_LABEL: Record<HygieneCheck["severity"], string> = {
  high: "High",
  medium: "Medium",
  low: "Low",
};

const SEVERITY_RANK: Record<HygieneCheck["severity"], number> = { high: 0, medium: 1, low: 2 };

/**
 * A share or rate as people read it: whole percent, with one decimal near the ends so that
 * neither 0.4 % nor 99.8 % passes for 0 % or 100 % ("0.4%", "99.9%"); "—" when none.
 */
export function formatShare(share: number | null | undefined): string {
  if (share === null || share === undefined) return "—";
  const nearEnd = (share > 0 && share < 0.01) || (share < 1 && share >= 0.99);
  return formatPercent(share, nearEnd ? 1 : 0);
}

/** "12 of 850 accounts", "1 of 6 sources", "3 records". */
export function failingWords(check: HygieneCheck): string {
  const unit = check.unit;
  if (unit === "records") {
    return `${formatInteger(check.failing)} ${check.failing === 1 ? "record" : "records"} waiting`;
  }
  const noun = unit === "sources" ? "sources" : "accounts";
  return `${formatInteger(check.failing)} of ${formatInteger(check.total)} ${noun}`;
}

/**
 * The checks that most need fixing, worst first: those past their threshold, then by severity,
 * then by the share that fails. Checks nothing fails are left out.
 */
export function worstChecks(checks: HygieneCheck[], count: number): HygieneCheck[] {
  return checks
    .filter((c) => c.measurable && c.failing > 0)
    .sort(
      (a, b) =>
        Number(b.needs_attention) - Number(a.needs_attention) ||
        SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
        (b.share ?? 0) - (a.share ?? 0) ||
        (b.arr_affected ?? 0) - (a.arr_affected ?? 0),
    )
    .slice(0, count);
}

/** Fill rates that apply to some account, lowest rate first. */
export function rankedFillRates(fills: HygieneFillRate[]): HygieneFillRate[] {
  return fills
    .filter((f) => f.rate !== null && f.total > 0)
    .sort((a, b) => (a.rate ?? 0) - (b.rate ?? 0) || a.label.localeCompare(b.label));
}
