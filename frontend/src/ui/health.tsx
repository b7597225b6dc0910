import type { AccountSummary } from "../api/client";
import { DASH, formatScore } from "../lib/format";
import { Pill, type Tone } from "./Pill";

type Band = NonNullable<AccountSummary["band"]>;
type Quadrant = NonNullable<AccountSummary["quadrant"]>;
type Flag = NonNullable<AccountSummary["flag"]>;

export const BANDS: Record<Band, { label: string; tone: Tone }> = {
  healthy: { label: "Healthy", tone: "green" },
  watch: { label: "Watch", tone: "amber" },
  at_risk: { label: "At risk", tone: "red" },
};

/** Quadrants in display order (best first); their names are the product's terms. */
export const QUADRANTS: Record<Quadrant, { label: string; tone: Tone; color: string }> = {
  champions: { label: "Champions", tone: "green", color: "#22a35a" },
  frustrated_power_users: { label: "Frustrated Power Users", tone: "amber", color: "#e0a21b" },
  relationship_dependent: { label: "Relationship-Dependent", tone: "blue", color: "#3b7ddd" },
  churn_risk: { label: "Churn Risk", tone: "red", color: "#dc3b3b" },
};
export const QUADRANT_KEYS = Object.keys(QUADRANTS) as Quadrant[];
export type { Band, Quadrant };

const FLAGS: Record<Flag, { label: string; dot: string }> = {
  red: { label: "Red flag", dot: "dot-red" },
  yellow: { label: "Yellow flag", dot: "dot-amber" },
  green: { label: "Green flag", dot: "dot-green" },
  blue: { label: "Blue flag", dot: "dot-blue" },
};

/** Unknown enum values from a newer backend render as neutral text instead of crashing. */
function lookup<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

export function quadrantLabel(quadrant: string | null | undefined): string {
  if (!quadrant) return DASH;
  return lookup(QUADRANTS, quadrant)?.label ?? quadrant;
}

export function bandLabel(band: string | null | undefined): string {
  if (!band) return DASH;
  return lookup(BANDS, band)?.label ?? band;
}

export function BandPill({ band }: { band: string | null | undefined }) {
  if (!band) return null;
  const meta = lookup(BANDS, band);
  return <Pill tone={meta?.tone ?? "neutral"}>{meta?.label ?? band}</Pill>;
}

/** Health score with its band pill; "—" when the account has no score yet. */
export function Health({
  score,
  band,
}: {
  score: number | null | undefined;
  band: string | null | undefined;
}) {
  if (score === null || score === undefined) return <span className="muted">{DASH}</span>;
  return (
    <span className="health">
      <span className="health-score">{formatScore(score)}</span>
      <BandPill band={band} />
    </span>
  );
}

export function QuadrantPill({ quadrant }: { quadrant: string | null | undefined }) {
  if (!quadrant) return <span className="muted">{DASH}</span>;
  const meta = lookup(QUADRANTS, quadrant);
  return <Pill tone={meta?.tone ?? "neutral"}>{meta?.label ?? quadrant}</Pill>;
}

/** A quadrant move: from → to. */
export function QuadrantMove({ from, to }: { from: string | null | undefined; to: string }) {
  return (
    <span className="move">
      <QuadrantPill quadrant={from} />
      <span aria-hidden="true" className="muted">
        →
      </span>
      <span className="visually-hidden">to</span>
      <QuadrantPill quadrant={to} />
    </span>
  );
}

/** Which way a quadrant move went. */
export function DirectionPill({ direction }: { direction: string }) {
  if (direction === "worse") return <Pill tone="red">↓ Worse</Pill>;
  if (direction === "better") return <Pill tone="green">↑ Better</Pill>;
  return <Pill>{direction === "sideways" ? "↔ Sideways" : direction}</Pill>;
}

export function FlagDot({ flag }: { flag: string | null | undefined }) {
  if (!flag) return null;
  const meta = lookup(FLAGS, flag);
  const label = meta?.label ?? `${flag} flag`;
  return <span className={`dot ${meta?.dot ?? ""}`} title={label} role="img" aria-label={label} />;
}

export function FlagLabel({ flag }: { flag: string | null | undefined }) {
  if (!flag) return <span className="muted">None</span>;
  const meta = lookup(FLAGS, flag);
  return (
    <span className="health">
      <FlagDot flag={flag} />
      {meta?.label ?? `${flag} flag`}
    </span>
  );
}

export function StatusPill({ status }: { status: string }) {
  if (status === "active") return <Pill tone="green">Active</Pill>;
  if (status === "churned") return <Pill>Churned</Pill>;
  return <Pill>{status}</Pill>;
}
