"""The worker under supervision: ``/readyz`` reads its heartbeat and the queue; the
supervisor reconnects after Redis went away (a private redis-server stopped and started
again), restarts a worker that crashed, and one whose Redis stopped answering."""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from typing import Any

from arq.connections import ArqRedis, RedisSettings, create_pool
from arq.constants import in_progress_key_prefix

from app.core import supervise
from app.core.supervise import WorkerSupervisor
from app.worker import worker_settings
from tests.jobs.conftest import PrivateRedis, wait_for

# --- /readyz -----------------------------------------------------------------------------


async def test_readyz_is_ok_with_a_fresh_heartbeat(client, redis, own_queue):
    await supervise.write_heartbeat(redis, own_queue)
    r = await client.get("/readyz")
    assert r.status_code == 200, r.text
    body = r.json()
    age = body["worker"].pop("heartbeat_age_seconds")
    assert 0 <= age < 5
    assert body == {
        "status": "ok",
        "database": "ok",
        "redis": "ok",
        "worker": {"status": "ok"},
        "queue": {"queued": 0, "oldest_due_seconds": None},
    }


async def test_readyz_is_503_with_a_stale_heartbeat(client, redis, own_queue):
    beat = {"at": time.time() - 120, "host": "gone", "pid": 1}
    await redis.set(supervise.heartbeat_key(own_queue), json.dumps(beat))
    r = await client.get("/readyz")
    assert r.status_code == 503
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert (body["title"], body["status"], body["detail"]) == ("Not ready", 503, "worker: heartbeat stale")
    assert (body["database"], body["redis"], body["worker"]["status"]) == ("ok", "ok", "stale")
    assert 119 <= body["worker"]["heartbeat_age_seconds"] < 130


async def test_readyz_is_503_without_a_worker(client, redis, own_queue):
    r = await client.get("/readyz")
    assert r.status_code == 503
    assert r.json()["detail"] == "worker: heartbeat missing"
    assert r.json()["worker"] == {"status": "missing", "heartbeat_age_seconds": None}


async def test_readyz_without_redis_cannot_tell_about_the_worker(client, held_jobs):
    r = await client.get("/readyz")
    assert r.status_code == 503
    body = r.json()
    assert body["redis"].startswith("error: ") and body["detail"] == f"redis: {body['redis']}"
    assert body["worker"] == {"status": "unknown", "heartbeat_age_seconds": None}
    assert body["queue"] == {"queued": None, "oldest_due_seconds": None}


async def test_readyz_counts_the_queue_and_ages_the_oldest_waiting_job(client, redis, own_queue):
    await supervise.write_heartbeat(redis, own_queue)
    running = await redis.enqueue_job("flush_outbox_job", _job_id=f"t:{uuid.uuid4()}", _queue_name=own_queue)
    await asyncio.sleep(0.3)
    waiting = await redis.enqueue_job("flush_outbox_job", _job_id=f"t:{uuid.uuid4()}", _queue_name=own_queue)
    await redis.enqueue_job("flush_outbox_job", _queue_name=own_queue, _defer_by=3600)  # not due
    assert running is not None and waiting is not None
    await redis.set(in_progress_key_prefix + running.job_id, b"1", px=60_000)  # a worker runs it
    body = (await client.get("/readyz")).json()
    assert body["queue"]["queued"] == 3
    assert 0 <= body["queue"]["oldest_due_seconds"] < 0.3  # the waiting one, not the running one


# --- the supervisor ----------------------------------------------------------------------


def _settings(redis_url: str, queue: str, **overrides: Any) -> type:
    """The worker's own settings, on the private Redis and a queue of the test's own."""
    attributes = dict(vars(worker_settings()))
    redis_settings = RedisSettings.from_dsn(redis_url)
    redis_settings.conn_timeout = 1
    redis_settings.conn_retries = 0
    attributes.update(redis_settings=redis_settings, queue_name=queue, on_shutdown=None, **overrides)
    return type("WorkerSettings", (), attributes)


