import type { ReactNode } from "react";
import type { AccountDetail } from "../../api/client";
import { ErrorState, LoadingBlock } from "../../ui/states";
import { useAccount } from "./queries";

/**
 * A card of the account picture: its header, then the body rendered from the account once it
 * is loaded (skeleton lines before, the error with Retry when it could not be loaded).
 * Every card reads the same `accounts:get` query, so the picture is fetched once.
 */
export function PictureCard({
  accountId,
  id,
  title,
  aside,
  className,
  lines = 3,
  children,
}: {
  accountId: string;
  /** Unique on the page: the heading's id is `${id}-title`. */
  id: string;
  title: string;
  aside?: (account: AccountDetail) => ReactNode;
  className?: string;
  lines?: number;
  children: (account: AccountDetail) => ReactNode;
}) {
  const account = useAccount(accountId);
  const data = account.data;
  let body: ReactNode;
  if (data) body = children(data);
  else if (account.isError) {
    body = (
      <ErrorState
        title={`Couldn't load ${title.toLowerCase()}`}
        error={account.error}
        onRetry={() => void account.refetch()}
      />
    );
  } else body = <LoadingBlock lines={lines} label={`Loading ${title.toLowerCase()}`} />;

  return (
    <section
      className={className ? `card picture-card ${className}` : "card picture-card"}
      aria-labelledby={`${id}-title`}
      data-testid={`${id}-card`}
    >
      <div className="card-header">
        <h2 id={`${id}-title`}>{title}</h2>
        {data && aside ? <div className="picture-aside">{aside(data)}</div> : null}
      </div>
      {body}
    </section>
  );
}

/** A heading inside a card, above one of its lists or tables. */
export function SubHeading({ children, aside }: { children: ReactNode; aside?: ReactNode }) {
  return (
    <div className="picture-subhead">
      <h3>{children}</h3>
      {aside}
    </div>
  );
}
