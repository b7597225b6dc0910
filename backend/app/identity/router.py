"""Aliases on an account, the unmatched-records list, and linking a record to its account."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.auth.dependencies import Admin, Reader
from app.core.db import SessionDep
from app.core.enums import Kind
from app.core.errors import Problem
from app.flows import after_alias_added
from app.identity import service
from app.identity.schemas import AliasCreate, AliasCreated, AliasPublic, LinkRequest, UnmatchedPage, UnmatchedStatus

# Tagged per route: a router-wide tag would be added to the unmatched list's "ingest" tag.
router = APIRouter(prefix="/api/v1")
_ERRORS: dict[int | str, dict[str, object]] = {404: {"model": Problem}, 409: {"model": Problem}}


@router.get(
    "/accounts/{account_id}/aliases",
    operation_id="listAliases",
    response_model=list[AliasPublic],
    tags=["identity"],
    responses={404: {"model": Problem}},
)
async def list_aliases(account_id: uuid.UUID, principal: Reader, session: SessionDep) -> list[AliasPublic]:
    return [AliasPublic.model_validate(a) for a in await service.aliases_of(session, account_id)]


@router.post(
    "/accounts/{account_id}/aliases",
    operation_id="createAlias",
    tags=["identity"],
    response_model=AliasCreated,
    status_code=201,
    responses=_ERRORS,
)
async def create_alias(account_id: uuid.UUID, body: AliasCreate, principal: Admin, session: SessionDep) -> AliasCreated:
    alias, replayed = await after_alias_added.add_alias(session, account_id, body.source, body.key, principal.actor)
    return AliasCreated(
        alias=AliasPublic.model_validate(alias), replayed=replayed.replayed, rejected=replayed.replay_rejected
    )


@router.delete(
    "/accounts/{account_id}/aliases/{alias_id}",
    operation_id="deleteAlias",
    tags=["identity"],
    status_code=204,
    responses={404: {"model": Problem}},
)
async def delete_alias(account_id: uuid.UUID, alias_id: uuid.UUID, principal: Admin, session: SessionDep) -> Response:
    await service.remove_alias(session, account_id, alias_id, principal.actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# Published under "ingest" before identity owned unmatched records; the API document keeps it there.
@router.get("/unmatched", operation_id="listUnmatched", response_model=UnmatchedPage, tags=["ingest"])
async def list_unmatched(
    principal: Reader,
    session: SessionDep,
    kind: Kind | None = None,
    status: Annotated[
        list[UnmatchedStatus] | None,
        Query(description="Repeat for several; default pending (rejected: found its account, could not be stored)"),
    ] = None,
    source: Annotated[str | None, Query(max_length=100)] = None,
    include_resolved: Annotated[bool, Query(description="Every status (same as listing all three)")] = False,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
) -> UnmatchedPage:
    statuses = list(UnmatchedStatus) if include_resolved else (status or [UnmatchedStatus.pending])
    return await service.unmatched_page(session, kind, statuses, source, page, page_size)


@router.post(
    "/unmatched/{record_id}/link",
    operation_id="linkUnmatched",
    response_model=AliasCreated,
    responses=_ERRORS,
    tags=["identity"],
)
async def link_unmatched(
    record_id: uuid.UUID, body: LinkRequest, principal: Admin, session: SessionDep
) -> AliasCreated:
    alias, replayed = await after_alias_added.link_unmatched(session, record_id, body.account_id, principal.actor)
    return AliasCreated(
        alias=AliasPublic.model_validate(alias), replayed=replayed.replayed, rejected=replayed.replay_rejected
    )
