"""The weekly digest: quadrant movers, renewals at risk in 90 days and the top of the queue,
sent to every channel subscribed to ``digest.weekly`` (Monday 08:00 UTC)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import unit_of_work
from app.notifications import service
from app.queue import service as queue
from app.scoring.service import today

MOVERS = text(
    """
    SELECT count(*) FILTER (WHERE to_quadrant = 'churn_risk') AS into_churn_risk,
           count(*) FILTER (WHERE from_quadrant = 'champions') AS left_champions,
           count(*) AS moves
    FROM quadrant_move WHERE moved_on > CAST(:d AS date) - 7 AND moved_on <= :d
    """
)
RENEWALS_AT_RISK = text(
    """
    SELECT a.name, r.renewal_date, r.arr_up_for_renewal::float8 AS arr, h.health_score
    FROM renewal r JOIN account a ON a.id = r.account_id
    LEFT JOIN account_health h ON h.account_id = a.id
    WHERE r.outcome IS NULL AND r.renewal_date BETWEEN :d AND CAST(:d AS date) + 90 AND h.health_score < 60
    ORDER BY r.arr_up_for_renewal DESC LIMIT 10
    """
)


async def build(session: AsyncSession) -> dict[str, Any]:
    day = today()
    movers = (await session.execute(MOVERS, {"d": day})).mappings().one()
    renewals = [dict(r) for r in (await session.execute(RENEWALS_AT_RISK, {"d": day})).mappings()]
    top = await queue.build(session, None, "risk", 1, 5)
    lines = [
        f"Tempo weekly digest — week ending {day:%b %-d, %Y}",
        f"Quadrant moves: {movers['moves']} ({movers['into_churn_risk']} into Churn Risk, "
        f"{movers['left_champions']} left Champions)",
        f"Renewals at risk in 90 days: {len(renewals)}",
        *[f"  • {r['name']}: renewal {r['renewal_date']:%b %-d}, health {r['health_score']:.0f}" for r in renewals],
        f"Top of the queue (${top.total_at_stake:,.0f} at stake):",
        *[f"  {i.rank}. {i.account.name}: {i.reason}" for i in top.items],
    ]
    return {
        "week_ending": day.isoformat(),
        "movers": dict(movers),
        "renewals_at_risk": [{**r, "renewal_date": r["renewal_date"].isoformat()} for r in renewals],
        "queue": [{"rank": i.rank, "account": i.account.name, "reason": i.reason, "value": i.value} for i in top.items],
        "subject": f"Tempo weekly digest — {day - timedelta(days=6):%b %-d} to {day:%b %-d}",
        "text": "\n".join(lines),
    }


async def send_weekly_digest(ctx: dict[str, Any]) -> int:
    async with unit_of_work() as session:
        payload = await build(session)
        return len(await service.emit(session, "digest.weekly", payload))
