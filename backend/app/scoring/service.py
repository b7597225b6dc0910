"""Scoring runs: one per kind and date range, idempotent."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.models import Account
from app.core.enums import RunKind, RunStatus
from app.core.models import utcnow
from app.scoring.models import RescoreRequest, ScoringRun


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


async def take_rescore_requests(session: AsyncSession, limit: int = 5000) -> dict[uuid.UUID, date]:
    """Claim pending rescore requests (other workers skip claimed rows)."""
    claimed = (
        select(col(RescoreRequest.account_id))
        .order_by(col(RescoreRequest.requested_at))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = await session.execute(
        delete(RescoreRequest)
        .where(col(RescoreRequest.account_id).in_(claimed.scalar_subquery()))
        .returning(col(RescoreRequest.account_id), col(RescoreRequest.since))
    )
    return {a: s for a, s in rows}


async def rescore(session: AsyncSession, since: dict[uuid.UUID, date]) -> int:
    """Recompute snapshots from ``since`` to today for these accounts.

    The health engine lands with the scoring release; until then this only reports how
    many accounts it was asked to rescore.
    """
    return len(since)
