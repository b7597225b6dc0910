"""The Usage-Health quadrant on one date: where every account sits, and the count and ARR per
quadrant (REST and GraphQL read it here); and how often accounts churned after sitting in
each quadrant, with the sample behind each rate."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.access import EVERY_ACCOUNT, ListScope
from app.core.enums import Quadrant
from app.quadrants import repository as repo
from app.quadrants.schemas import (
    QuadrantChurnRate,
    QuadrantChurnRates,
    QuadrantCount,
    QuadrantCutoffs,
    QuadrantPoint,
    QuadrantView,
)
from app.scoring import service as scoring
from app.scoring import validation

# The churn rates of the quadrant cards: outcomes (renewals and churns) of the last 12 months,
# each read against the quadrant its account sat in 90 days before (as the backtest reads them).
CHURN_HORIZON_DAYS = 90
CHURN_WINDOW_DAYS = 365


async def view(session: AsyncSession, as_of: date | None, scope: ListScope = EVERY_ACCOUNT) -> QuadrantView:
    """Every scored account of the scope on the date (default: the latest fully scored one)
    with both axes and ARR, and the count and ARR per quadrant."""
    config = await scoring.load_active(session)
    cut = config.body.quadrant
    day = await repo.latest_scored_date(session, as_of)
    rows = await repo.points(session, day, scope.params()) if day else []
    placed = [r for r in rows if r["quadrant"] is not None]
    summary = [
        QuadrantCount(
            quadrant=q,
            accounts=sum(1 for r in placed if r["quadrant"] == q.value),
            arr=float(sum(r["arr"] for r in placed if r["quadrant"] == q.value)),
        )
        for q in Quadrant
    ]
    return QuadrantView(
        as_of=day,
        cutoffs=QuadrantCutoffs(usage=cut.usage_cutoff, health=cut.health_cutoff, hysteresis=cut.hysteresis),
        summary=summary,
        unplaced=len(rows) - len(placed),
        points=[QuadrantPoint.model_validate(r) for r in placed],
        scope=scope.name,
    )


async def churn(session: AsyncSession, scope: ListScope = EVERY_ACCOUNT) -> QuadrantChurnRates:
    """Per quadrant: of the outcomes in the last ``CHURN_WINDOW_DAYS`` of the scope's accounts
    whose account sat in the quadrant ``CHURN_HORIZON_DAYS`` before, how many churned."""
    until = scoring.today()
    since = until - timedelta(days=CHURN_WINDOW_DAYS)
    rows = [
        r
        for r in await validation.outcome_rows(session, CHURN_HORIZON_DAYS)
        if r["quadrant"] is not None and since < r["event_date"] <= until
    ]
    if scope.condition() is not None:
        ids = await repo.account_ids(session, scope.params())
        rows = [r for r in rows if r["account_id"] in ids]
    rates = []
    for q in Quadrant:
        mine = [r for r in rows if r["quadrant"] == q.value]
        churned = sum(1 for r in mine if r["churned"])
        rates.append(
            QuadrantChurnRate(
                quadrant=q, outcomes=len(mine), churned=churned, churn_rate=churned / len(mine) if mine else None
            )
        )
    return QuadrantChurnRates(
        since=since, until=until, horizon_days=CHURN_HORIZON_DAYS, quadrants=rates, scope=scope.name
    )
