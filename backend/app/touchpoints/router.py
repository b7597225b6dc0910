"""Logging a touch on an account in Tempo (touches from a CRM come in through ingest), and
reading an account's touches back with the contacts who took part."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Query

from app.auth.dependencies import Reader, Worker
from app.core.db import SessionDep
from app.core.errors import Problem
from app.flows.touch_logged import log_touch
from app.touchpoints import service
from app.touchpoints.schemas import TouchCreate, TouchpointPublic

router = APIRouter(prefix="/api/v1/accounts", tags=["accounts"])
ERRORS: dict[int | str, dict[str, Any]] = {404: {"model": Problem}, 403: {"model": Problem}}


@router.post(
    "/{account_id}/touchpoints",
    operation_id="logTouch",
    response_model=TouchpointPublic,
    status_code=201,
    responses=ERRORS,
)
async def log(account_id: uuid.UUID, payload: TouchCreate, principal: Worker, session: SessionDep) -> TouchpointPublic:
    """Log a call, email, meeting, QBR or note with the account, made by the caller: it counts
    for the relationship score like a touch from the CRM, and the account is rescored."""
    return await log_touch(session, principal, account_id, payload)


@router.get(
    "/{account_id}/touchpoints",
    operation_id="listTouches",
    response_model=list[TouchpointPublic],
    responses={404: {"model": Problem}},
)
async def touches(
    account_id: uuid.UUID,
    principal: Reader,
    session: SessionDep,
    limit: int = Query(default=50, ge=1, le=200, description="How many, newest first"),
) -> list[TouchpointPublic]:
    """The account's calls, emails, meetings, QBRs and notes, newest first: logged in Tempo or
    sent by a CRM, each with the contacts who took part."""
    return await service.recent(session, principal, account_id, limit)
