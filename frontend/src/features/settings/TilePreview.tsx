import { useState } from "react";
import { errorMessage } from "../../api/errors";
import { Segmented } from "../../ui/Segmented";
import { Skeleton } from "../../ui/states";
import { AccountPicker } from "../playbooks/AccountPicker";
import { type AccountSummary, useAccountSuggestions } from "../playbooks/queries";
import "../playbooks/playbooks.css";
import { useReportingContext } from "../meta/queries";
import { TILE_KINDS, type TileKind, type TileTheme, useTileSvg } from "./embeddingQueries";

const THEMES = [
  { value: "light", label: "Light" },
  { value: "dark", label: "Dark" },
] as const satisfies readonly { value: TileTheme; label: string }[];

function TileImage({
  kind,
  label,
  accountId,
  accountName,
  theme,
}: {
  kind: TileKind;
  label: string;
  accountId: string;
  accountName: string;
  theme: TileTheme;
}) {
  const tile = useTileSvg(kind, accountId, theme);
  let content = null;
  if (tile.isError) {
    content = (
      <div className="embed-tile-error" role="alert">
        <strong>{label}</strong>
        {errorMessage(tile.error)}
      </div>
    );
  } else if (tile.data) {
    content = (
      <img
        src={tile.data}
        alt={`${label} tile${accountName ? ` of ${accountName}` : ""}`}
        width={320}
        height={120}
      />
    );
  } else {
    content = (
      <div className="embed-tile-loading" aria-busy="true">
        <span className="visually-hidden">Loading the {label} tile…</span>
        <Skeleton width="60%" />
        <Skeleton width="35%" />
      </div>
    );
  }
  return (
    <div className="embed-tile" data-testid={`embed-tile-${kind}`}>
      {content}
    </div>
  );
}

/**
 * The four tiles of one account as a host page would show them (SVG, read with the admin's
 * own token), in the light or dark theme.
 */
export function TilePreview() {
  const { currency } = useReportingContext();
  const top = useAccountSuggestions("");
  const [picked, setPicked] = useState<AccountSummary | null>(null);
  const [theme, setTheme] = useState<TileTheme>("light");
  const account = picked ?? top.data?.items[0] ?? null;

  let body = null;
  if (account) {
    body = (
      <div className={`embed-tiles embed-tiles-${theme}`}>
        {TILE_KINDS.map((t) => (
          <TileImage
            key={t.kind}
            kind={t.kind}
            label={t.label}
            accountId={account.id}
            accountName={account.name}
            theme={theme}
          />
        ))}
      </div>
    );
  } else if (top.isError) {
    body = (
      <div className="alert alert-error" role="alert">
        Couldn't load the accounts: {errorMessage(top.error)}
      </div>
    );
  } else if (!top.isPending) {
    body = <p className="muted">No accounts yet: the preview needs one.</p>;
  }

  return (
    <section className="card" aria-labelledby="embed-preview-title">
      <div className="card-header embed-preview-header">
        <h2 id="embed-preview-title">Preview</h2>
        <div className="toolbar-inline">
          <AccountPicker name={account?.name ?? ""} currency={currency} onPick={setPicked} />
          <Segmented label="Tile theme" options={THEMES} value={theme} onChange={setTheme} />
        </div>
      </div>
      <div className="card-body embed-preview-body">
        <p className="muted small">
          The tiles as a host page shows them (SVG here; host pages usually frame the HTML version).
          Read with your own sign-in, so no token is issued.
        </p>
        {body}
      </div>
    </section>
  );
}
