"""SQL of the ``touchpoint`` table beyond ingest's writes (ingest is its writer)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.touchpoints.models import Touchpoint


async def by_source_id(session: AsyncSession, source_id: str) -> Touchpoint | None:
    found: Touchpoint | None = await session.scalar(select(Touchpoint).where(col(Touchpoint.source_id) == source_id))
    return found
