"""Jobs are queued inside the transaction and reach Redis only after it commits."""

from __future__ import annotations

import uuid

import pytest
from arq.jobs import Job as ArqJob
from arq.jobs import JobStatus
from sqlalchemy import func, select

from app.core import db as core_db
from app.core import jobs
from app.core.config import get_settings
from app.core.jobs import Job, JobOutbox
from tests.factories import make_account


async def _status(redis, job_id: str) -> JobStatus:
    return await ArqJob(job_id, redis, _queue_name=get_settings().arq_queue_name).status()


async def _outbox_count(session) -> int:
    return int(await session.scalar(select(func.count()).select_from(JobOutbox)) or 0)


async def test_job_is_sent_after_commit_and_outbox_emptied(session, redis):
    job_id = f"test:{uuid.uuid4()}"
    async with core_db.unit_of_work() as uow:
        await make_account(uow)
        jobs.enqueue(uow, Job.rescore_pending, ["a"], job_id=job_id)
        assert await _status(redis, job_id) == JobStatus.not_found  # not before commit
    assert await _status(redis, job_id) == JobStatus.queued
    assert await _outbox_count(session) == 0


async def test_rollback_drops_the_job(session, redis):
    job_id = f"test:{uuid.uuid4()}"
    with pytest.raises(RuntimeError):
        async with core_db.unit_of_work() as uow:
            jobs.enqueue(uow, Job.rescore_pending, ["a"], job_id=job_id)
            raise RuntimeError("handler failed")
    assert await _status(redis, job_id) == JobStatus.not_found
    assert await _outbox_count(session) == 0


async def test_redis_down_keeps_the_job_in_the_outbox_until_flushed(session, redis, monkeypatch):
    job_id = f"test:{uuid.uuid4()}"
    settings = get_settings()
    real_url = settings.redis_url
    await jobs.close_pool()
    # A real connection attempt to a port nothing listens on.
    monkeypatch.setattr(settings, "redis_url", "redis://127.0.0.1:1/0")
    async with core_db.unit_of_work() as uow:
        jobs.enqueue(uow, Job.rescore_pending, ["a"], job_id=job_id)
    assert await _outbox_count(session) == 1

    monkeypatch.setattr(settings, "redis_url", real_url)
    await jobs.close_pool()
    async with core_db.unit_of_work() as uow:
        assert await jobs.flush_outbox(uow) == 1
    assert await _outbox_count(session) == 0
    assert await _status(await jobs.get_pool(), job_id) == JobStatus.queued
