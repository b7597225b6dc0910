"""Queue jobs inside a transaction; send them to arq only after it commits.

``enqueue`` writes a ``job_outbox`` row in the caller's transaction, so a job exists
exactly when the data it is about was committed (a rollback drops it). After commit the
rows are sent to Redis with their stable job ids and deleted. If Redis is down, rows
stay and ``flush_outbox`` (run by the worker every minute and at start-up) sends them
later. Job functions must therefore be idempotent: a job may run twice.
"""

from __future__ import annotations

import logging
from typing import Any

from arq.connections import ArqRedis, RedisSettings, create_pool
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import get_settings
from app.jobs.models import JobOutbox

log = logging.getLogger(__name__)
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
    function: str,
    *args: Any,
    job_id: str | None = None,
    defer_seconds: float = 0.0,
) -> JobOutbox:
    """Record a job in the current transaction; it is sent after commit."""
    row = JobOutbox(function=function, args=list(args), job_id=job_id, defer_seconds=defer_seconds)
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
