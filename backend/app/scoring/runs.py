"""Scoring runs: a date range over all accounts, split into shards that workers take.

A shard is one bucket of accounts over a chunk of dates. Shards are written atomically:
a worker claims one with ``FOR UPDATE SKIP LOCKED``, scores it and marks it done in the same
transaction, so a worker killed mid-shard leaves it queued for the next taker. A bucket's
next chunk of dates waits until the previous one is done (hysteresis reads the day
before). Any number of workers can work one run; ``resume_runs`` re-sends work for runs
left behind.

A worker scoring a shard holds the run's *work lock* (a shared advisory lock) for the
shard's transaction, so "is anybody working this run?" has an exact answer: a killed
worker's connection, and with it the lock, is gone. A run nobody works, with shards queued
and no progress for ``RESUME_AFTER_SECONDS``, is resumed by the every-30-seconds cron, so a
killed worker's run continues within about a minute. Resuming a run that is in fact being
worked would be harmless anyway (a shard is claimed ``SKIP LOCKED`` and written with its
``succeeded`` mark in one transaction, and arq may deliver a job twice), only wasteful.
"""

from __future__ import annotations

import logging
import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.core import jobs
from app.core.db import unit_of_work
from app.core.enums import RunCadence, RunKind, RunStatus
from app.core.jobs import Job
from app.core.models import utcnow
from app.scoring import repository as scoring_repo
from app.scoring import runs_repository as runs_repo
from app.scoring import service
from app.scoring.models import ScoringRun, ScoringRunShard

log = logging.getLogger(__name__)

BUCKET_ACCOUNTS = 10_000  # accounts per bucket
SHARD_WORK = 25_000  # account-dates per shard (a bucket's dates are chunked to about this)
MAX_ATTEMPTS = 3
PARALLEL_JOBS = 4
# No progress for this long (and nobody holding the work lock): the run was left behind.
# Covers the time between sending a run's jobs and a worker starting them.
RESUME_AFTER_SECONDS = 30


