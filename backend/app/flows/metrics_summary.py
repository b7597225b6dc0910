"""The leadership summary: revenue's metrics with scoring's one revenue-at-risk figure, as REST
(``GET /api/v1/metrics/summary``) and GraphQL (``revenueSummary``) both answer it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.revenue import metrics
from app.revenue.schemas import Summary
from app.scoring import risk


async def summary(session: AsyncSession) -> Summary:
    out = await metrics.summary(session)
    out.revenue_at_risk = (await risk.revenue_at_risk(session)).revenue_at_risk
    return out
