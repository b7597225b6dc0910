"""Aliases on an account, and linking an unmatched record to the account it belongs to."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from app.auth.dependencies import Admin, Reader
from app.core.db import SessionDep
from app.core.errors import Problem
from app.flows import after_alias_added
from app.identity import service
from app.identity.schemas import AliasCreate, AliasCreated, AliasPublic, LinkRequest

router = APIRouter(prefix="/api/v1", tags=["identity"])
_ERRORS: dict[int | str, dict[str, object]] = {404: {"model": Problem}, 409: {"model": Problem}}


@router.get("/accounts/{account_id}/aliases", operation_id="aliases:list", response_model=list[AliasPublic])
async def list_aliases(account_id: uuid.UUID, principal: Reader, session: SessionDep) -> list[AliasPublic]:
    return [AliasPublic.model_validate(a) for a in await service.aliases_of(session, account_id)]


@router.post(
    "/accounts/{account_id}/aliases",
    operation_id="aliases:create",
    response_model=AliasCreated,
    status_code=201,
    responses=_ERRORS,
)
async def create_alias(account_id: uuid.UUID, body: AliasCreate, principal: Admin, session: SessionDep) -> AliasCreated:
    alias, replayed = await after_alias_added.add_alias(session, account_id, body.source, body.key, principal.actor)
    return AliasCreated(alias=AliasPublic.model_validate(alias), replayed=replayed)


@router.delete(
    "/accounts/{account_id}/aliases/{alias_id}",
    operation_id="aliases:delete",
    status_code=204,
    responses={404: {"model": Problem}},
)
async def delete_alias(account_id: uuid.UUID, alias_id: uuid.UUID, principal: Admin, session: SessionDep) -> Response:
    await service.remove_alias(session, account_id, alias_id, principal.actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/unmatched/{record_id}/link", operation_id="unmatched:link", response_model=AliasCreated, responses=_ERRORS
)
async def link_unmatched(
    record_id: uuid.UUID, body: LinkRequest, principal: Admin, session: SessionDep
) -> AliasCreated:
    alias, replayed = await after_alias_added.link_unmatched(session, record_id, body.account_id, principal.actor)
    return AliasCreated(alias=AliasPublic.model_validate(alias), replayed=replayed)
