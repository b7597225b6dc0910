"""Leadership metrics (DESIGN §11): retention by period and a summary with 18-month series."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from app.auth.dependencies import Admin, Reader
from app.core.db import SessionDep
from app.core.types import QueryDate
from app.flows import metrics_summary
from app.revenue import metrics, service
from app.revenue.schemas import FxRates, FxRatesIn, Interval, RetentionReport, Summary
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
