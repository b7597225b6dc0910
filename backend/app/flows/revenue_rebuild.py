"""Revenue, then renewals: after subscription changes (those accounts), nightly and after a
demo load (the whole book), the revenue engine recomputes movements, monthly ARR and the
rollups, then renewals are kept in step with it: each account's next renewal record and
the outcomes of renewals whose churn can no longer be bridged. Renewals read revenue; they
never feed it."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from arq import Retry
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import is_transient, unit_of_work
from app.renewals import service as renewals
from app.revenue import service as revenue

log = logging.getLogger(__name__)


async def rebuild_book(session: AsyncSession) -> int:
    """Movements, monthly ARR and rollups of every account, then renewals; returns movements."""
    written = await revenue.rebuild_all(session)
    added, closed = await renewals.keep_in_step(session)
    log.info(
        "revenue rebuilt: %d movements; renewals: %d added, %d outcomes recorded",
        written,
        added,
        closed,
        extra={"movements": written, "renewals_added": added, "renewal_outcomes": closed},
    )
    return written


async def rebuild_accounts(session: AsyncSession, ids: list[uuid.UUID]) -> int:
    """These accounts' movements and monthly ARR, their next renewals, and a rollup rebuild soon."""
    written = await revenue.rebuild_accounts(session, ids)
    await renewals.sync(session, ids)
    revenue.request_rollups(session)
    return written


async def rebuild_revenue(ctx: dict[str, Any], account_ids: list[str]) -> int:
    """Queued by ingest after subscription lines change; retried with a growing delay when
    the database says a second try can succeed (a deadlock, a dropped connection)."""
    try:
        async with unit_of_work() as session:
            return await rebuild_accounts(session, [uuid.UUID(a) for a in account_ids])
    except Exception as exc:
        if not is_transient(exc):
            raise
        raise Retry(defer=2 * ctx.get("job_try", 1)) from exc


async def rebuild_revenue_daily(ctx: dict[str, Any]) -> int:
    """Nightly, before the daily scoring: a line starting or ending today is a movement only
    once today comes, and monthly renewals roll to their next cycle."""
    async with unit_of_work() as session:
        return await rebuild_book(session)
