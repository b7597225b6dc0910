"""The weekly digest: quadrant movers, renewals at risk in 90 days and the top of the queue,
sent to every channel subscribed to ``digest.weekly`` (Monday 08:00 UTC)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import unit_of_work
from app.core.format import score
from app.notifications import service as notifications
from app.quadrants import repository as quadrants
from app.queue import service as queue
from app.renewals import repository as renewals
from app.renewals.schemas import TERM_RENEWALS
from app.scoring.service import today


async def build(session: AsyncSession) -> dict[str, Any]:
    day = today()
    movers = await quadrants.week_of_moves(session, day)
    at_risk = await renewals.at_risk(session, day, TERM_RENEWALS)
    top = await queue.build(session, None, "risk", 1, 5)
    lines = [
        f"Tempo weekly digest — week ending {day:%b %-d, %Y}",
        f"Quadrant moves: {movers['moves']} ({movers['into_churn_risk']} into Churn Risk, "
        f"{movers['left_champions']} left Champions)",
        f"Renewals at risk in 90 days: {len(at_risk)}",
        *[f"  • {r['name']}: renewal {r['renewal_date']:%b %-d}, health {score(r['health_score'])}" for r in at_risk],
        f"Top of the queue (${top.total_at_stake:,.0f} at stake):",
        *[f"  {i.rank}. {i.account.name}: {i.reason}" for i in top.items],
    ]
    return {
        "week_ending": day.isoformat(),
        "movers": movers,
        "renewals_at_risk": [{**r, "renewal_date": r["renewal_date"].isoformat()} for r in at_risk],
        "queue": [{"rank": i.rank, "account": i.account.name, "reason": i.reason, "value": i.value} for i in top.items],
        "subject": f"Tempo weekly digest — {day - timedelta(days=6):%b %-d} to {day:%b %-d}",
        "text": "\n".join(lines),
    }


async def send_weekly_digest(ctx: dict[str, Any]) -> int:
    async with unit_of_work() as session:
        payload = await build(session)
        return len(await notifications.emit(session, "digest.weekly", payload))
