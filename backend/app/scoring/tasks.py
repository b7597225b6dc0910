"""Scoring jobs: the daily run (cron), run workers, incremental rescoring of accounts touched
by signals (debounced after ingest), resuming abandoned runs and thinning old snapshots."""

from __future__ import annotations

import time
import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy import text

from app.core.db import unit_of_work
from app.jobs import service as jobs
from app.scoring import runs, service


async def run_daily_scoring(ctx: dict[str, Any], as_of: str | None = None) -> dict[str, Any]:
    """Score every account as of ``as_of`` (default: today, UTC). Safe to run twice."""
    day = date.fromisoformat(as_of) if as_of else service.today()
    async with unit_of_work() as session:
        run = await runs.daily_run(session, day, requested_by="cron")
        run_id = run.id
    await runs.work_run(run_id)
    async with unit_of_work() as session:
        run = await runs.get_run(session, run_id)
        return {"run_id": str(run_id), "as_of": day.isoformat(), "status": run.status}


async def score_run(ctx: dict[str, Any], run_id: str) -> int:
    """Work shards of a run until none is left (several of these may run at once)."""
    return await runs.work_run(uuid.UUID(run_id))


async def resume_scoring_runs(ctx: dict[str, Any]) -> int:
    async with unit_of_work() as session:
        return await runs.resume_runs(session)


RESCORE_SLICE_SECONDS = 5.0


async def rescore_pending(ctx: dict[str, Any]) -> int:
    """Rescore accounts touched by new signals (debounced: one job per half-second window),
    urgent signals (tickets, surveys, touches, billing) before usage.

    Each batch first folds the ingest log (in its own short transaction: folding updates the
    sources' freshness rows, which concurrent jobs must not wait on for a whole batch), so a
    signal that arrived while a long backlog is being worked is taken at the next batch, by
    whichever job is running. A job works for
    at most ``RESCORE_SLICE_SECONDS`` and hands the rest to a follow-up job, so a steady
    stream of usage never holds the worker's job slots (deliveries share them).
    """
    from app.ingest.repository import fold_log

    total = 0
    started = time.monotonic()
    while True:
        async with unit_of_work() as session:
            await fold_log(session)
        async with unit_of_work() as session:
            # small batches: an urgent request waits for at most one batch in progress
            requests = await service.take_rescore_requests(session, limit=50)
            if not requests:
                return total
            await service.rescore(session, requests)
            total += len(requests)
            if time.monotonic() - started > RESCORE_SLICE_SECONDS:
                jobs.enqueue(session, "rescore_pending", job_id=f"rescore-pending:more:{uuid.uuid4()}")
                return total


async def thin_snapshots(ctx: dict[str, Any]) -> int:
    """Keep daily snapshots for the daily window and Mondays before it (what history shows)."""
    cutoff = service.today() - timedelta(days=service.DAILY_WINDOW_DAYS)
    async with unit_of_work() as session:
        result = await session.execute(
            text("DELETE FROM health_snapshot WHERE as_of < :cutoff AND extract(isodow FROM as_of) <> 1"),
            {"cutoff": cutoff},
        )
        return int(getattr(result, "rowcount", 0) or 0)


async def refit_churn_calibration(ctx: dict[str, Any]) -> bool:
    """Refit churn probability on the book's outcomes (daily, after the night's scoring)."""
    from app.scoring import calibration

    async with unit_of_work() as session:
        return await calibration.refit(session) is not None
