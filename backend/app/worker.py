"""arq worker: job functions, cron schedule and start-up.

Run with ``tempo worker`` (or inside ``tempo up``): both run it under
``core.supervise.WorkerSupervisor``, which reconnects after Redis outages, restarts it after
a crash and writes the heartbeat ``/readyz`` reads. Jobs are plain ``async def job(ctx, ...)``
functions that are safe to run twice; they open their own unit of work.
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

from arq import cron
from arq.typing import WorkerCoroutine

import app.models  # noqa: F401  (every model known before jobs touch the ORM)
from app.core.config import get_settings
from app.core.db import dispose_engine, unit_of_work
from app.core.jobs import Job, close_pool, flush_outbox, redis_settings
from app.core.logging import bind, configure_logging
from app.flows.after_signals import rescore_pending
from app.flows.revenue_rebuild import rebuild_revenue, rebuild_revenue_daily
from app.flows.stale_sources import check_stale_sources
from app.flows.weekly_digest import send_weekly_digest
from app.notifications.jobs import deliver, deliver_due
from app.renewals.jobs import sync_renewals
from app.revenue.jobs import rebuild_revenue_rollups
from app.scoring.jobs import (
    refit_churn_calibration,
    resume_scoring_runs,
    run_daily_scoring,
    score_run,
    thin_snapshots,
)
from app.usage.jobs import purge_raw_usage

log = logging.getLogger(__name__)

OUTBOX_BATCH = 500
STARTUP_FLUSH_SECONDS = 20.0  # then the minute cron sends the rest (the supervisor watches for hangs)


async def flush_outbox_job(ctx: dict[str, Any]) -> int:
    """Send jobs that could not reach Redis at commit time."""
    async with unit_of_work() as session:
        return await flush_outbox(session, limit=OUTBOX_BATCH)


async def _flush_whole_outbox(budget_seconds: float) -> int:
    sent, deadline = 0, time.monotonic() + budget_seconds
    while time.monotonic() < deadline:
        async with unit_of_work() as session:
            batch = await flush_outbox(session, limit=OUTBOX_BATCH)
        sent += batch
        if batch < OUTBOX_BATCH:
            break
    return sent


async def startup(ctx: dict[str, Any]) -> None:
    """Each start of a worker, so also each reconnect after Redis was away: send what the
    outbox holds, and rescore what signals are waiting for (their job may have been lost
    with Redis; the job finds nothing when nothing waits)."""
    try:
        sent = await _flush_whole_outbox(STARTUP_FLUSH_SECONDS)
    except Exception as exc:  # PostgreSQL away: the minute cron sends them later
        log.warning("outbox not flushed at start: %s: %s", type(exc).__name__, exc)
    else:
        if sent:
            log.info("sent %d jobs left in the outbox", sent, extra={"jobs": sent})
    await ctx["redis"].enqueue_job(Job.rescore_pending.value, _job_id=f"rescore-pending:start:{uuid.uuid4()}")


async def on_job_start(ctx: dict[str, Any]) -> None:
    # Each job runs in its own task: what is bound here is on every line the job logs.
    bind(job_id=ctx["job_id"], job_try=ctx["job_try"])


async def shutdown(ctx: dict[str, Any]) -> None:
    await close_pool()
    await dispose_engine()


FUNCTIONS: list[WorkerCoroutine] = [  # type: ignore[list-item]
    run_daily_scoring,
    score_run,
    resume_scoring_runs,
    thin_snapshots,
    rescore_pending,
    flush_outbox_job,
    deliver,
    deliver_due,
    send_weekly_digest,
    purge_raw_usage,
    check_stale_sources,
    refit_churn_calibration,
    rebuild_revenue,
    rebuild_revenue_rollups,
    rebuild_revenue_daily,
    sync_renewals,
]


def worker_settings() -> type:
    """The arq ``WorkerSettings`` class, read from settings when it is asked for."""
    configure_logging()
    settings = get_settings()
    cron_jobs = [
        cron(
            run_daily_scoring,  # type: ignore[arg-type]
            hour={settings.daily_scoring_hour},
            minute={settings.daily_scoring_minute},
            unique=True,
            job_id="cron:daily-scoring",
        ),
        cron(flush_outbox_job, second={0}, unique=True),  # type: ignore[arg-type]
        cron(deliver_due, second={20}, unique=True),  # type: ignore[arg-type]
        cron(send_weekly_digest, weekday={0}, hour={8}, minute={0}, unique=True),  # type: ignore[arg-type]
        cron(purge_raw_usage, hour={3}, minute={30}, unique=True),  # type: ignore[arg-type]
        cron(thin_snapshots, hour={3}, minute={45}, unique=True),  # type: ignore[arg-type]
        # runs left behind by a killed worker are picked up within a minute (runs.resume_runs)
        cron(resume_scoring_runs, second={10, 40}, unique=True),  # type: ignore[arg-type]
        cron(check_stale_sources, minute={5}, unique=True),  # type: ignore[arg-type]
        cron(refit_churn_calibration, hour={4}, minute={15}, unique=True),  # type: ignore[arg-type]
        # before the daily scoring: today's line starts and ends become movements
        cron(rebuild_revenue_daily, hour={0}, minute={20}, unique=True),  # type: ignore[arg-type]
    ]
    attributes: dict[str, Any] = {
        "functions": FUNCTIONS,
        "cron_jobs": cron_jobs,
        "on_startup": startup,
        "on_shutdown": shutdown,
        "on_job_start": on_job_start,
        "queue_name": settings.arq_queue_name,
        "redis_settings": redis_settings(),
        "max_jobs": 8,
        "job_timeout": 3600,
        "keep_result": 3600,
        "health_check_interval": 30,
    }
    return type("WorkerSettings", (), attributes)


def __getattr__(name: str) -> Any:
    # Lets ``arq app.worker.WorkerSettings`` work without reading settings at import.
    if name == "WorkerSettings":
        return worker_settings()
    raise AttributeError(name)
