"""Who may do what. Routes declare the permission they need; this is the one table of them.

Each permission is the set of roles it admits, and knows which API key scopes admit a scoped
key to it. A key whose scopes include ``read``, ``ingest`` or ``admin`` is judged by those
scopes alone (its role only says what the services see it as); any other key, and every
signed-in user, by role.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.core.enums import ApiKeyScope, Role

# The scopes that limit a key to what they admit; a key with none of them acts by its role.
LIMITING_SCOPES: frozenset[str] = frozenset({ApiKeyScope.read, ApiKeyScope.ingest, ApiKeyScope.admin})


class Permission(frozenset[Role]):
    """The roles a route admits (a frozenset of them, so ``role in permission`` reads as
    before), and ``key_scopes``: the scopes that admit a scoped key."""

    key_scopes: frozenset[ApiKeyScope]

    def __new__(cls, roles: Iterable[Role], key_scopes: Iterable[ApiKeyScope]) -> Permission:
        permission = super().__new__(cls, roles)
        permission.key_scopes = frozenset(key_scopes)
        return permission

    def __init__(self, roles: Iterable[Role], key_scopes: Iterable[ApiKeyScope]) -> None:
        super().__init__()

    def admits(self, role: Role, scopes: Iterable[str] = ()) -> bool:
        """A scoped key (``scopes`` with read, ingest or admin) by any of its scopes, anyone else by role."""
        held = frozenset(scopes)
        if held & LIMITING_SCOPES:
            return bool(held & self.key_scopes)
        return role in self


# Everyone signed in may read; keys with the read scope too.
READ = Permission(Role, {ApiKeyScope.read, ApiKeyScope.admin})
# CS work: tasks, notes, alerts, playbook runs, forecasts. Which accounts each may change is
# the services' to check (``app.accounts.access``: CSMs, only the accounts they work on).
WORK = Permission({Role.admin, Role.leader, Role.csm}, {ApiKeyScope.admin})
# Defining how the team works: playbooks.
LEAD = Permission({Role.admin, Role.leader}, {ApiKeyScope.admin})
# Configuration, users, keys.
ADMIN = Permission({Role.admin}, {ApiKeyScope.admin})
# Pushing signals (ingest, import): admins, and keys with the ingest scope.
INGEST = Permission({Role.admin}, {ApiKeyScope.ingest, ApiKeyScope.admin})
# Issuing embed tokens: whoever reads, and keys with the embed scope whatever else they hold
# (``app.embed.service.may_issue`` then asks for an admin or that scope).
EMBED = Permission(Role, {ApiKeyScope.read, ApiKeyScope.admin, ApiKeyScope.embed})
