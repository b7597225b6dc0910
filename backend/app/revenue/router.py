"""Leadership metrics (DESIGN §11): retention by period and a summary with 18-month series."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from app.accounts.access import SCOPE_HELP, ScopeName
from app.auth.dependencies import Admin, Lead, Reader
from app.core.db import SessionDep
from app.core.types import QueryDate
from app.flows import board_pack, leadership_overview, metrics_summary
from app.revenue import metrics, service
from app.revenue.schemas import FxRates, FxRatesIn, Interval, Overview, RetentionReport, Summary
from app.scoring import risk
from app.scoring.schemas import RevenueAtRisk

router = APIRouter(prefix="/api/v1/metrics", tags=["metrics"])


@router.get("/retention", operation_id="getRetention", response_model=RetentionReport)
async def retention(
    principal: Reader,
    session: SessionDep,
    from_: Annotated[
        QueryDate | None, Query(alias="from", description="first period (month); default 17 months ago")
    ] = None,
    to: Annotated[QueryDate | None, Query(description="last period (month); default this month")] = None,
    interval: Interval = "month",
    segment: Annotated[str | None, Query(max_length=100)] = None,
    plan: Annotated[str | None, Query(max_length=100)] = None,
    icp_tier: Annotated[str | None, Query(max_length=100)] = None,
) -> RetentionReport:
    """Starting and ending ARR, every movement, NRR, GRR, logo and revenue churn per period.
    For ``ttm`` each period is the twelve months ending with a month in range."""
    return await metrics.retention(session, interval, from_, to, segment, plan, icp_tier)


@router.get("/summary", operation_id="getMetricsSummary", response_model=Summary)
async def summary(principal: Reader, session: SessionDep) -> Summary:
    """ARR, MRR, customers, ARPA, NRR/GRR (TTM), logo and revenue churn, LTV, net new ARR
    from existing customers week and month over week and month, revenue at risk, and 18
    months of series."""
    return await metrics_summary.summary(session)


@router.get("/overview", operation_id="getLeadershipOverview", response_model=Overview)
async def overview(
    principal: Reader,
    session: SessionDep,
    scope: Annotated[ScopeName | None, Query(description=SCOPE_HELP)] = None,
) -> Overview:
    """The leadership first screen over one scope: revenue at risk (split by health band), the
    10 risks that need attention this week, renewals of the next calendar quarter by forecast,
    the expansion pipeline by rule, and NPS and CSAT of the last 90 days against the 90
    before; each figure with its definition."""
    return await leadership_overview.overview(session, principal, scope)


@router.get("/revenue-at-risk", operation_id="getRevenueAtRisk", response_model=RevenueAtRisk)
async def revenue_at_risk(
    principal: Reader,
    session: SessionDep,
    owner_id: uuid.UUID | None = None,
    segment: Annotated[str | None, Query(max_length=100)] = None,
) -> RevenueAtRisk:
    """Σ ARR x churn probability(health) x saveable fraction(days to the next term renewal)
    over the active accounts (of one owner, or one segment), split by band and quadrant:
    the one figure every page that says "at risk" shows."""
    return await risk.revenue_at_risk(session, owner_id, segment)


@router.get(
    "/board-pack.pdf",
    operation_id="getBoardPack",
    response_class=Response,
    responses={
        200: {
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            "description": "The board pack as a PDF (an attachment named tempo-board-pack-YYYY-MM-DD.pdf)",
        }
    },
)
async def get_board_pack(
    principal: Lead,
    session: SessionDep,
    scope: Annotated[ScopeName | None, Query(description=SCOPE_HELP)] = None,
) -> Response:
    """The board pack, a PDF for a board meeting: a dated cover; revenue at risk by health band,
    the accounts that need attention, and renewals next quarter by forecast with the expansion
    pipeline, over the scope; the seven leadership KPIs with 18-month charts; NRR and GRR by
    quarter; and what each figure means."""
    content, name = await board_pack.pdf(session, principal, scope)
    return Response(
        content, media_type="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


fx_router = APIRouter(prefix="/api/v1/fx-rates", tags=["metrics"])


@fx_router.get("", operation_id="listFxRates", response_model=FxRates)
async def list_rates(principal: Reader, session: SessionDep) -> FxRates:
    """Each currency's exchange rate in effect today (units per euro, and its worth in the
    reporting currency): the ECB's reference rates bundled with Tempo, and any added here."""
    return await service.list_rates(session)


@fx_router.post("", operation_id="addFxRates", response_model=FxRates)
async def add_rates(payload: FxRatesIn, principal: Admin, session: SessionDep) -> FxRates:
    """Add or replace rates (units of the currency per euro, from a day on); the revenue
    engine recomputes the book after commit."""
    return await service.add_rates(session, payload, principal.actor)
