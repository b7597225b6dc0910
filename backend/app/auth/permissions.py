"""Who may do what. Routes declare the roles they admit; this is the one table of them."""

from __future__ import annotations

from app.core.enums import Role

# Everyone signed in may read.
READ: frozenset[Role] = frozenset(Role)
# CS work: tasks, notes, alerts, playbook runs, forecasts. Which accounts each may change is
# the services' to check (``app.accounts.access``: CSMs, only the accounts they work on).
WORK: frozenset[Role] = frozenset({Role.admin, Role.leader, Role.csm})
# Defining how the team works: playbooks.
LEAD: frozenset[Role] = frozenset({Role.admin, Role.leader})
# Configuration, users, keys, ingest.
ADMIN: frozenset[Role] = frozenset({Role.admin})
# Pushing signals (ingest, import). Admin keys only for now; a narrower role would be added here.
INGEST: frozenset[Role] = frozenset({Role.admin})
