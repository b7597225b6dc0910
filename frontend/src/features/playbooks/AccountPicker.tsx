import { type KeyboardEvent, useId, useState } from "react";
import { formatMoneyCompact, formatScore } from "../../lib/format";
import { QuadrantPill } from "../../ui/health";
import { type AccountSummary, useAccountSuggestions } from "./queries";
import { useDebounced } from "./useDebounced";

/**
 * The account the preview renders on: a search box (combobox) suggesting accounts by name as
 * you type; empty, it suggests the book's largest accounts.
 */
export function AccountPicker({
  name,
  currency,
  onPick,
}: {
  /** The chosen account's name ("" while unknown). */
  name: string;
  currency: string;
  onPick: (account: AccountSummary) => void;
}) {
  const listId = useId();
  // null: not typing, the box shows the chosen account's name.
  const [text, setText] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const q = useDebounced((text ?? "").trim(), 250);
  const suggestions = useAccountSuggestions(q, open);
  const items = open ? (suggestions.data?.items ?? []) : [];
  const activeItem = items[Math.min(active, items.length - 1)];

  const close = () => {
    setOpen(false);
    setText(null);
    setActive(0);
  };
  const pick = (account: AccountSummary) => {
    close();
    onPick(account);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      setOpen(true);
      setActive((i) => (items.length ? (i + 1) % items.length : 0));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive((i) => (items.length ? (i - 1 + items.length) % items.length : 0));
    } else if (event.key === "Enter") {
      if (open && activeItem) {
        event.preventDefault();
        pick(activeItem);
      }
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      close();
    }
  };

  let status = null;
  if (open && !items.length) {
    status = suggestions.isError
      ? "Couldn't search the accounts."
      : suggestions.isFetching || suggestions.isPending
        ? "Searching…"
        : q
          ? `No account matches “${q}”.`
          : "No accounts yet.";
  }

  return (
    <div className="pb-picker">
      <input
        className="input pb-picker-input"
        type="search"
        role="combobox"
        aria-label="Preview account"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && activeItem ? `${listId}-${activeItem.id}` : undefined}
        autoComplete="off"
        placeholder="Search accounts…"
        value={text ?? name}
        onFocus={(e) => {
          setOpen(true);
          e.currentTarget.select();
        }}
        onBlur={close}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      {open ? (
        <div className="pb-picker-pop">
          <div
            id={listId}
            role="listbox"
            aria-label="Accounts"
            tabIndex={-1}
            className="pb-picker-list"
          >
            {items.map((account) => (
              // biome-ignore lint/a11y/useKeyWithClickEvents: the combobox handles the keyboard
              <div
                key={account.id}
                id={`${listId}-${account.id}`}
                role="option"
                tabIndex={-1}
                aria-selected={account.id === activeItem?.id}
                className="pb-picker-option"
                onMouseDown={(e) => e.preventDefault()}
                onMouseEnter={() => setActive(items.indexOf(account))}
                onClick={() => pick(account)}
              >
                <span className="pb-picker-name">{account.name}</span>
                <span className="pb-picker-meta">
                  {formatMoneyCompact(account.arr, currency)}
                  {account.health_score !== null
                    ? ` · health ${formatScore(account.health_score)}`
                    : ""}
                  {account.quadrant ? <QuadrantPill quadrant={account.quadrant} /> : null}
                </span>
              </div>
            ))}
          </div>
          {status ? <p className="pb-picker-status muted small">{status}</p> : null}
        </div>
      ) : null}
    </div>
  );
}
