"""Scoring jobs: the daily run (cron), run workers, resuming abandoned runs, thinning old
snapshots and refitting churn probability. Runs score through ``flows.scoring_pass``, so
today's scores are followed by alerts, plays and notifications. (Rescoring after signals is
``flows.after_signals.rescore_pending``.)"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from app.core.db import unit_of_work
from app.flows import scoring_pass
from app.scoring import calibration, repository, runs, service


async def run_daily_scoring(ctx: dict[str, Any], as_of: str | None = None) -> dict[str, Any]:
    """Score every account as of ``as_of`` (default: today, UTC). Safe to run twice."""
    day = date.fromisoformat(as_of) if as_of else service.today()
    async with unit_of_work() as session:
        run = await runs.daily_run(session, day, requested_by="cron")
        run_id = run.id
    await scoring_pass.work_run(run_id)
    async with unit_of_work() as session:
        run = await runs.get_run(session, run_id)
        return {"run_id": str(run_id), "as_of": day.isoformat(), "status": run.status}


async def score_run(ctx: dict[str, Any], run_id: str) -> int:
    """Work shards of a run until none is left (several of these may run at once)."""
    return await scoring_pass.work_run(uuid.UUID(run_id))


async def resume_scoring_runs(ctx: dict[str, Any]) -> int:
    async with unit_of_work() as session:
        return await runs.resume_runs(session)


async def thin_snapshots(ctx: dict[str, Any]) -> int:
    """Keep daily snapshots for the daily window and Mondays before it (what history shows)."""
    cutoff = service.today() - timedelta(days=service.DAILY_WINDOW_DAYS)
    async with unit_of_work() as session:
        return await repository.thin_snapshots(session, cutoff)


async def refit_churn_calibration(ctx: dict[str, Any]) -> bool:
    """Refit churn probability on the book's outcomes (daily, after the night's scoring)."""
    async with unit_of_work() as session:
        return await calibration.refit(session) is not None
