"""Revenue jobs: after subscription changes, those accounts' movements, then the rollups
(debounced). The nightly rebuild of the whole book is ``flows.revenue_rebuild``."""

from __future__ import annotations

import time
import uuid
from typing import Any

from arq import Retry
from sqlalchemy.exc import DBAPIError

from app.core.db import unit_of_work
from app.core.jobs import Job, enqueue
from app.revenue import service

# The rollups take seconds on a large book: at most one rebuild per half minute of changes.
ROLLUP_DEBOUNCE_SECONDS = 30.0


# Errors a second attempt can get past (deadlock, serialization, lock or statement timeout,
# a connection lost mid-way); anything else is a bug and fails the job visibly.
TRANSIENT = ("40P01", "40001", "55P03", "57014", "08000", "08003", "08006")


def _transient(exc: DBAPIError) -> bool:
    return exc.connection_invalidated or getattr(exc.orig, "sqlstate", None) in TRANSIENT


async def rebuild_revenue(ctx: dict[str, Any], account_ids: list[str]) -> int:
    """Movements and monthly ARR of these accounts (queued by ingest after subscription changes);
    retried with a growing delay when the database says a second try can succeed."""
    try:
        async with unit_of_work() as session:
            written = await service.rebuild_accounts(session, [uuid.UUID(a) for a in account_ids])
            window = int(time.time() // ROLLUP_DEBOUNCE_SECONDS)
            enqueue(
                session,
                Job.rebuild_revenue_rollups,
                job_id=f"revenue-rollups:{window}",
                defer_seconds=ROLLUP_DEBOUNCE_SECONDS,
            )
    except DBAPIError as exc:
        if not _transient(exc):
            raise
        raise Retry(defer=2 * ctx.get("job_try", 1)) from exc
    return written


async def rebuild_revenue_rollups(ctx: dict[str, Any]) -> None:
    async with unit_of_work() as session:
        await service.rebuild_rollups(session)
