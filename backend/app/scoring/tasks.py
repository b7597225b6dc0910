"""Scoring jobs. The daily entry point is wired to cron; incremental rescoring drains the
rescore requests that ingest writes. The scoring engine itself (components, snapshots,
quadrants) plugs into ``service.rescore`` in the scoring release.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from app.core.db import unit_of_work
from app.scoring import service


async def run_daily_scoring(ctx: dict[str, Any], as_of: str | None = None) -> dict[str, Any]:
    """Score every account as of ``as_of`` (default: today, UTC). Safe to run twice."""
    day = date.fromisoformat(as_of) if as_of else service.today()
    async with unit_of_work() as session:
        run = await service.daily_run(session, day, requested_by="cron")
    return {"run_id": str(run.id), "as_of": day.isoformat(), "status": run.status}


async def rescore_pending(ctx: dict[str, Any]) -> int:
    """Rescore accounts touched by new signals (debounced: one job per 2-second window)."""
    from app.ingest.repository import fold_log

    async with unit_of_work() as session:
        await fold_log(session)
    async with unit_of_work() as session:
        requests = await service.take_rescore_requests(session)
        return await service.rescore(session, requests)
