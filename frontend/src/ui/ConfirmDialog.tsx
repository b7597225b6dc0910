import type { ReactNode } from "react";
import { Dialog } from "./Dialog";
import { ProblemAlert } from "./ProblemAlert";

/** Ask before something that cannot be undone; shows the server's error in place. */
export function ConfirmDialog({
  title,
  confirmLabel,
  busyLabel,
  busy,
  error,
  onConfirm,
  onClose,
  children,
}: {
  title: string;
  confirmLabel: string;
  busyLabel: string;
  busy: boolean;
  error: unknown;
  onConfirm: () => void;
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <Dialog
      title={title}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn btn-primary" disabled={busy} onClick={onConfirm}>
            {busy ? busyLabel : confirmLabel}
          </button>
        </>
      }
    >
      <div className="dialog-form">
        {children}
        {error ? <ProblemAlert error={error} /> : null}
      </div>
    </Dialog>
  );
}
