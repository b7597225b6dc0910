"""SQL of the ``saved_view`` table."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.saved_views.models import SavedView


async def ensure_builtins(session: AsyncSession, builtins: Iterable[dict[str, Any]]) -> None:
    """Insert the built-in views missing by key."""
    await session.execute(
        insert(SavedView)
        .values([{"key": v["key"], "name": v["name"], "query": v["query"], "is_builtin": True} for v in builtins])
        .on_conflict_do_nothing(index_elements=["key"])
    )


async def visible_to(session: AsyncSession, user_id: uuid.UUID | None) -> list[SavedView]:
    """Built-in, shared, and the user's own views, by name."""
    rows = await session.execute(
        select(SavedView)
        .where(or_(col(SavedView.is_builtin), col(SavedView.shared), col(SavedView.owner_id) == user_id))
        .order_by(col(SavedView.name))
    )
    return list(rows.scalars())


async def name_taken(session: AsyncSession, owner_id: uuid.UUID, name: str) -> bool:
    found = await session.scalar(
        select(col(SavedView.id)).where(col(SavedView.owner_id) == owner_id, col(SavedView.name) == name)
    )
    return found is not None


async def get(session: AsyncSession, view_id: uuid.UUID) -> SavedView | None:
    return await session.get(SavedView, view_id)


async def add(session: AsyncSession, view: SavedView) -> None:
    session.add(view)
    await session.flush()


async def delete(session: AsyncSession, view: SavedView) -> None:
    await session.delete(view)
