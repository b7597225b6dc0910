export const STEPS = ["Choose a file", "Map columns", "Validate", "Import"] as const;

/** The wizard's progress: "1 Choose a file › 2 Map columns › …"; `current` 5 = all done. */
export function Steps({ current }: { current: 1 | 2 | 3 | 4 | 5 }) {
  return (
    <ol className="steps" aria-label="Import steps">
      {STEPS.map((label, i) => {
        const n = i + 1;
        const state = n < current ? "done" : n === current ? "current" : "todo";
        return (
          <li
            key={label}
            className={`step step-${state}`}
            aria-current={n === current ? "step" : undefined}
          >
            <span className="step-number" aria-hidden="true">
              {n < current ? "✓" : n}
            </span>
            {label}
          </li>
        );
      })}
    </ol>
  );
}
