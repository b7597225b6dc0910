"""Scoring runs: one per kind and date range, idempotent."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.models import Account
from app.core.enums import RunKind, RunStatus
from app.core.models import utcnow
from app.scoring.models import ScoringRun


def today() -> date:
    return utcnow().date()


async def daily_run(session: AsyncSession, as_of: date, requested_by: str) -> ScoringRun:
    """Record (or find) the daily run for ``as_of``. Running it twice yields one run."""
    # Serialise concurrent duplicates (arq may deliver a job twice).
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"daily-scoring:{as_of}"})
    existing = (
        await session.execute(
            select(ScoringRun).where(
                col(ScoringRun.kind) == RunKind.daily.value,
                col(ScoringRun.date_from) == as_of,
                col(ScoringRun.status) == RunStatus.succeeded.value,
            )
        )
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    accounts = await session.scalar(select(func.count()).select_from(Account))
    now = utcnow()
    run = ScoringRun(
        kind=RunKind.daily.value,
        status=RunStatus.succeeded.value,
        date_from=as_of,
        date_to=as_of,
        accounts_total=int(accounts or 0),
        requested_by=requested_by,
        started_at=now,
        finished_at=now,
    )
    session.add(run)
    await session.flush()
    return run
