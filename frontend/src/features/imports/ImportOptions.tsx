import type { Kind } from "../../api/kinds";

export interface ImportOptionsState {
  /** null: not chosen, so the server's default applies (a preset may default to true). */
  createMissingAccounts: boolean | null;
  dayFirst: boolean;
  source: string;
}

export const DEFAULT_OPTIONS: ImportOptionsState = {
  createMissingAccounts: null,
  dayFirst: false,
  source: "",
};

/** How rows are read and what happens to rows whose account is unknown. */
export function ImportOptions({
  kind,
  hasPreset,
  value,
  onChange,
}: {
  kind: Kind;
  hasPreset: boolean;
  value: ImportOptionsState;
  onChange: (patch: Partial<ImportOptionsState>) => void;
}) {
  return (
    <section className="card" aria-labelledby="options-title">
      <div className="card-header">
        <h2 id="options-title">Options</h2>
      </div>
      <div className="card-body wizard-form">
        {kind === "accounts" ? null : (
          <label className="check">
            <input
              type="checkbox"
              checked={value.createMissingAccounts === true}
              onChange={(e) => onChange({ createMissingAccounts: e.target.checked })}
            />
            <span>
              Create missing accounts
              <span className="field-hint">
                Rows whose account is unknown create it, instead of waiting in Unmatched records.
                {hasPreset && value.createMissingAccounts === null
                  ? " Left alone, the preset's default applies: check “Accounts created” in the validation report."
                  : ""}
              </span>
            </span>
          </label>
        )}
        <label className="check">
          <input
            type="checkbox"
            checked={value.dayFirst}
            onChange={(e) => onChange({ dayFirst: e.target.checked })}
          />
          <span>
            Dates are day-first
            <span className="field-hint">Read 03/04/2026 as 3 April, not March 4.</span>
          </span>
        </label>
        <label className="field">
          <span className="field-label">Source name (optional)</span>
          <input
            className="input"
            value={value.source}
            maxLength={100}
            placeholder="e.g. ravenstack-export"
            onChange={(e) => onChange({ source: e.target.value })}
          />
          <span className="field-hint">
            The data source these rows count for on the Sources page.
          </span>
        </label>
      </div>
    </section>
  );
}
