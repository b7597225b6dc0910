"""Revenue jobs: after subscription changes (those accounts, then the rollups, debounced)
and daily (the whole book: a line ending today is a movement only once today comes)."""

from __future__ import annotations

import time
import uuid
from typing import Any

from app.core.db import unit_of_work
from app.jobs import service as jobs
from app.revenue import service

# The rollups take seconds on a large book: at most one rebuild per half minute of changes.
ROLLUP_DEBOUNCE_SECONDS = 30.0


def enqueue_rebuild(session: Any, account_ids: list[uuid.UUID]) -> None:
    """Queue (after commit) the rebuild of these accounts' revenue."""
    if account_ids:
        jobs.enqueue(session, "rebuild_revenue", [str(a) for a in account_ids], job_id=f"revenue:{uuid.uuid4()}")


async def rebuild_revenue(ctx: dict[str, Any], account_ids: list[str]) -> int:
    async with unit_of_work() as session:
        written = await service.rebuild_accounts(session, [uuid.UUID(a) for a in account_ids])
        window = int(time.time() // ROLLUP_DEBOUNCE_SECONDS)
        jobs.enqueue(
            session,
            "rebuild_revenue_rollups",
            job_id=f"revenue-rollups:{window}",
            defer_seconds=ROLLUP_DEBOUNCE_SECONDS,
        )
    return written


async def rebuild_revenue_rollups(ctx: dict[str, Any]) -> None:
    async with unit_of_work() as session:
        await service.rebuild_rollups(session)


async def rebuild_revenue_daily(ctx: dict[str, Any]) -> int:
    async with unit_of_work() as session:
        return await service.rebuild_all(session)
