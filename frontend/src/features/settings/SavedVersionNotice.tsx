import { formatInteger } from "../../lib/format";

/** After a config is saved as a new version: says so, with the button that activates it. */
export function SavedVersionNotice({
  version,
  onActivate,
}: {
  version: number;
  onActivate: (version: number) => void;
}) {
  return (
    <div className="notice editor-saved" role="status">
      Saved as version {formatInteger(version)}.
      <button type="button" className="btn btn-sm btn-primary" onClick={() => onActivate(version)}>
        Activate v{version}
      </button>
    </div>
  );
}
