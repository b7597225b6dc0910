import type { ReactNode } from "react";

export type Tone = "green" | "amber" | "red" | "blue" | "accent" | "neutral";

export function Pill({
  tone = "neutral",
  title,
  children,
}: {
  tone?: Tone;
  title?: string;
  children: ReactNode;
}) {
  return (
    <span className={tone === "neutral" ? "pill" : `pill pill-${tone}`} title={title}>
      {children}
    </span>
  );
}