def plan_shards(accounts: int, dates: list[date]) -> tuple[int, list[list[date]]]:
    """Bucket count and date chunks for a run."""
    buckets = max(1, math.ceil(accounts / BUCKET_ACCOUNTS))
    per_bucket = max(1, math.ceil(accounts / buckets))
    chunk = max(1, SHARD_WORK // per_bucket)
    return buckets, [dates[i : i + chunk] for i in range(0, len(dates), chunk)]


async def create_run(
    session: AsyncSession,
    kind: RunKind,
    date_from: date,
    date_to: date,
    cadence: RunCadence,
    requested_by: str,
) -> ScoringRun:
    config = await service.load_active(session)
    accounts = await runs_repo.count_accounts(session)
    dates = service.history_dates(date_from, date_to, cadence.value)
    buckets, chunks = plan_shards(accounts, dates)
    run = ScoringRun(
        kind=kind.value,
        cadence=cadence.value,
        date_from=date_from,
        date_to=date_to,
        config_version=config.version,
        accounts_total=accounts,
        total_shards=buckets * len(chunks),
        requested_by=requested_by,
    )
    session.add(run)
    await session.flush()
    shard_no = 0
    for bucket in range(buckets):
        for chunk in chunks:
            session.add(
                ScoringRunShard(
                    run_id=run.id,
                    shard_no=shard_no,
                    as_of=chunk[0],
                    date_to=chunk[-1],
                    account_bucket=bucket,
                    bucket_count=buckets,
                )
            )
            shard_no += 1
    if not chunks:
        run.status = RunStatus.succeeded.value
        run.finished_at = utcnow()
    await session.flush()
    return run


def dispatch(session: AsyncSession, run: ScoringRun) -> None:
    """Queue workers for a run (after commit, through the outbox)."""
    for i in range(min(run.total_shards, PARALLEL_JOBS)):
        jobs.enqueue(session, Job.score_run, str(run.id), job_id=f"score-run:{run.id}:{i}")


async def daily_run(session: AsyncSession, as_of: date, requested_by: str) -> ScoringRun:
    """Find or create the daily run for ``as_of``. Delivered twice, it is still one run."""
    await runs_repo.lock_daily_run(session, as_of)
    existing = await runs_repo.find_daily_run(session, as_of)
    if existing is not None:
        return existing
    return await create_run(session, RunKind.daily, as_of, as_of, RunCadence.daily, requested_by)


@dataclass
class ShardResult:
    shard_no: int
    snapshots: int


async def _work_one(run_id: uuid.UUID, claimed: list[int], react: service.React) -> ShardResult | None:
    """Claim, score and finish one shard in one transaction (``claimed`` learns its number)."""
    async with unit_of_work() as session:
        run = await session.get(ScoringRun, run_id)
        if run is None or run.status in (RunStatus.failed.value, RunStatus.cancelled.value):
            return None
        await runs_repo.hold_work_lock(session, run_id)
        shard = await runs_repo.claim_shard(session, run_id)
        if shard is None:
            return None
        claimed.append(shard.shard_no)
        config_row = await scoring_repo.get_config(session, run.config_version or 0)
        config = service.ActiveConfig.of(config_row) if config_row else await service.load_active(session)
        ids = await runs_repo.bucket_account_ids(session, shard.account_bucket, shard.bucket_count)
        dates = [
            d
            for d in service.history_dates(run.date_from, run.date_to, run.cadence)
            if shard.as_of <= d <= shard.date_to
        ]
        written = await service.score_accounts(session, ids, dates, config, react=react)
        shard.status = RunStatus.succeeded.value
        shard.attempts += 1
        shard.snapshots_written = written
        shard.finished_at = utcnow()
        status, kind = await runs_repo.record_shard_done(session, run_id, written)
        if status == RunStatus.succeeded.value and kind == RunKind.backfill.value:
            # new history means new point-in-time outcomes: refit churn probability on them
            jobs.enqueue(session, Job.refit_churn_calibration, job_id=f"refit-calibration:{run_id}")
        return ShardResult(shard.shard_no, written)


async def _record_failure(run_id: uuid.UUID, shard_no: int, error: str) -> None:
    """Count a failed attempt on a shard (its work was rolled back); fail the run at the limit."""
    async with unit_of_work() as session:
        shard = await session.get(ScoringRunShard, (run_id, shard_no), with_for_update=True)
        if shard is None or shard.status != RunStatus.queued.value:
            return
        shard.attempts += 1
        shard.error = error[:2000]
        if shard.attempts >= MAX_ATTEMPTS:
            shard.status = RunStatus.failed.value
            run = await session.get(ScoringRun, run_id)
            if run is not None:
                run.status = RunStatus.failed.value
                run.error = f"shard {shard.shard_no}: {error}"[:2000]
                run.finished_at = utcnow()


async def mark_started(run_id: uuid.UUID) -> None:
    async with unit_of_work() as session:
        await runs_repo.mark_started(session, run_id)


async def work_run(
    run_id: uuid.UUID, *, react: service.React, progress: Callable[[ShardResult], None] | None = None
) -> int:
    """Take shards of a run until none is left for this worker. Returns shards done here.

    ``react`` follows each shard that scores today, in the shard's transaction."""
    await mark_started(run_id)
    done = 0
    while True:
        claimed: list[int] = []
        try:
            result = await _work_one(run_id, claimed, react)
        except Exception as exc:
            if not claimed:
                raise
            log.exception("scoring run %s: shard %s failed", run_id, claimed[0])
            await _record_failure(run_id, claimed[0], f"{type(exc).__name__}: {exc}")
            continue
        if result is None:
            return done
        done += 1
        if progress:
            progress(result)


async def resume_runs(session: AsyncSession, older_than_seconds: int = RESUME_AFTER_SECONDS) -> int:
    """Re-send workers to runs left behind (a worker died or Redis lost the job): shards still
    queued, no progress for ``older_than_seconds``, nobody scoring one of them now."""
    ids = await runs_repo.abandoned_run_ids(session, older_than_seconds)
    stamp = utcnow().strftime("%Y%m%d%H%M")
    for run_id in ids:
        jobs.enqueue(session, Job.score_run, str(run_id), job_id=f"score-run:{run_id}:resume:{stamp}")
    return len(ids)


async def get_run(session: AsyncSession, run_id: uuid.UUID) -> ScoringRun:
    from app.core.errors import NotFound

    run = await session.get(ScoringRun, run_id, populate_existing=True)
    if run is None:
        raise NotFound(f"No scoring run {run_id}")
    return run


HISTORY_WARMUP_DAYS = 60  # usage windows reach 60 days back: earlier scores would read a partial book


async def start_history(requested_by: str, *, react: service.React) -> uuid.UUID | None:
    """First scores for a freshly loaded book: today now, its history as a background run.

    Does nothing once any snapshot exists. Today is scored at once so every view has data;
    the history run (weekly, daily for the last 120 days) ends with today again, so today's
    quadrant is placed with its history (hysteresis) once the run is done.
    """
    day = service.today()
    async with unit_of_work() as session:
        if await scoring_repo.any_snapshot(session):
            return None
        first = await scoring_repo.first_data_day(session)
        run = await create_run(session, RunKind.daily, day, day, RunCadence.daily, requested_by)
        today_id = run.id
    await work_run(today_id, react=react)
    if first is None or first + timedelta(days=HISTORY_WARMUP_DAYS) >= day:
        return None
    async with unit_of_work() as session:
        history = await create_run(
            session,
            RunKind.backfill,
            first + timedelta(days=HISTORY_WARMUP_DAYS),
            day,
            RunCadence.history,
            requested_by,
        )
        dispatch(session, history)
        return history.id
