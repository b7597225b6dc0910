"""Keep the arq worker running through Redis outages and crashes, and say that it runs.

``tempo worker`` and ``tempo up`` both run the worker through ``WorkerSupervisor``:

- Each *generation* is a fresh arq ``Worker`` on a fresh Redis pool. arq's poll loop ends
  at the first error (a lost Redis connection raises out of ``Worker.main``), so when it
  ends, or stops turning for ``hang_seconds`` (a Redis that accepts connections but never
  answers), the supervisor retires that generation and starts the next one after a
  backoff (1 s doubling to 30 s; back to 1 s after a generation that ran for 30 s). It logs
  once per change of state (lost Redis, back, crashed), not once per attempt, and never
  gives up.
- A retired generation's running jobs are not cancelled: their work is in PostgreSQL, so
  they finish it; when Redis is still away arq cannot record that and runs them again
  later (jobs are idempotent). Until they are done the next generation takes that many
  fewer jobs at once.
- Every generation starts with the worker's ``on_startup``, which flushes the job outbox:
  what requests committed while Redis was away is sent as soon as Redis is back.
- While its poll loop turns, a generation writes a heartbeat to Redis (``heartbeat_key``,
  a JSON object with the time it was written) every ``heartbeat_seconds``; ``/readyz``
  reads its age (``read_heartbeat``) and the queue's depth (``queue_depth``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import socket
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from arq.connections import ArqRedis, RedisSettings, create_pool
from arq.constants import in_progress_key_prefix
from arq.worker import Worker
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 10.0
HEARTBEAT_TTL_SECONDS = 86_400  # a queue no worker has served for a day reads "missing"
FIRST_DELAY_SECONDS = 1.0
MAX_DELAY_SECONDS = 30.0
HANG_SECONDS = 60.0
CONNECT_SECONDS = 10.0  # a Redis that accepts connections but never answers
SHUTDOWN_SECONDS = 10.0  # for cancelled jobs to tell Redis they will run again

# What a lost or unreachable Redis raises (redis-py's errors, a reset socket, our timeouts).
REDIS_DOWN = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)


def heartbeat_key(queue_name: str) -> str:
    return f"{queue_name}:tempo-heartbeat"


async def write_heartbeat(pool: ArqRedis, queue_name: str, **extra: Any) -> None:
    """Record that a worker of ``queue_name`` is polling now."""
    body = {"at": time.time(), "host": socket.gethostname(), "pid": os.getpid(), **extra}
    await pool.set(heartbeat_key(queue_name), json.dumps(body), ex=HEARTBEAT_TTL_SECONDS)


async def read_heartbeat(pool: ArqRedis, queue_name: str) -> float | None:
    """Seconds since a worker of ``queue_name`` last polled (None: no heartbeat at all)."""
    raw = await pool.get(heartbeat_key(queue_name))
    if raw is None:
        return None
    try:
        at = float(json.loads(raw)["at"])
    except (ValueError, KeyError, TypeError):
        return None
    return max(0.0, time.time() - at)


@dataclass
class QueueDepth:
    queued: int  # jobs in the queue: due, deferred or running
    oldest_due_seconds: float | None  # how long the oldest due job no worker has started has waited


async def queue_depth(pool: ArqRedis, queue_name: str, look_at: int = 200) -> QueueDepth:
    """Jobs in the queue, and the wait of the oldest job that is due and not running."""
    now_ms = time.time() * 1000
    queued = int(await pool.zcard(queue_name))
    due: list[tuple[bytes, float]] = await pool.zrangebyscore(
        queue_name, min=float("-inf"), max=now_ms, start=0, num=look_at, withscores=True
    )
    if not due:
        return QueueDepth(queued, None)
    async with pool.pipeline(transaction=False) as pipe:
        for job_id, _ in due:
            pipe.exists(in_progress_key_prefix + job_id.decode())
        running = await pipe.execute()
    waiting = [score for (_, score), started in zip(due, running, strict=True) if not started]
    return QueueDepth(queued, max(0.0, (now_ms - waiting[0]) / 1000) if waiting else None)


class SupervisedWorker(Worker):
    """An arq worker that notes each turn of its poll loop and writes the heartbeat."""

    def __init__(self, *args: Any, heartbeat_seconds: float = HEARTBEAT_SECONDS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.heartbeat_seconds = heartbeat_seconds
        self.started = time.monotonic()
        self.last_turn = self.started
        self.turns = 0
        self._last_beat = float("-inf")

    async def heart_beat(self) -> None:  # arq calls this at the end of every poll iteration
        await super().heart_beat()
        self.last_turn = time.monotonic()
        self.turns += 1
        if self.last_turn - self._last_beat >= self.heartbeat_seconds:
            await write_heartbeat(self.pool, self.queue_name, jobs_complete=self.jobs_complete)
            self._last_beat = self.last_turn


class WorkerHung(Exception):
    """The poll loop did not turn for ``hang_seconds`` (a Redis that stopped answering)."""


class WorkerSupervisor:
    """Runs arq worker generations until ``stop()``; see the module's docstring."""

    def __init__(
        self,
        settings_cls: type,
        *,
        first_delay: float = FIRST_DELAY_SECONDS,
        max_delay: float = MAX_DELAY_SECONDS,
        heartbeat_seconds: float = HEARTBEAT_SECONDS,
        hang_seconds: float = HANG_SECONDS,
        connect_seconds: float = CONNECT_SECONDS,
        check_seconds: float = 1.0,
    ) -> None:
        attributes = {k: v for k, v in vars(settings_cls).items() if not k.startswith("__")}
        self.redis_settings: RedisSettings = attributes.pop("redis_settings")
        self._on_shutdown: Callable[[dict[str, Any]], Awaitable[Any]] | None = attributes.pop("on_shutdown", None)
        attributes.pop("redis_pool", None)
        attributes.pop("handle_signals", None)
        self._worker_kwargs = attributes
        self.queue_name: str = attributes["queue_name"]
        self.max_jobs: int = attributes.get("max_jobs", 10)
        self.first_delay = first_delay
        self.max_delay = max_delay
        self.heartbeat_seconds = heartbeat_seconds
        self.hang_seconds = hang_seconds
        self.connect_seconds = connect_seconds
        self.check_seconds = check_seconds
        self.state = "starting"
        self.generations = 0  # workers started (the first one included)
        self.current: SupervisedWorker | None = None
        self._stopping = asyncio.Event()
        self._down_since: float | None = None
        self._draining: set[asyncio.Task[Any]] = set()  # jobs of retired generations
        self._retiring: set[asyncio.Task[None]] = set()

    def stop(self) -> None:
        """Ask ``run`` to end: running jobs are cancelled (arq runs them again later)."""
        self._stopping.set()

    async def run(self) -> None:
        delay = self.first_delay
        try:
            while not self._stopping.is_set():
                started = time.monotonic()
                try:
                    failure = await self._generation()
                except Exception as exc:  # the pool could not be created: Redis unreachable
                    failure = exc
                if self._stopping.is_set():
                    break
                if time.monotonic() - started >= self.max_delay:
                    delay = self.first_delay
                self._note_failure(failure, delay)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), delay)
                delay = min(delay * 2, self.max_delay)
        finally:
            await self._shutdown()

    async def _generation(self) -> BaseException | None:
        """One worker on one pool until it fails (returned) or ``stop()`` (None)."""
        async with asyncio.timeout(self.connect_seconds):
            pool = await create_pool(self.redis_settings, default_queue_name=self.queue_name)
        worker: SupervisedWorker | None = None
        try:
            worker = SupervisedWorker(
                **self._worker_kwargs,
                redis_pool=pool,
                handle_signals=False,
                heartbeat_seconds=self.heartbeat_seconds,
            )
            self.generations += 1
            self.current = worker
            main = asyncio.create_task(worker.main())
            worker.main_task = main
            hung = False
            while not main.done():
                await asyncio.wait({main}, timeout=self.check_seconds)
                if self._stopping.is_set():
                    return None
                self._draining = {t for t in self._draining if not t.done()}
                worker.max_jobs = max(1, self.max_jobs - len(self._draining))
                if worker.turns and self.state != "running":
                    self._note_running()
                if not main.done() and time.monotonic() - worker.last_turn > self.hang_seconds:
                    hung = True
                    main.cancel()
                    with contextlib.suppress(BaseException):
                        await main
            if hung:
                return WorkerHung(f"the poll loop did not turn for {self.hang_seconds:.0f} s")
            if main.cancelled():
                return asyncio.CancelledError("the worker was cancelled")
            return main.exception() or RuntimeError("the worker stopped")
        finally:
            if worker is not None and not self._stopping.is_set():
                self._retire(worker, pool)
            elif worker is None:
                await pool.aclose()  # type: ignore[attr-defined]

    def _retire(self, worker: SupervisedWorker, pool: ArqRedis) -> None:
        """Let a failed generation's jobs finish in the background, then close its pool."""
        self.current = None
        if worker.main_task is not None and not worker.main_task.done():
            worker.main_task.cancel()
        jobs = [t for t in worker.tasks.values() if not t.done()]
        self._draining.update(jobs)

        async def drain() -> None:
            await asyncio.gather(*jobs, return_exceptions=True)
            with contextlib.suppress(Exception):
                await pool.aclose()  # type: ignore[attr-defined]

        task = asyncio.create_task(drain())
        self._retiring.add(task)
        task.add_done_callback(self._retiring.discard)

    async def _shutdown(self) -> None:
        worker, self.current = self.current, None
        tasks: list[asyncio.Task[Any]] = [*self._draining]
        if worker is not None:
            if worker.main_task is not None:
                worker.main_task.cancel()
                tasks.append(worker.main_task)
            tasks.extend(worker.tasks.values())
        for task in tasks:
            task.cancel()
        with contextlib.suppress(TimeoutError):  # a Redis that stopped answering
            async with asyncio.timeout(SHUTDOWN_SECONDS):
                await asyncio.gather(*tasks, *self._retiring, return_exceptions=True)
        if worker is not None:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(2):
                    await worker.pool.delete(worker.health_check_key)
            with contextlib.suppress(Exception):
                await worker.pool.aclose()  # type: ignore[attr-defined]
        if self._on_shutdown is not None:
            try:
                await self._on_shutdown({})
            except Exception:
                log.exception("worker shutdown hook failed")
        self.state = "stopped"
        log.info("worker stopped")

    def _note_running(self) -> None:
        if self._down_since is not None:
            log.info(
                "worker running again after %.1f s (generation %d)",
                time.monotonic() - self._down_since,
                self.generations,
                extra={"outage_seconds": round(time.monotonic() - self._down_since, 1)},
            )
        else:
            log.info("worker running (queue %s)", self.queue_name)
        self._down_since = None
        self.state = "running"

    def _note_failure(self, failure: BaseException | None, delay: float) -> None:
        hung = isinstance(failure, WorkerHung)
        redis_down = isinstance(failure, REDIS_DOWN)
        state = "hung" if hung else "redis-down" if redis_down else "crashed"
        if self._down_since is None:
            self._down_since = time.monotonic()
        if state == self.state:
            log.debug("worker still %s (%r); next attempt in %.0f s", state, failure, delay)
            return
        self.state = state
        if hung:
            log.warning("worker restarted: %s; next start in %.0f s", failure, delay)
        elif redis_down:
            log.warning(
                "worker without Redis (%s: %s); reconnecting, first in %.0f s, backing off to %.0f s",
                type(failure).__name__,
                failure,
                delay,
                self.max_delay,
            )
        else:
            log.error(
                "worker stopped (%s: %s); starting a new one in %.0f s, backing off to %.0f s",
                type(failure).__name__,
                failure,
                delay,
                self.max_delay,
                exc_info=failure if isinstance(failure, Exception) and failure.__traceback__ else None,
            )


def run_supervised(settings_cls: type) -> None:
    """``tempo worker``: the supervisor until SIGINT or SIGTERM."""

    async def main() -> None:
        supervisor = WorkerSupervisor(settings_cls)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, supervisor.stop)
        await supervisor.run()

    asyncio.run(main())
