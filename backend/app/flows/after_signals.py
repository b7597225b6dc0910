"""After signals arrive: fold the ingest log (source freshness, and rescore requests for the
accounts it touched), rescore those accounts, and react to their new scores (alerts, plays,
notifications: ``scoring_pass``).

Ingest appends to its log in the request; the debounced ``rescore_pending`` job takes it
from there, urgent signals (tickets, surveys, touches, billing) before usage.
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

from arq import Retry
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import is_transient, unit_of_work
from app.core.jobs import Job, enqueue
from app.flows import scoring_pass
from app.ingest import repository as ingest
from app.scoring import repository as scoring_repo
from app.scoring import service as scoring

RESCORE_SLICE_SECONDS = 5.0
log = logging.getLogger(__name__)


async def fold_ingest_log(session: AsyncSession, limit: int = 2000) -> int:
    """Fold logged ingest calls into freshness and rescore requests; returns calls folded."""
    folded = await ingest.fold_log(session, limit)
    await scoring_repo.request_rescores(session, folded.touched)
    return folded.calls


async def rescore_pending(ctx: dict[str, Any]) -> int:
    """Rescore accounts touched by new signals (debounced: one job per half-second window),
    urgent signals before usage; retried with a growing delay when the database says a second
    try can succeed (a deadlock with a scoring run, a dropped connection): the requests of a
    failed batch were rolled back with it, so the retry finds them again.

    Each batch first folds the ingest log (in its own short transaction: folding updates the
    sources' freshness rows, which concurrent jobs must not wait on for a whole batch), so a
    signal that arrived while a long backlog is being worked is taken at the next batch, by
    whichever job is running. A job works for at most ``RESCORE_SLICE_SECONDS`` and hands the
    rest to a follow-up job, so a steady stream of usage never holds the worker's job slots
    (deliveries share them).
    """
    try:
        return await _rescore_pending()
    except Exception as exc:
        if not is_transient(exc):
            raise
        raise Retry(defer=2 * ctx.get("job_try", 1)) from exc


async def _rescore_pending() -> int:
    total = 0
    started = time.monotonic()
    while True:
        async with unit_of_work() as session:
            await fold_ingest_log(session)
        async with unit_of_work() as session:
            # small batches: an urgent request waits for at most one batch in progress
            requests = await scoring.take_rescore_requests(session, limit=50)
            if not requests:
                if total:
                    log.info("rescored %d accounts after signals", total, extra={"accounts": total})
                return total
            await scoring_pass.rescore(session, requests)
            total += len(requests)
            if time.monotonic() - started > RESCORE_SLICE_SECONDS:
                enqueue(session, Job.rescore_pending, job_id=f"rescore-pending:more:{uuid.uuid4()}")
                log.info("rescored %d accounts; the rest goes to a follow-up job", total, extra={"accounts": total})
                return total
