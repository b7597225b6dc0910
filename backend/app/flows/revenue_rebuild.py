"""The whole book's revenue rebuilt from its subscription lines (nightly, ``tempo
revenue-rebuild``, after a demo load), then renewals kept in step with it: records for
yearly contracts without one, and outcomes of renewals whose churn can no longer be bridged.
Renewals read movements; they never feed them."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import unit_of_work
from app.renewals import service as renewals
from app.revenue import service as revenue

log = logging.getLogger(__name__)


async def rebuild_book(session: AsyncSession) -> int:
    """Movements, monthly ARR and rollups of every account, then renewals; returns movements."""
    written = await revenue.rebuild_all(session)
    derived, closed = await renewals.keep_in_step(session)
    log.info(
        "revenue rebuilt: %d movements; renewals: %d derived, %d outcomes recorded",
        written,
        derived,
        closed,
        extra={"movements": written, "renewals_derived": derived, "renewal_outcomes": closed},
    )
    return written


async def rebuild_revenue_daily(ctx: dict[str, Any]) -> int:
    """Nightly, before the daily scoring: a line starting or ending today is a movement only
    once today comes."""
    async with unit_of_work() as session:
        return await rebuild_book(session)
