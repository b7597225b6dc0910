"""``GET /api/v1/audit``: who changed what, newest first, filtered and paged; and the values its
filters choose from.

Admins only. The app mounts this router behind ``app.auth.dependencies.ADMIN_ONLY``: auth records
its own writes here, so this package sits below auth and cannot import its dependencies.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.audit import service
from app.audit.schemas import AuditFacets, AuditPage
from app.core.db import SessionDep
from app.core.errors import Problem
from app.core.types import SignalDateTime

router = APIRouter(prefix="/api/v1/audit", tags=["admin"])


@router.get(
    "",
    operation_id="listAuditEntries",
    response_model=AuditPage,
    responses={401: {"model": Problem}, 403: {"model": Problem}, 422: {"model": Problem}},
)
async def list_entries(
    session: SessionDep,
    actor: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=320,
            description="An actor as stored (user:<id>, api_key:<id>, system, cli) or a user's email",
        ),
    ] = None,
    entity: Annotated[
        str | None, Query(min_length=1, max_length=100, description="e.g. user, api_key, feature")
    ] = None,
    entity_id: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    action: Annotated[
        str | None, Query(min_length=1, max_length=100, description="Actions starting with this: 'ingest.', 'user.'")
    ] = None,
    since: Annotated[
        SignalDateTime | None, Query(description="From this time on (inclusive; UTC without a zone)")
    ] = None,
    until: Annotated[
        SignalDateTime | None, Query(description="Before this time (exclusive; UTC without a zone)")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    cursor: Annotated[str | None, Query(max_length=200, description="The next_cursor of the previous page")] = None,
) -> AuditPage:
    """Who changed what: every write of people, keys, scripts and Tempo itself, newest first,
    ``limit`` at a time (follow ``next_cursor`` for more)."""
    return await service.entries(
        session,
        actor=actor,
        entity=entity,
        entity_id=entity_id,
        action=action,
        since=since,
        until=until,
        limit=limit,
        cursor=cursor,
    )


@router.get(
    "/facets",
    operation_id="getAuditFacets",
    response_model=AuditFacets,
    responses={401: {"model": Problem}, 403: {"model": Problem}},
)
async def facets(session: SessionDep) -> AuditFacets:
    """The entities and actions the log holds, for its filters."""
    return await service.facets(session)
