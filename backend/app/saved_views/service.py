"""Saved views: the built-in ones (seeded once by key), a user's own, and shared ones."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.book import filters
from app.core.errors import Conflict, Forbidden, NotFound
from app.saved_views import repository
from app.saved_views.builtin import BUILTIN_VIEWS, DESCRIPTIONS
from app.saved_views.models import SavedView
from app.saved_views.schemas import SavedViewCreate, SavedViewPublic, SavedViewUpdate, ViewQuery


def public(view: SavedView, user_id: uuid.UUID | None) -> SavedViewPublic:
    return SavedViewPublic(
        id=view.id,
        key=view.key,
        name=view.name,
        description=DESCRIPTIONS.get(view.key or ""),
        query=ViewQuery.model_validate(view.query),
        is_builtin=view.is_builtin,
        shared=view.shared or view.is_builtin,
        owner_id=view.owner_id,
        mine=user_id is not None and view.owner_id == user_id,
    )


async def ensure_builtins(session: AsyncSession) -> None:
    await repository.ensure_builtins(session, BUILTIN_VIEWS)


async def list_views(session: AsyncSession, user_id: uuid.UUID | None) -> list[SavedViewPublic]:
    """Built-ins first (in their fixed order), then the caller's own and shared ones by name."""
    await ensure_builtins(session)
    views = await repository.visible_to(session, user_id)
    order = {v["key"]: n for n, v in enumerate(BUILTIN_VIEWS)}
    views.sort(key=lambda v: (not v.is_builtin, order.get(v.key or "", 0), v.name.lower()))
    return [public(v, user_id) for v in views]


def _check(query: ViewQuery) -> ViewQuery:
    """A view keeps its filter in canonical form; a bad filter is a 422 naming the term."""
    return query.model_copy(update={"filter": filters.parse(query.filter).text})


async def create(
    session: AsyncSession, payload: SavedViewCreate, user_id: uuid.UUID | None, actor: str
) -> SavedViewPublic:
    if user_id is None:
        raise Forbidden("Saved views belong to a signed-in user")
    query = _check(payload.query)
    if await repository.name_taken(session, user_id, payload.name):
        raise Conflict(f"You already have a view named {payload.name!r}")
    view = SavedView(owner_id=user_id, name=payload.name, query=query.model_dump(), shared=payload.shared)
    await repository.add(session, view)
    record(session, actor, "saved_view.create", "saved_view", view.id, {"name": view.name})
    return public(view, user_id)


async def _own(session: AsyncSession, view_id: uuid.UUID, user_id: uuid.UUID | None) -> SavedView:
    view = await repository.get(session, view_id)
    if view is None:
        raise NotFound(f"No saved view {view_id}")
    if view.is_builtin or view.owner_id != user_id:
        raise Forbidden("Only the view's owner changes it; built-in views are fixed (save a copy)")
    return view


async def update(
    session: AsyncSession, view_id: uuid.UUID, payload: SavedViewUpdate, user_id: uuid.UUID | None, actor: str
) -> SavedViewPublic:
    view = await _own(session, view_id, user_id)
    if payload.name is not None and payload.name != view.name:
        assert user_id is not None  # _own: only the owner gets here
        if await repository.name_taken(session, user_id, payload.name):
            raise Conflict(f"You already have a view named {payload.name!r}")
        view.name = payload.name
    if payload.query is not None:
        view.query = _check(payload.query).model_dump()
    if payload.shared is not None:
        view.shared = payload.shared
    await session.flush()
    record(session, actor, "saved_view.update", "saved_view", view.id, {"name": view.name})
    return public(view, user_id)


async def delete(session: AsyncSession, view_id: uuid.UUID, user_id: uuid.UUID | None, actor: str) -> None:
    view = await _own(session, view_id, user_id)
    await repository.delete(session, view)
    record(session, actor, "saved_view.delete", "saved_view", view_id, {"name": view.name})
