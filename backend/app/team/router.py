"""The team view (``GET /api/v1/team``) and reassigning accounts (``POST
/api/v1/accounts/reassign``): for leaders and admins."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from app.auth.dependencies import Lead
from app.core.db import SessionDep
from app.core.errors import Problem
from app.team import service
from app.team.schemas import ReassignIn, ReassignResult, TeamScope, TeamView

router = APIRouter(prefix="/api/v1/team", tags=["team"])
accounts_router = APIRouter(prefix="/api/v1/accounts", tags=["accounts"])
ERRORS: dict[int | str, dict[str, Any]] = {403: {"model": Problem}, 422: {"model": Problem}}


@router.get("", operation_id="getTeam", response_model=TeamView, responses=ERRORS)
async def team(
    principal: Lead,
    session: SessionDep,
    scope: Annotated[
        TeamScope | None,
        Query(
            description="team: the people reporting to me (or sharing my lead); all: everyone. "
            "Default: team for leaders with reports, else all"
        ),
    ] = None,
) -> TeamView:
    """Coverage per CSM: accounts, ARR, revenue at risk, share of accounts touched in 30 days,
    overdue tasks, active alerts and queue items, with the change over 30 days; a row for the
    accounts nobody owns, the totals, and what each column counts."""
    return await service.team_view(session, principal, scope)


@accounts_router.post("/reassign", operation_id="reassignAccounts", response_model=ReassignResult, responses=ERRORS)
async def reassign(payload: ReassignIn, principal: Lead, session: SessionDep) -> ReassignResult:
    """Move accounts (1 to 500) to another owner, an active CSM, leader or admin; each move is
    audited. Ids of no account come back in ``missing``; accounts the owner had already in
    ``unchanged``."""
    return await service.reassign(session, principal, payload)
