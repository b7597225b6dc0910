"""SQL of the ``account``, ``contact`` and ``note`` tables beyond ingest's bulk writes (the
picture is one read-model statement of its own: ``picture.py``)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.models import Account, Note
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
