"""SQL of the ``product_feedback`` table."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.feedback.models import ProductFeedback


async def latest(
    session: AsyncSession, open_only: bool, account_id: uuid.UUID | None, limit: int
) -> list[ProductFeedback]:
    """Newest raised first; ``open_only``: not shipped yet."""
    stmt = select(ProductFeedback).order_by(col(ProductFeedback.raised_at).desc()).limit(limit)
    if open_only:
        stmt = stmt.where(col(ProductFeedback.shipped_at).is_(None))
    if account_id:
        stmt = stmt.where(col(ProductFeedback.account_id) == account_id)
    return list((await session.execute(stmt)).scalars())


async def get(session: AsyncSession, feedback_id: uuid.UUID) -> ProductFeedback | None:
    return await session.get(ProductFeedback, feedback_id)


async def add(session: AsyncSession, item: ProductFeedback) -> None:
    session.add(item)
    await session.flush()
