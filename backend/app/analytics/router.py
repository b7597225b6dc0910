"""Cohort and product analytics (DESIGN §12)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.analytics import service
from app.analytics.schemas import (
    AdoptionBeforeRenewal,
    ChurnDrivers,
    CohortReport,
    ComplaintToFix,
    EngagementChurn,
    FeatureByQuadrant,
    QuadrantChurn,
    Split,
    TimeToValue,
)
from app.auth.dependencies import Reader
from app.core.db import SessionDep

router = APIRouter(prefix="/api/v1/analytics", tags=["analytics"])
Months = Annotated[int, Query(ge=1, le=60)]
Horizon = Annotated[int, Query(ge=7, le=365)]


@router.get("/cohorts", operation_id="getCohorts", response_model=CohortReport)
async def cohorts(principal: Reader, session: SessionDep, split: Split = "none", months: Months = 18) -> CohortReport:
    """Logo and revenue retention by acquisition cohort (month of first ARR) and age in months,
    optionally split by segment, plan, acquisition channel or onboarding."""
    return await service.cohorts(session, split, months)


@router.get("/churn-drivers", operation_id="getChurnDrivers", response_model=ChurnDrivers)
async def churn_drivers(principal: Reader, session: SessionDep, months: Months = 12) -> ChurnDrivers:
    """Churns of the last N months ranked by lost ARR and count, by reason, kind, quadrant
    before the churn, segment and plan."""
    return await service.churn_drivers(session, months)


@router.get("/time-to-value", operation_id="getTimeToValue", response_model=list[TimeToValue])
async def time_to_value(principal: Reader, session: SessionDep) -> list[TimeToValue]:
    """Days from signup to first value (and to onboarding completed), by segment."""
    return await service.time_to_value(session)


@router.get("/engagement-churn", operation_id="getEngagementChurn", response_model=EngagementChurn)
async def engagement_churn(principal: Reader, session: SessionDep, horizon_days: Horizon = 90) -> EngagementChurn:
    """Churn rate by usage tier (low/medium/high usage score) ``horizon_days`` before each outcome."""
    return await service.engagement_churn(session, horizon_days)


@router.get("/quadrant-churn", operation_id="getQuadrantChurn", response_model=QuadrantChurn)
async def quadrant_churn(principal: Reader, session: SessionDep, horizon_days: Horizon = 90) -> QuadrantChurn:
    """Churn rate by quadrant per quarter, with the ratio to Champions."""
    return await service.quadrant_churn(session, horizon_days)


@router.get("/adoption-before-renewal", operation_id="getAdoptionBeforeRenewal", response_model=AdoptionBeforeRenewal)
async def adoption_before_renewal(principal: Reader, session: SessionDep, months: Months = 18) -> AdoptionBeforeRenewal:
    """Share of renewed vs churned accounts using each feature in the 4 weeks that end 30, 60
    and 90 days before their renewal."""
    return await service.adoption_before_renewal(session, months)


@router.get("/features-by-quadrant", operation_id="getFeaturesByQuadrant", response_model=list[FeatureByQuadrant])
async def features_by_quadrant(principal: Reader, session: SessionDep) -> list[FeatureByQuadrant]:
    """Each feature's reach (last 28 days) in every quadrant, Champions vs Frustrated Power
    Users first."""
    return await service.features_by_quadrant(session)


@router.get("/complaint-to-fix", operation_id="getComplaintToFix", response_model=list[ComplaintToFix])
async def complaint_to_fix(principal: Reader, session: SessionDep, months: Months = 12) -> list[ComplaintToFix]:
    """Product issues CS raised: how long from raised to shipped fix, and to the customer's
    confirmation, by product area."""
    return await service.complaint_to_fix(session, months)
