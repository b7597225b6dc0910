"""Jobs: the registry of job names, and the transactional outbox that sends them.

``Job`` names every job the worker runs; enqueuers name jobs only through it and a test
holds it equal to the worker's functions and cron schedule.

``enqueue`` writes a ``job_outbox`` row in the caller's transaction, so a job exists
exactly when the data it is about was committed (a rollback drops it). After commit the
rows are sent to Redis with their stable job ids and deleted. If Redis is down, rows
stay and ``flush_outbox`` (run by the worker every minute and at start-up) sends them
later. Job functions must therefore be idempotent: a job may run twice.
"""

from __future__ import annotations

import logging
from datetime import datetime
from enum import StrEnum
from typing import Any

from arq.connections import ArqRedis, RedisSettings, create_pool
from sqlalchemy import BigInteger, Column, delete, select, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel

from app.core.config import get_settings
from app.core.models import created_at

log = logging.getLogger(__name__)


class Job(StrEnum):
    """Every job the worker runs, by the name arq knows it by (the function's name)."""

    # scoring
    run_daily_scoring = "run_daily_scoring"
    score_run = "score_run"
    resume_scoring_runs = "resume_scoring_runs"
    thin_snapshots = "thin_snapshots"
    refit_churn_calibration = "refit_churn_calibration"
    # signals: fold the ingest log, rescore touched accounts, react (alerts, plays, notifications)
    rescore_pending = "rescore_pending"
    check_stale_sources = "check_stale_sources"
    purge_raw_usage = "purge_raw_usage"
    # revenue
    rebuild_revenue = "rebuild_revenue"
    rebuild_revenue_rollups = "rebuild_revenue_rollups"
    rebuild_revenue_daily = "rebuild_revenue_daily"
    sync_renewals = "sync_renewals"
    # notifications
    deliver = "deliver"
    deliver_due = "deliver_due"
    send_weekly_digest = "send_weekly_digest"
    # the outbox itself
    flush_outbox_job = "flush_outbox_job"


class JobOutbox(SQLModel, table=True):
    """A job written with the data it is about; sent to Redis after commit."""

    __tablename__ = "job_outbox"

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    function: str
    args: list[Any] = Field(default_factory=list, sa_type=JSONB)
    job_id: str | None = None
    defer_seconds: float = 0.0
    created_at: datetime = created_at()
    attempts: int = 0
    last_error: str | None = None


_PENDING_KEY = "tempo.pending_jobs"
_pool: ArqRedis | None = None


def redis_settings() -> RedisSettings:
    url = get_settings().redis_url
    if not url:
        raise RuntimeError("REDIS_URL is not configured")
    settings = RedisSettings.from_dsn(url)
    settings.conn_timeout = 2
    settings.conn_retries = 0
    return settings


async def get_pool() -> ArqRedis:
    global _pool
    if _pool is None:
        _pool = await create_pool(redis_settings(), default_queue_name=get_settings().arq_queue_name)
    return _pool


async def close_pool() -> None:
    global _pool
    if _pool is not None:
        await _pool.aclose()  # type: ignore[attr-defined]
    _pool = None


def enqueue(
    session: AsyncSession,
    function: Job,
    *args: Any,
    job_id: str | None = None,
    defer_seconds: float = 0.0,
) -> JobOutbox:
    """Record a job in the current transaction; it is sent after commit."""
    row = JobOutbox(function=function.value, args=list(args), job_id=job_id, defer_seconds=defer_seconds)
    session.add(row)
    session.info.setdefault(_PENDING_KEY, []).append(row)
    return row


def discard_pending_jobs(session: AsyncSession) -> None:
    """Forget jobs queued in a savepoint that was rolled back (their outbox rows are gone)."""
    session.info.pop(_PENDING_KEY, None)


async def _send(pool: ArqRedis, row: JobOutbox) -> None:
    await pool.enqueue_job(
        row.function,
        *row.args,
        _job_id=row.job_id,
        _defer_by=row.defer_seconds or None,
        _queue_name=get_settings().arq_queue_name,
    )


async def send_pending_jobs(session: AsyncSession) -> int:
    """Send the jobs this (now committed) session queued; leave them in the outbox on failure."""
    rows: list[JobOutbox] = session.info.pop(_PENDING_KEY, [])
    if not rows:
        return 0
    sent_ids: list[int] = []
    try:
        pool = await get_pool()
        for row in rows:
            await _send(pool, row)
            assert row.id is not None
            sent_ids.append(row.id)
    except Exception as exc:  # Redis down: the outbox keeps them for flush_outbox
        log.warning("job enqueue deferred to outbox: %s", exc)
    if sent_ids:
        await session.execute(delete(JobOutbox).where(JobOutbox.id.in_(sent_ids)))  # type: ignore[union-attr]
        await session.commit()
    return len(sent_ids)


async def flush_outbox(session: AsyncSession, limit: int = 500) -> int:
    """Send jobs left in the outbox (Redis was down at commit time). Safe to run concurrently."""
    result = await session.execute(
        select(JobOutbox).order_by(JobOutbox.id).limit(limit).with_for_update(skip_locked=True)  # type: ignore[arg-type]
    )
    rows = list(result.scalars())
    if not rows:
        return 0
    sent = 0
    pool = await get_pool()
    for row in rows:
        try:
            await _send(pool, row)
        except Exception as exc:
            await session.execute(
                update(JobOutbox)
                .where(JobOutbox.id == row.id)  # type: ignore[arg-type]
                .values(attempts=JobOutbox.attempts + 1, last_error=str(exc)[:500])
            )
            break
        await session.execute(delete(JobOutbox).where(JobOutbox.id == row.id))  # type: ignore[arg-type]
        sent += 1
    return sent
