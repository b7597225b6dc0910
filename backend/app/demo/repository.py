"""SQL the demo set-up needs beyond the bulk loader: the demo CSM, their lead and the book's size."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

_BUSIEST_CSM = text(
    """
    SELECT u.id, u.email, u.password_hash, u.lead_id FROM "user" u JOIN account a ON a.owner_id = u.id
    WHERE u.role = 'csm' AND u.is_active AND a.status = 'active'
    GROUP BY u.id ORDER BY count(*) DESC, u.email LIMIT 1
    """
)


async def busiest_csm(session: AsyncSession) -> Any | None:
    """The CSM owning the most active accounts: (id, email, password_hash, lead_id), or None."""
    return (await session.execute(_BUSIEST_CSM)).first()


async def active_leader(session: AsyncSession, user_id: uuid.UUID) -> Any | None:
    """The user ``user_id`` when they are an active leader: (id, email, password_hash), or None."""
    query = text("""SELECT id, email, password_hash FROM "user" WHERE id = :id AND role = 'leader' AND is_active""")
    return (await session.execute(query, {"id": user_id})).first()


async def set_password_hash(session: AsyncSession, user_id: uuid.UUID, password_hash: str) -> None:
    await session.execute(
        text('UPDATE "user" SET password_hash = :h WHERE id = :id'), {"h": password_hash, "id": user_id}
    )


async def account_count(session: AsyncSession) -> int:
    return int(await session.scalar(text("SELECT count(*) FROM account")) or 0)
