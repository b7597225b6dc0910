"""Revenue jobs: after subscription changes, those accounts' movements, then the rollups
(debounced). The nightly rebuild of the whole book is ``flows.revenue_rebuild``."""

from __future__ import annotations

import time
import uuid
from typing import Any

from app.core.db import unit_of_work
from app.core.jobs import Job, enqueue
from app.revenue import service

# The rollups take seconds on a large book: at most one rebuild per half minute of changes.
ROLLUP_DEBOUNCE_SECONDS = 30.0


async def rebuild_revenue(ctx: dict[str, Any], account_ids: list[str]) -> int:
    """Movements and monthly ARR of these accounts (queued by ingest after subscription changes)."""
    async with unit_of_work() as session:
        written = await service.rebuild_accounts(session, [uuid.UUID(a) for a in account_ids])
        window = int(time.time() // ROLLUP_DEBOUNCE_SECONDS)
        enqueue(
            session,
            Job.rebuild_revenue_rollups,
            job_id=f"revenue-rollups:{window}",
            defer_seconds=ROLLUP_DEBOUNCE_SECONDS,
        )
    return written


async def rebuild_revenue_rollups(ctx: dict[str, Any]) -> None:
    async with unit_of_work() as session:
        await service.rebuild_rollups(session)
