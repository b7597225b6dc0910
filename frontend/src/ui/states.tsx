import type { ReactNode } from "react";
import { errorMessage } from "../api/errors";

export function ErrorState({
  error,
  title = "Couldn't load this",
  onRetry,
}: {
  error: unknown;
  title?: string;
  onRetry?: () => void;
}) {
  return (
    <div className="state state-error" role="alert">
      <div className="state-title">{title}</div>
      <div>{errorMessage(error)}</div>
      {onRetry ? (
        <button type="button" className="btn btn-sm" onClick={onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}

export function EmptyState({
  title,
  children,
  action,
}: {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="state">
      <div className="state-title">{title}</div>
      {children ? <div>{children}</div> : null}
      {action}
    </div>
  );
}

export function Skeleton({ width = "100%" }: { width?: number | string }) {
  return <span className="skeleton" style={{ width }} aria-hidden="true" />;
}

export function LoadingBlock({ lines = 4, label = "Loading" }: { lines?: number; label?: string }) {
  return (
    <div className="card-body" aria-busy="true">
      <span className="visually-hidden">{label}…</span>
      <div style={{ display: "grid", gap: 12 }}>
        {Array.from({ length: lines }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: static placeholder rows
          <Skeleton key={i} width={`${90 - ((i * 17) % 40)}%`} />
        ))}
      </div>
    </div>
  );
}
