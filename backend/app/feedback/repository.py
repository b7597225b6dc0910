"""SQL of the ``product_feedback`` table."""

from __future__ import annotations

import uuid

from sqlalchemy import select, text
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


async def missing_references(
    session: AsyncSession, account_id: uuid.UUID | None, ticket_id: uuid.UUID | None
) -> list[str]:
    """Which of the given account and ticket do not exist ("account_id", "ticket_id")."""
    row = (
        await session.execute(
            text(
                "SELECT (CAST(:a AS uuid) IS NULL OR EXISTS (SELECT 1 FROM account WHERE id = :a)) AS account, "
                "(CAST(:t AS uuid) IS NULL OR EXISTS (SELECT 1 FROM ticket WHERE id = :t)) AS ticket"
            ),
            {"a": account_id, "t": ticket_id},
        )
    ).one()
    return [name for name, found in (("account_id", row.account), ("ticket_id", row.ticket)) if not found]


async def add(session: AsyncSession, item: ProductFeedback) -> None:
    session.add(item)
    await session.flush()
