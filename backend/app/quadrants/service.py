"""The Usage-Health quadrant on one date: where every account sits, and the count and ARR per
quadrant (REST and GraphQL read it here)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.enums import Quadrant
from app.quadrants import repository as repo
from app.quadrants.schemas import QuadrantCount, QuadrantCutoffs, QuadrantPoint, QuadrantView
from app.scoring import service as scoring


async def view(session: AsyncSession, as_of: date | None) -> QuadrantView:
    """Every scored account on the date (default: the latest fully scored one) with both axes
    and ARR, and the count and ARR per quadrant."""
    config = await scoring.load_active(session)
    cut = config.body.quadrant
    day = await repo.latest_scored_date(session, as_of)
    rows = await repo.points(session, day) if day else []
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
    )