async def _pool(redis: PrivateRedis) -> ArqRedis:
    settings = RedisSettings.from_dsn(redis.url)
    settings.conn_retries = 0
    return await create_pool(settings)


def _warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "app.core.supervise" and r.levelno >= logging.WARNING]


async def test_the_supervisor_reconnects_after_redis_went_away(private_redis, committed_sessions, caplog):
    caplog.set_level(logging.INFO, logger="app.core.supervise")
    queue = f"tempo:test:supervised:{uuid.uuid4()}"
    supervisor = WorkerSupervisor(
        _settings(private_redis.url, queue), first_delay=0.2, max_delay=1.0, heartbeat_seconds=0.2, check_seconds=0.05
    )
    task = asyncio.create_task(supervisor.run())
    try:
        await wait_for("the worker to run", lambda: supervisor.state == "running", 20)
        pool = await _pool(private_redis)
        assert (await supervise.read_heartbeat(pool, queue) or 99) < 2
        await pool.aclose()

        private_redis.stop()  # the poll loop's next Redis call raises ConnectionError
        await wait_for("the worker to lose Redis", lambda: supervisor.state == "redis-down", 10)
        await asyncio.sleep(2.5)  # reconnect attempts fail meanwhile (0.2 s doubling to 1 s)
        assert not task.done()
        private_redis.start()  # same port, empty (no persistence)
        await wait_for("the worker to run again", lambda: supervisor.state == "running", 10)
        assert supervisor.generations >= 2

        pool = await _pool(private_redis)
        assert (await supervise.read_heartbeat(pool, queue) or 99) < 2  # written again, into the new Redis
        job = await pool.enqueue_job("flush_outbox_job", _queue_name=queue)
        assert job is not None
        assert await job.result(timeout=10) == 0  # and jobs run
        await pool.aclose()
        # one line when Redis went, one when the worker ran again: not one per attempt
        assert len([m for m in _warnings(caplog) if "without Redis" in m]) == 1, _warnings(caplog)
        assert any("worker running again after" in r.getMessage() for r in caplog.records)
    finally:
        supervisor.stop()
        await task
    assert supervisor.state == "stopped"


async def test_the_supervisor_restarts_a_worker_that_crashed(private_redis, committed_sessions):
    starts: list[float] = []

    async def flaky_startup(ctx: dict[str, Any]) -> None:
        starts.append(time.monotonic())
        if len(starts) == 1:
            raise RuntimeError("a bug at start-up")

    queue = f"tempo:test:supervised:{uuid.uuid4()}"
    supervisor = WorkerSupervisor(
        _settings(private_redis.url, queue, on_startup=flaky_startup),
        first_delay=0.2,
        max_delay=1.0,
        heartbeat_seconds=0.2,
        check_seconds=0.05,
    )
    task = asyncio.create_task(supervisor.run())
    try:
        await wait_for("the second worker to run", lambda: supervisor.state == "running", 20)
        assert len(starts) == 2 and supervisor.generations == 2
        assert starts[1] - starts[0] >= 0.2  # after the backoff
    finally:
        supervisor.stop()
        await task


async def test_the_supervisor_restarts_a_worker_whose_redis_stopped_answering(private_redis, committed_sessions):
    queue = f"tempo:test:supervised:{uuid.uuid4()}"
    supervisor = WorkerSupervisor(
        _settings(private_redis.url, queue),
        first_delay=0.2,
        max_delay=1.0,
        heartbeat_seconds=0.2,
        hang_seconds=1.5,
        connect_seconds=1.0,
        check_seconds=0.05,
    )
    task = asyncio.create_task(supervisor.run())
    try:
        await wait_for("the worker to run", lambda: supervisor.state == "running", 20)
        private_redis.pause()  # connections hang: no error ever reaches the poll loop
        await wait_for("the hang to be noticed", lambda: supervisor.state in ("hung", "redis-down"), 10)
        private_redis.resume()
        await wait_for("the worker to run again", lambda: supervisor.state == "running", 15)
        assert supervisor.generations >= 2
    finally:
        private_redis.resume()
        supervisor.stop()
        await task
