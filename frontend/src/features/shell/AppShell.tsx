import { Link, Outlet, useRouterState } from "@tanstack/react-router";
import { type MouseEvent, useId, useRef } from "react";
import { roleLabel } from "../../lib/roles";
import { Pill } from "../../ui/Pill";
import { Skeleton } from "../../ui/states";
import { useLogout, useMe } from "../auth/queries";
import { type NavGroup, navGroupsFor } from "./nav";

/** The id of the main content region, the skip link's target. */
export const MAIN_CONTENT_ID = "main-content";

function CurrentUser() {
  const me = useMe();
  const logout = useLogout();

  return (
    <div className="topbar-user">
      {me.data ? (
        <>
          <span title={me.data.name ?? undefined} data-testid="current-user">
            {me.data.email}
          </span>
          <Pill tone="accent">{roleLabel(me.data.role)}</Pill>
        </>
      ) : (
        <Skeleton width={160} />
      )}
      <button
        type="button"
        className="btn btn-sm"
        onClick={() => logout.mutate()}
        disabled={logout.isPending}
      >
        Sign out
      </button>
    </div>
  );
}

function NavGroupLinks({ group, inAccount }: { group: NavGroup; inAccount: boolean }) {
  const titleId = useId();
  return (
    // Named groups of links ("Operations group"): a fieldset is for form controls.
    // biome-ignore lint/a11y/useSemanticElements: no native element groups links under a name
    <div className="nav-group" role="group" aria-labelledby={titleId}>
      <div className="nav-group-title" id={titleId}>
        {group.title}
      </div>
      {group.items.map((item) => (
        <Link
          key={item.to}
          to={item.to}
          className={inAccount && item.to === "/book" ? "nav-link nav-link-active" : "nav-link"}
          activeOptions={{ includeSearch: false }}
        >
          {item.label}
          {item.soon ? <span className="nav-soon">soon</span> : null}
        </Link>
      ))}
    </div>
  );
}

export function AppShell() {
  const me = useMe();
  const mainRef = useRef<HTMLElement>(null);
  // An account page belongs to the Book: keep it highlighted there.
  const inAccount = useRouterState({
    select: (state) => state.location.pathname.startsWith("/accounts/"),
  });

  // Focus the region itself rather than following the fragment: a hash change would be a
  // navigation for the router, and the region (tabIndex -1) takes focus without a tab stop.
  const skipToContent = (event: MouseEvent<HTMLAnchorElement>) => {
    const main = mainRef.current;
    if (!main) return;
    event.preventDefault();
    main.focus();
  };

  return (
    <div className="shell">
      <a className="skip-link" href={`#${MAIN_CONTENT_ID}`} onClick={skipToContent}>
        Skip to content
      </a>
      <nav className="sidebar" aria-label="Main">
        <Link to="/book" className="brand">
          <span className="brand-mark" aria-hidden="true">
            T
          </span>
          Tempo
        </Link>
        {navGroupsFor(me.data?.role).map((group) => (
          <NavGroupLinks key={group.title} group={group} inAccount={inAccount} />
        ))}
      </nav>
      <header className="topbar">
        <CurrentUser />
      </header>
      <main id={MAIN_CONTENT_ID} ref={mainRef} className="content" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
