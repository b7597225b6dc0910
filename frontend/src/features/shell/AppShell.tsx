import { Link, Outlet, useRouterState } from "@tanstack/react-router";
import { Pill } from "../../ui/Pill";
import { Skeleton } from "../../ui/states";
import { useLogout, useMe } from "../auth/queries";
import { NAV_GROUPS } from "./nav";

const ROLE_LABELS: Record<string, string> = {
  admin: "Admin",
  leader: "Leader",
  csm: "CSM",
  product: "Product",
  viewer: "Viewer",
};

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
          <Pill tone="accent">{ROLE_LABELS[me.data.role] ?? me.data.role}</Pill>
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

export function AppShell() {
  // An account page belongs to the Book: keep it highlighted there.
  const inAccount = useRouterState({
    select: (state) => state.location.pathname.startsWith("/accounts/"),
  });
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <Link to="/book" className="brand">
          <span className="brand-mark" aria-hidden="true">
            T
          </span>
          Tempo
        </Link>
        {NAV_GROUPS.map((group) => (
          <div className="nav-group" key={group.title}>
            <div className="nav-group-title">{group.title}</div>
            {group.items.map((item) => (
              <Link
                key={item.to}
                to={item.to}
                className={
                  inAccount && item.to === "/book" ? "nav-link nav-link-active" : "nav-link"
                }
                activeOptions={{ includeSearch: false }}
              >
                {item.label}
                {item.soon ? <span className="nav-soon">soon</span> : null}
              </Link>
            ))}
          </div>
        ))}
      </nav>
      <header className="topbar">
        <CurrentUser />
      </header>
      <main className="content">
        <Outlet />
      </main>
    </div>
  );
}
