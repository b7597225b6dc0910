"""Saved views on the book: built-in, own and shared."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from app.accounts.access import SCOPE_HELP, ScopeName
from app.auth.dependencies import Reader
from app.core.db import SessionDep
from app.core.errors import Problem
from app.saved_views import service
from app.saved_views.schemas import SavedViewCreate, SavedViewPublic, SavedViewUpdate

router = APIRouter(prefix="/api/v1/views", tags=["views"])
ERRORS: dict[int | str, dict[str, Any]] = {403: {"model": Problem}, 404: {"model": Problem}, 409: {"model": Problem}}


@router.get("", operation_id="listViews", response_model=list[SavedViewPublic])
async def list_views(
    principal: Reader,
    session: SessionDep,
    scope: Annotated[ScopeName | None, Query(description=SCOPE_HELP)] = None,
) -> list[SavedViewPublic]:
    """The built-in views first, then your own and the ones others shared. Each says whose
    accounts to open it over (``scope``): the scope asked for, else your default, or all when
    the view's filter names an owner itself."""
    return await service.list_views(session, principal, scope)


@router.post("", operation_id="createView", response_model=SavedViewPublic, status_code=201, responses=ERRORS)
async def create_view(payload: SavedViewCreate, principal: Reader, session: SessionDep) -> SavedViewPublic:
    return await service.create(session, payload, principal)


@router.patch("/{view_id}", operation_id="updateView", response_model=SavedViewPublic, responses=ERRORS)
async def update_view(
    view_id: uuid.UUID, payload: SavedViewUpdate, principal: Reader, session: SessionDep
) -> SavedViewPublic:
    return await service.update(session, view_id, payload, principal)


@router.delete("/{view_id}", operation_id="deleteView", status_code=204, responses=ERRORS)
async def delete_view(view_id: uuid.UUID, principal: Reader, session: SessionDep) -> Response:
    await service.delete(session, view_id, principal.user_id, principal.actor)
    return Response(status_code=204)
