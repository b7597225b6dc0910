"""Saved views: the built-in ones (seeded once by key), a user's own, and shared ones."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import access
from app.audit.service import record
from app.auth.service import Principal
from app.book import filters
from app.core.errors import Conflict, Forbidden, NotFound
from app.saved_views import repository
from app.saved_views.builtin import BUILTIN_VIEWS, DESCRIPTIONS
from app.saved_views.models import SavedView
from app.saved_views.schemas import SavedViewCreate, SavedViewPublic, SavedViewUpdate, ViewQuery


@dataclass(frozen=True)
class Opening:
    """The scopes views open with for a caller: ``usual``, unless the view's filter names an
    owner (``owner=...``): then ``named`` (all, within what the caller reads)."""

    usual: access.ScopeName = "all"
    named: access.ScopeName = "all"

    def of(self, view: SavedView) -> access.ScopeName:
        return self.named if _names_owner(str(view.query.get("filter") or "")) else self.usual


def _names_owner(filter_text: str) -> bool:
    try:
        return any(t.field == "owner" for t in filters.parse(filter_text).terms)
    except filters.InvalidFilter:  # a filter the language no longer takes: the book will say so
        return False


async def opening(session: AsyncSession, principal: Principal, requested: access.ScopeName | None) -> Opening:
    """How the caller's views open: over ``requested`` (None: the caller's default scope)."""
    usual = await access.resolve_scope(session, principal, requested)
    named = await access.resolve_scope(session, principal, None, names_owner=True)
    return Opening(usual=usual.name, named=named.name)


def public(view: SavedView, user_id: uuid.UUID | None, scopes: Opening = Opening()) -> SavedViewPublic:
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
        scope=scopes.of(view),
    )


async def ensure_builtins(session: AsyncSession) -> None:
    await repository.ensure_builtins(session, BUILTIN_VIEWS)


async def list_views(
    session: AsyncSession, principal: Principal, scope: access.ScopeName | None = None
) -> list[SavedViewPublic]:
    """Built-ins first (in their fixed order), then the caller's own and shared ones by name;
    each with the scope it opens with for the caller (``Opening``)."""
    await ensure_builtins(session)
    user_id = principal.user_id
    views = await repository.visible_to(session, user_id)
    order = {v["key"]: n for n, v in enumerate(BUILTIN_VIEWS)}
    views.sort(key=lambda v: (not v.is_builtin, order.get(v.key or "", len(order)), v.name.lower()))
    scopes = await opening(session, principal, scope)
    return [public(v, user_id, scopes) for v in views]


def _check(query: ViewQuery) -> ViewQuery:
    """A view keeps its filter in canonical form; a bad filter is a 422 naming the term."""
    return query.model_copy(update={"filter": filters.parse(query.filter).text})


async def create(session: AsyncSession, payload: SavedViewCreate, principal: Principal) -> SavedViewPublic:
    user_id, actor = principal.user_id, principal.actor
    if user_id is None:
        raise Forbidden("Saved views belong to a signed-in user")
    query = _check(payload.query)
    if await repository.name_taken(session, user_id, payload.name):
        raise Conflict(f"You already have a view named {payload.name!r}")
    view = SavedView(owner_id=user_id, name=payload.name, query=query.model_dump(), shared=payload.shared)
    await repository.add(session, view)
    record(session, actor, "saved_view.create", "saved_view", view.id, {"name": view.name})
    return public(view, user_id, await opening(session, principal, None))


async def _own(session: AsyncSession, view_id: uuid.UUID, user_id: uuid.UUID | None) -> SavedView:
    view = await repository.get(session, view_id)
    if view is None:
        raise NotFound(f"No saved view {view_id}")
    if view.is_builtin or view.owner_id != user_id:
        raise Forbidden("Only the view's owner changes it; built-in views are fixed (save a copy)")
    return view


async def update(
    session: AsyncSession, view_id: uuid.UUID, payload: SavedViewUpdate, principal: Principal
) -> SavedViewPublic:
    user_id, actor = principal.user_id, principal.actor
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
    return public(view, user_id, await opening(session, principal, None))


async def delete(session: AsyncSession, view_id: uuid.UUID, user_id: uuid.UUID | None, actor: str) -> None:
    view = await _own(session, view_id, user_id)
    await repository.delete(session, view)
    record(session, actor, "saved_view.delete", "saved_view", view_id, {"name": view.name})
