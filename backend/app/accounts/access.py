"""Who may read and change which account (DESIGN §16). The services call this, so REST and
GraphQL share one policy; routes only bound the role (``app.auth.permissions``).

Writes to anything that belongs to an account (the account row, its notes, tasks, alerts,
playbook runs, renewal forecasts, feedback linked to it, its team):

- admins and leaders change every account;
- a CSM changes the accounts they own (``account.owner_id``) or are on the team of
  (``account_team``), and nothing else; reassigning an account (changing its owner) is for
  leaders and admins only, even for the CSM who owns it;
- an API key has no user, so it owns no account and sits on no team: a key with role csm
  changes no account (scripts that write use a leader or admin key);
- product and viewer change nothing (their routes refuse them already).

Reads: everyone reads the whole book, except CSMs when ``csm_read_whole_book`` is off: then a
CSM reads only the accounts they own or are on the team of (a csm API key: none). An account
a caller may not read is answered 404, as if it did not exist, whether the call reads or
writes it; 403 (``NOT_YOURS``) is for an account the caller sees but may not change.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

from sqlalchemy import and_
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import repository
from app.auth.service import Principal
from app.core.config import get_settings
from app.core.enums import Role
from app.core.errors import Forbidden, NotFound

# Roles that change every account.
WRITE_EVERY_ACCOUNT: frozenset[Role] = frozenset({Role.admin, Role.leader})
# Roles that change the accounts they work on.
WRITE_OWN_ACCOUNTS: frozenset[Role] = frozenset({Role.csm})

NOT_YOURS = "You may change only accounts you own or are on the team of"
KEY_OWNS_NOTHING = (
    "You may change only accounts you own or are on the team of; an API key owns none "
    "(use a signed-in CSM, or a leader or admin key)"
)
LEADS_REASSIGN = "Only leaders and admins reassign accounts"


@dataclass(frozen=True)
class ReadScope:
    """Which accounts a caller reads: every one, or (``restricted``) those ``user_id`` owns or
    is on the team of."""

    restricted: bool = False
    user_id: uuid.UUID | None = None

    def condition(self) -> Any | None:
        """A condition on ``account`` for SQLAlchemy statements; None: no restriction."""
        return repository.works_on(self.user_id) if self.restricted else None

    def params(self) -> dict[str, Any]:
        """The parameters of ``repository.WORKS_ON_SQL`` in text SQL."""
        return {"scoped": self.restricted, "scope_user": self.user_id}


WHOLE_BOOK = ReadScope()


def read_scope(principal: Principal) -> ReadScope:
    if principal.role in WRITE_OWN_ACCOUNTS and not get_settings().csm_read_whole_book:
        return ReadScope(restricted=True, user_id=principal.user_id)
    return WHOLE_BOOK


# -- whose accounts a list shows ------------------------------------------------------------
# Lists of accounts (the book, renewals, quadrant movers, the queue...) take a scope:
#
# - ``mine``: the accounts the user owns or is on the account team of;
# - ``team``: a leader's team: the accounts they or anyone reporting to them
#   (``user.lead_id``) own; a CSM's team: the accounts they or anyone sharing their lead own;
#   ``mine`` always counts too. Someone with no lead and nobody reporting to them: as mine;
# - ``all``: every account.
#
# Always within what the caller reads (``read_scope``): a CSM who reads only their own accounts
# gets ``mine`` whatever they ask. Without a scope in the request: a CSM gets ``mine``; a
# leader ``team`` when anyone reports to them, else ``all``; admins, product, viewers and API
# keys ``all``; and a request that names an owner itself (``owner_id``, ``owner=`` in the
# filter) ``all``, as the owner already narrows it.
ScopeName = Literal["mine", "team", "all"]
SCOPE_NAMES: tuple[ScopeName, ...] = get_args(ScopeName)
SCOPE_HELP = (
    "Whose accounts: mine (owned or on the account team), team (my team's: my reports', or my "
    "lead's reports'), all. Default: mine for CSMs, team for leaders with reports, else all"
)


@dataclass(frozen=True)
class ListScope:
    """The accounts a list shows (``resolve_scope``): its ``name``, and as conditions in SQL.

    ``owners``: for ``team``, the people whose accounts count beside the user's own;
    ``read``: what the caller may read at all, which the list never goes beyond."""

    name: ScopeName = "all"
    user_id: uuid.UUID | None = None
    owners: tuple[uuid.UUID, ...] = ()
    read: ReadScope = WHOLE_BOOK

    def condition(self) -> Any | None:
        """A condition on ``account`` for SQLAlchemy statements; None: every account."""
        parts = [c for c in (self.read.condition(), self._listed()) if c is not None]
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else and_(*parts)

    def _listed(self) -> Any | None:
        return None if self.name == "all" else repository.in_list(self.user_id, self.owners)

    def params(self) -> dict[str, Any]:
        """The parameters of ``repository.IN_SCOPE_SQL`` in text SQL (those of
        ``repository.WORKS_ON_SQL`` among them)."""
        return {
            **self.read.params(),
            "list_all": self.name == "all",
            "list_user": self.user_id,
            "list_owners": list(self.owners),
        }


EVERY_ACCOUNT = ListScope()


def default_scope(principal: Principal, leads_anyone: bool) -> ScopeName:
    """The scope of a request that names none (``leads_anyone``: someone reports to the caller)."""
    if principal.user_id is None:
        return "all"  # an API key: no user, so no accounts of its own
    if principal.role == Role.csm:
        return "mine"
    if principal.role == Role.leader and leads_anyone:
        return "team"
    return "all"


async def resolve_scope(
    session: AsyncSession, principal: Principal, requested: ScopeName | None = None, *, names_owner: bool = False
) -> ListScope:
    """The scope a list applies for this caller: ``requested``, else the default (``all`` when
    the request names an owner itself), within what the caller reads. At most one query (who
    reports to the caller and who shares their lead), and only for leaders or ``team``."""
    read = read_scope(principal)
    user = principal.user_id
    if read.restricted:  # reads their own accounts only: mine, whatever the request
        return ListScope(name="mine", user_id=user, read=read)
    if requested is None and names_owner:
        return ListScope(name="all", read=read)
    needs_team = requested == "team" or (requested is None and principal.role == Role.leader)
    reports: list[uuid.UUID] = []
    peers: list[uuid.UUID] = []
    if needs_team and user is not None:
        reports, peers = await repository.team_around(session, user)
    name = requested or default_scope(principal, bool(reports))
    if name == "all":
        return ListScope(name="all", read=read)
    if name == "mine":
        return ListScope(name="mine", user_id=user, read=read)
    # a CSM's team is the people sharing their lead; anyone else's, the people reporting to them
    owners = (peers or reports) if principal.role == Role.csm else (reports or peers)
    return ListScope(name="team", user_id=user, owners=tuple(o for o in owners if o != user), read=read)


def writes_every_account(principal: Principal) -> bool:
    return principal.role in WRITE_EVERY_ACCOUNT


def _not_found(account_id: uuid.UUID) -> NotFound:
    return NotFound(f"No account with id {account_id}")


async def require_read(session: AsyncSession, principal: Principal, account_id: uuid.UUID) -> None:
    """404 unless the caller may read this account (a missing account is the caller's to 404)."""
    scope = read_scope(principal)
    if not scope.restricted:
        return
    found = await repository.standing(session, account_id, scope.user_id)
    if found is None or not found[1]:
        raise _not_found(account_id)


async def visible(session: AsyncSession, principal: Principal, ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    """Those of ``ids`` the caller may read."""
    scope = read_scope(principal)
    if not scope.restricted:
        return set(ids)
    return await repository.worked_on(session, scope.user_id, ids)


async def require_read_can_write(session: AsyncSession, principal: Principal, account_id: uuid.UUID) -> bool:
    """404 unless the caller may read this account (``require_read``); then whether they may
    change it. One query at most (none for admins and leaders)."""
    if writes_every_account(principal):
        return True
    if principal.role not in WRITE_OWN_ACCOUNTS:
        return False  # reads every account (only CSMs are ever restricted), changes none
    restricted = read_scope(principal).restricted
    if not restricted and principal.user_id is None:
        return False
    found = await repository.standing(session, account_id, principal.user_id)
    works = found is not None and found[1]
    if restricted and not works:
        raise _not_found(account_id)
    return works


async def require_write(
    session: AsyncSession, principal: Principal, account_id: uuid.UUID, *, missing: str | None = None
) -> None:
    """403 (``NOT_YOURS``) unless the caller may change this account; 404 if the account does
    not exist or the caller may not even read it (with the detail ``missing``, if given: for
    a record of the account, which the 404 names instead). Admins and leaders pass without a
    query (the service finds a missing account itself)."""
    try:
        await _write_standing(session, principal, account_id)
    except NotFound:
        if missing is None:
            raise
        raise NotFound(missing) from None


async def _write_standing(
    session: AsyncSession, principal: Principal, account_id: uuid.UUID
) -> tuple[Any, bool] | None:
    """``require_write``, answering the account's ``repository.standing`` for a CSM (None for
    admins and leaders, who pass without a query)."""
    if writes_every_account(principal):
        return None
    if principal.role not in WRITE_OWN_ACCOUNTS:
        await require_read(session, principal, account_id)
        raise Forbidden(f"Role '{principal.role}' may not do this")
    found = await repository.standing(session, account_id, principal.user_id)
    if found is None:
        raise _not_found(account_id)
    if found[1]:
        return found
    if read_scope(principal).restricted:
        raise _not_found(account_id)
    raise Forbidden(NOT_YOURS if principal.user_id is not None else KEY_OWNS_NOTHING)


def require_every_account(principal: Principal, detail: str) -> None:
    """403 unless the caller changes every account (for what belongs to no one account)."""
    if not writes_every_account(principal):
        raise Forbidden(detail)


async def require_owner_or_lead(session: AsyncSession, principal: Principal, account_id: uuid.UUID) -> None:
    """Admins, leaders, and the CSM who owns the account (not its team): who manages its team."""
    found = await _write_standing(session, principal, account_id)
    if found is None:  # admins and leaders
        return
    if found[0] is None or found[0] != principal.user_id:
        raise Forbidden("Only the account's owner, leaders and admins change its team")
