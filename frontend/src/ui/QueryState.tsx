import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { ErrorState, LoadingBlock } from "./states";

/**
 * A card body for one analytics query: a skeleton while it loads (some take seconds on a
 * large book), the error with a retry, `empty` when `isEmpty`, else `children(data)` (dimmed
 * while new parameters load over the previous answer).
 */
export function QueryState<T>({
  query,
  what,
  lines = 5,
  isEmpty,
  empty,
  children,
}: {
  query: UseQueryResult<T>;
  /** "the retention curves": completes "Loading …" and "Couldn't load …". */
  what: string;
  lines?: number;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <LoadingBlock lines={lines} label={`Loading ${what}`} />;
  if (query.isError) {
    return (
      <ErrorState
        title={`Couldn't load ${what}`}
        error={query.error}
        onRetry={() => void query.refetch()}
      />
    );
  }
  if (isEmpty?.(query.data)) return <>{empty}</>;
  return (
    <div className={query.isPlaceholderData ? "is-busy" : undefined}>{children(query.data)}</div>
  );
}
