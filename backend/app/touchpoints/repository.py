"""SQL of the ``touchpoint`` table beyond ingest's writes (ingest is its writer)."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy import ARRAY, Uuid, any_, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.models import Contact
from app.touchpoints.models import Touchpoint


async def by_source_id(session: AsyncSession, source_id: str) -> Touchpoint | None:
    found: Touchpoint | None = await session.scalar(select(Touchpoint).where(col(Touchpoint.source_id) == source_id))
    return found


async def latest(session: AsyncSession, account_id: uuid.UUID, limit: int) -> list[Touchpoint]:
    """The account's touches, newest first."""
    rows = await session.scalars(
        select(Touchpoint)
        .where(col(Touchpoint.account_id) == account_id)
        .order_by(col(Touchpoint.occurred_at).desc(), col(Touchpoint.created_at).desc())
        .limit(limit)
    )
    return list(rows)


async def contact_accounts(session: AsyncSession, contact_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    """The account of each of ``contact_ids`` that is a stored contact (the others are absent).
    One array parameter, however many ids an ingest batch names."""
    if not contact_ids:
        return {}
    ids = bindparam("contact_ids", sorted(set(contact_ids)), type_=ARRAY(Uuid))
    rows = await session.execute(select(col(Contact.id), col(Contact.account_id)).where(col(Contact.id) == any_(ids)))
    return {contact_id: account_id for contact_id, account_id in rows}
