"""The Usage-Health quadrant: where every account sits, how that changed, who moved."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from app.accounts.access import SCOPE_HELP, ScopeName, resolve_scope
from app.auth.dependencies import Reader
from app.core.db import SessionDep
from app.core.enums import Quadrant, move_direction
from app.core.errors import BadPayload
from app.core.types import QueryDate
from app.quadrants import repository as repo
from app.quadrants import service
from app.quadrants.schemas import (
    DistributionPoint,
    Mover,
    MoversPage,
    QuadrantChurnRates,
    QuadrantHistory,
    QuadrantView,
    TransitionCount,
    TransitionMatrix,
)
from app.scoring import service as scoring

router = APIRouter(prefix="/api/v1/quadrants", tags=["quadrants"])
ScopeParam = Annotated[ScopeName | None, Query(description=SCOPE_HELP)]


@router.get("", operation_id="getQuadrants", response_model=QuadrantView)
async def view(
    principal: Reader,
    session: SessionDep,
    as_of: Annotated[QueryDate | None, Query(description="Default: the latest fully scored date")] = None,
    scope: ScopeParam = None,
) -> QuadrantView:
    """Every scored account of the scope on the date with both axes and ARR, and the count and
    ARR per quadrant."""
    return await service.view(session, as_of, await resolve_scope(session, principal, scope))


@router.get("/churn", operation_id="getQuadrantChurnRates", response_model=QuadrantChurnRates)
async def churn(principal: Reader, session: SessionDep, scope: ScopeParam = None) -> QuadrantChurnRates:
    """Per quadrant, of the scope's renewals and churns in the last 12 months whose account sat
    in the quadrant 90 days before: how many there were, how many churned, and the rate."""
    return await service.churn(session, await resolve_scope(session, principal, scope))


@router.get("/history", operation_id="getQuadrantHistory", response_model=QuadrantHistory)
async def history(
    principal: Reader,
    session: SessionDep,
    date_from: Annotated[QueryDate | None, Query(alias="from", description="Default: 18 months before `to`")] = None,
    date_to: Annotated[QueryDate | None, Query(alias="to", description="Default: today")] = None,
    interval: Literal["day", "week"] = "week",
    scope: ScopeParam = None,
) -> QuadrantHistory:
    """Count and ARR per quadrant on each scored date (Mondays and the last date for `week`),
    over the scope's accounts (by their owners today)."""
    end = date_to or scoring.today()
    start = date_from or end - timedelta(days=548)
    if start > end:
        raise BadPayload("`from` is after `to`")
    applied = await resolve_scope(session, principal, scope)
    rows = await repo.distribution(session, start, end, interval == "week", applied.params())
    series: dict[date, DistributionPoint] = {}
    for r in rows:
        point = series.setdefault(
            r["as_of"],
            DistributionPoint(as_of=r["as_of"], counts=dict.fromkeys(Quadrant, 0), arr=dict.fromkeys(Quadrant, 0.0)),
        )
        point.counts[Quadrant(r["quadrant"])] = int(r["accounts"])
        point.arr[Quadrant(r["quadrant"])] = float(r["arr"])
    return QuadrantHistory(
        date_from=start, date_to=end, interval=interval, series=list(series.values()), scope=applied.name
    )


@router.get("/moves", operation_id="listQuadrantMoves", response_model=MoversPage)
async def moves(
    principal: Reader,
    session: SessionDep,
    since: Annotated[QueryDate | None, Query(description="Default: 7 days before `until`")] = None,
    until: Annotated[QueryDate | None, Query(description="Default: today")] = None,
    to_quadrant: Quadrant | None = None,
    direction_: Annotated[Literal["worse", "better", "sideways"] | None, Query(alias="direction")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    owner_id: uuid.UUID | None = None,
    scope: ScopeParam = None,
) -> MoversPage:
    """Accounts of the scope (of one owner, with ``owner_id``) that changed quadrant in the
    period, newest first, larger ARR first."""
    end = until or scoring.today()
    start = since or end - timedelta(days=7)
    if start > end:
        raise BadPayload("`since` is after `until`")
    applied = await resolve_scope(session, principal, scope, names_owner=owner_id is not None)
    fetch_all = direction_ is not None
    rows, total = await repo.moves(
        session,
        start,
        end,
        to_quadrant.value if to_quadrant else None,
        100_000 if fetch_all else limit,
        0 if fetch_all else offset,
        owner_id,
        applied.params(),
    )
    items = [
        Mover(
            account_id=r["account_id"],
            name=r["name"],
            arr=float(r["arr"] or 0),
            moved_on=r["moved_on"],
            from_quadrant=r["from_quadrant"],
            to_quadrant=r["to_quadrant"],
            direction=move_direction(
                Quadrant(r["from_quadrant"]) if r["from_quadrant"] else None, Quadrant(r["to_quadrant"])
            ),
            health_score=r["health_score"],
            owner_id=r["owner_id"],
            owner_name=r["owner_name"],
            owner_email=r["owner_email"],
        )
        for r in rows
    ]
    if fetch_all:
        items = [m for m in items if m.direction == direction_]
        total = len(items)
        items = items[offset : offset + limit]
    return MoversPage(since=start, until=end, items=items, total=total, scope=applied.name)


@router.get("/transitions", operation_id="getQuadrantTransitions", response_model=TransitionMatrix)
async def transitions(
    principal: Reader,
    session: SessionDep,
    date_from: Annotated[QueryDate, Query(alias="from")],
    date_to: Annotated[QueryDate | None, Query(alias="to", description="Default: the latest scored date")] = None,
) -> TransitionMatrix:
    """How accounts moved between quadrants from one date to another (each date resolved to the
    latest fully scored date on or before it); None marks accounts new or gone in between."""
    end = date_to or scoring.today()
    if date_from > end:
        raise BadPayload("`from` is after `to`")
    snap_a = await repo.latest_scored_date(session, date_from)
    snap_b = await repo.latest_scored_date(session, end)
    cells = await repo.transitions(session, snap_a, snap_b) if snap_a and snap_b else []
    return TransitionMatrix(
        date_from=date_from,
        date_to=end,
        snapshot_from=snap_a,
        snapshot_to=snap_b,
        cells=[TransitionCount.model_validate(c) for c in cells],
    )
