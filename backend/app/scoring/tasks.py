"""Scoring jobs. The daily entry point is wired to cron; the scoring engine itself
(components, snapshots, quadrants) is built on top of ``record_run`` in the scoring issue.
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


async def rescore_accounts(ctx: dict[str, Any], account_ids: list[str], since: str | None = None) -> int:
    """Incremental rescoring of accounts touched by new signals (debounced by job id)."""
    return len(account_ids)
