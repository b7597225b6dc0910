import { ProblemAlert } from "../../ui/ProblemAlert";
import { type Flag, useUpdateFlag } from "./queries";

const CHOICES: { flag: Flag | null; label: string; dot: string }[] = [
  { flag: "red", label: "Red flag", dot: "dot-red" },
  { flag: "yellow", label: "Yellow flag", dot: "dot-amber" },
  { flag: "green", label: "Green flag", dot: "dot-green" },
  { flag: "blue", label: "Blue flag", dot: "dot-blue" },
  { flag: null, label: "No flag", dot: "dot-none" },
];

/**
 * Five round buttons (red, yellow, green, blue, none); the pressed one is the account's flag.
 * `disabledReason`: the caller may not change this account; the buttons are disabled and say why.
 */
export function FlagPicker({
  accountId,
  flag,
  disabledReason,
}: {
  accountId: string;
  flag: Flag | null;
  disabledReason?: string | undefined;
}) {
  const update = useUpdateFlag(accountId);
  // While the request runs, show where the flag is going.
  const shown = update.isPending ? update.variables : flag;
  return (
    <div className="flag-picker-wrap">
      <fieldset
        className={disabledReason ? "flag-picker flag-picker-locked" : "flag-picker"}
        aria-label="Flag"
        disabled={update.isPending || disabledReason !== undefined}
      >
        {CHOICES.map((c) => (
          <button
            key={c.label}
            type="button"
            className="flag-choice"
            aria-pressed={shown === c.flag}
            aria-label={c.label}
            title={disabledReason ? `${c.label}. ${disabledReason}` : c.label}
            onClick={() => {
              if (c.flag !== flag) update.mutate(c.flag);
            }}
          >
            <span className={`dot ${c.dot}`} aria-hidden="true" />
          </button>
        ))}
      </fieldset>
      {update.isError ? <ProblemAlert error={update.error} title="Couldn't set the flag" /> : null}
    </div>
  );
}
