"""SQL of the ``account``, ``contact``, ``note`` and ``account_team`` tables beyond ingest's bulk
writes (the picture is one read-model statement of its own: ``picture.py``), and the SQL of
the access policy (``access.py``): whose accounts are whose."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, exists, false, func, or_, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.models import Account, AccountTeamMember, Note
from app.auth.models import User


async def get(session: AsyncSession, account_id: uuid.UUID) -> Account | None:
    return await session.get(Account, account_id)


async def user(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await session.get(User, user_id)


async def note(session: AsyncSession, note_id: uuid.UUID) -> Note | None:
    return await session.get(Note, note_id)


async def add_note(session: AsyncSession, note: Note) -> None:
    session.add(note)
    await session.flush()


async def delete_note(session: AsyncSession, note: Note) -> None:
    await session.delete(note)


async def names(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[str, str]]:
    """``(external_id, name)`` of each of these accounts."""
    if not ids:
        return {}
    rows = await session.execute(
        select(col(Account.id), col(Account.external_id), col(Account.name)).where(col(Account.id).in_(set(ids)))
    )
    return {i: (str(e), str(n)) for i, e, n in rows}


# -- whose accounts are whose (the access policy's SQL) ------------------------------------


def _on_team(user_id: uuid.UUID) -> Any:
    return exists().where(
        col(AccountTeamMember.account_id) == col(Account.id), col(AccountTeamMember.user_id) == user_id
    )


def works_on(user_id: uuid.UUID | None) -> Any:
    """A condition on ``account``: the user owns it or is on its team (no user: none)."""
    if user_id is None:
        return false()
    return or_(col(Account.owner_id) == user_id, _on_team(user_id))


# ``works_on`` for text SQL over ``account`` aliased ``a``, with the parameters ``:scoped``
# (false: every account passes) and ``:scope_user`` (see ``access.ReadScope.params``).
WORKS_ON_SQL = (
    "(NOT CAST(:scoped AS boolean) OR a.owner_id = CAST(:scope_user AS uuid) OR EXISTS ("
    "SELECT 1 FROM account_team scope_team WHERE scope_team.account_id = a.id "
    "AND scope_team.user_id = CAST(:scope_user AS uuid)))"
)


def in_list(user_id: uuid.UUID | None, owners: Sequence[uuid.UUID]) -> Any:
    """A condition on ``account``: the user works on it (``works_on``) or one of ``owners``
    owns it (a "team" list: the people whose accounts count beside the user's own)."""
    mine = works_on(user_id)
    return or_(mine, col(Account.owner_id).in_(list(owners))) if owners else mine


# A list's scope (``access.ListScope``) for text SQL over ``account`` aliased ``a``: what the
# caller reads (``WORKS_ON_SQL``, with ``:scoped`` and ``:scope_user``) and, unless
# ``:list_all``, only the accounts ``:list_user`` owns or is on the team of, or that one of
# ``:list_owners`` (uuid[]) owns. ``access.ListScope.params`` gives every parameter.
IN_SCOPE_SQL = (
    f"({WORKS_ON_SQL} AND (CAST(:list_all AS boolean) "  # noqa: S608 - constants only; values are bound
    "OR a.owner_id = ANY(CAST(:list_owners AS uuid[])) "
    "OR a.owner_id = CAST(:list_user AS uuid) OR EXISTS ("
    "SELECT 1 FROM account_team list_team WHERE list_team.account_id = a.id "
    "AND list_team.user_id = CAST(:list_user AS uuid))))"
)

_TEAM = text(
    """
    SELECT v.id, v.lead_id = CAST(:u AS uuid) AS reports
    FROM "user" v
    WHERE v.lead_id = CAST(:u AS uuid)
       OR v.lead_id = (SELECT me.lead_id FROM "user" me WHERE me.id = CAST(:u AS uuid))
    ORDER BY v.id
    """
)


async def team_around(session: AsyncSession, user_id: uuid.UUID) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    """``(reports, peers)`` of a user: who has them as lead, and who shares their lead (the
    user among them; none when the user has no lead)."""
    reports: list[uuid.UUID] = []
    peers: list[uuid.UUID] = []
    for other, is_report in (await session.execute(_TEAM, {"u": user_id})).all():
        (reports if is_report else peers).append(other)
    return reports, peers


async def standing(session: AsyncSession, account_id: uuid.UUID, user_id: uuid.UUID | None) -> tuple[Any, bool] | None:
    """``(owner_id, works on it)`` of the account for this user; None: no such account."""
    row = (
        await session.execute(select(col(Account.owner_id), works_on(user_id)).where(col(Account.id) == account_id))
    ).first()
    return (row[0], bool(row[1])) if row is not None else None


async def worked_on(session: AsyncSession, user_id: uuid.UUID | None, ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    """Those of ``ids`` the user owns or is on the team of."""
    if not ids or user_id is None:
        return set()
    rows = await session.scalars(select(col(Account.id)).where(col(Account.id).in_(set(ids)), works_on(user_id)))
    return set(rows)


async def team(session: AsyncSession, account_id: uuid.UUID) -> list[tuple[AccountTeamMember, User]]:
    rows = await session.execute(
        select(AccountTeamMember, User)
        .join(User, col(User.id) == col(AccountTeamMember.user_id))
        .where(col(AccountTeamMember.account_id) == account_id)
        .order_by(col(AccountTeamMember.added_at), col(User.email))
        .execution_options(populate_existing=True)
    )
    return [(m, u) for m, u in rows.all()]


async def replace_team(session: AsyncSession, account_id: uuid.UUID, members: dict[uuid.UUID, str | None]) -> None:
    """The team becomes ``members`` (user → role on the team); those who stay keep ``added_at``."""
    await session.execute(
        delete(AccountTeamMember).where(
            col(AccountTeamMember.account_id) == account_id, col(AccountTeamMember.user_id).not_in(list(members))
        )
    )
    if members:
        stmt = insert(AccountTeamMember).values(
            [{"account_id": account_id, "user_id": u, "role": r} for u, r in members.items()]
        )
        await session.execute(
            stmt.on_conflict_do_update(index_elements=["account_id", "user_id"], set_={"role": stmt.excluded.role})
        )


async def users(session: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, User]:
    if not ids:
        return {}
    rows = await session.scalars(select(User).where(col(User.id).in_(set(ids))))
    return {u.id: u for u in rows}


async def notes_of(
    session: AsyncSession, account_ids: Sequence[uuid.UUID], limit_each: int
) -> dict[uuid.UUID, list[tuple[Note, User | None]]]:
    """Each account's newest notes (at most ``limit_each``) with their authors, in one statement."""
    out: dict[uuid.UUID, list[tuple[Note, User | None]]] = {a: [] for a in account_ids}
    if not account_ids:
        return out
    ranked = (
        select(
            col(Note.id),
            func.row_number()
            .over(partition_by=col(Note.account_id), order_by=(col(Note.created_at).desc(), col(Note.id)))
            .label("n"),
        )
        .where(col(Note.account_id).in_(list(account_ids)))
        .subquery()
    )
    rows = await session.execute(
        select(Note, User)
        .join(ranked, ranked.c.id == col(Note.id))
        .outerjoin(User, col(User.id) == col(Note.author_id))
        .where(ranked.c.n <= limit_each)
        .order_by(col(Note.account_id), ranked.c.n)
    )
    for note, author in rows.all():
        out[note.account_id].append((note, author))
    return out
