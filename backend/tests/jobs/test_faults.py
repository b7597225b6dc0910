"""Fault runs with real processes: ``tempo worker`` and ``tempo serve`` as child processes,
a worker SIGKILLed in the middle of a scoring run, Redis stopped while data is ingested,
PostgreSQL restarted while requests run. No mocks.

The outages are shorter than in the issue so ``make test`` stays quick; ``FAULT_SECONDS``
sets how long Redis and PostgreSQL stay down (``FAULT_SECONDS=60 make test-backend``, or
``FAULT_SECONDS=60 ../.venv/bin/python -m pytest tests/jobs/test_faults.py -s`` for the
issue's 60 s). ``-s`` prints each run's timeline (what was observed when).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.accounts.models import Account
from app.core.enums import Role, RunCadence, RunKind
from app.core.jobs import JobOutbox, send_pending_jobs
from app.ingest.models import IngestLog
from app.revenue.models import SubscriptionLine
from app.scoring import runs
from app.scoring.models import HealthSnapshot, RescoreRequest, ScoringRun, ScoringRunShard
from app.scoring.service import today as utc_today
from app.support.models import Ticket
from tests.jobs.conftest import (
    PrivatePostgres,
    PrivateRedis,
    Processes,
    fault_seconds,
    sessions_on,
    wait_for,
)

pytestmark = pytest.mark.faults


@dataclass
class Timeline:
    """What happened when, in seconds from the start; printed for the report (``-s``)."""

    title: str
    started: float = field(default_factory=time.monotonic)
    events: list[tuple[float, str]] = field(default_factory=list)

    def note(self, what: str) -> float:
        at = time.monotonic() - self.started
        self.events.append((at, what))
        return at

    def print(self) -> None:
        print(f"\n{self.title}")
        for at, what in self.events:
            print(f"  {at:7.1f} s  {what}")


async def add_customers(sessions: async_sessionmaker[AsyncSession], n: int, prefix: str) -> list[uuid.UUID]:
    """``n`` accounts, each a customer (a live subscription line) since 2025."""
    async with sessions() as s:
        accounts = [Account(external_id=f"{prefix}-{i}", name=f"{prefix} {i}", seats_purchased=5) for i in range(n)]
        s.add_all(accounts)
        await s.flush()
        s.add_all(
            SubscriptionLine(
                source_id=f"{a.id}-line",
                account_id=a.id,
                product="core",
                unit_amount=Decimal(100),
                start_date=date(2025, 1, 1),
            )
            for a in accounts
        )
        await s.commit()
        return [a.id for a in accounts]


async def api_key(sessions: async_sessionmaker[AsyncSession]) -> dict[str, str]:
    from app.auth import service as auth

    async with sessions() as s:
        _, key = await auth.create_api_key(s, name="faults", role=Role.admin)
        await s.commit()
    return {"Authorization": f"Bearer {key}"}


async def count(sessions: async_sessionmaker[AsyncSession], model: Any, *where: Any) -> int:
    async with sessions() as s:
        return int(await s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def ready(url: str) -> dict[str, Any] | None:
    """The readiness body when ``/readyz`` says 200, else None."""
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            r = await client.get(f"{url}/readyz")
    except httpx.HTTPError:
        return None
    return r.json() if r.status_code == 200 else None


def tickets(accounts: Iterable[int], prefix: str, batch: str, opened: date) -> dict[str, Any]:
    return {
        "items": [
            {"id": f"{batch}-{n}", "account": f"{prefix}-{n}", "opened_at": f"{opened.isoformat()}T09:00:00Z"}
            for n in accounts
        ]
    }


# --- 1. a worker SIGKILLed in the middle of a scoring run ------------------------------------

ACCOUNTS = 300
DAYS = 60


async def test_a_scoring_run_survives_its_worker_being_killed(
    fault_database, processes: Processes, services, own_queue, monkeypatch
):
    timeline = Timeline(f"worker SIGKILL mid-run ({ACCOUNTS} accounts x {DAYS} days)")
    processes.configure(fault_database, services.redis_url, own_queue)
    async with sessions_on(fault_database) as sessions:
        await add_customers(sessions, ACCOUNTS, "killed")
        # small shards, several buckets: a few shards in flight whenever the worker dies
        monkeypatch.setattr(runs, "BUCKET_ACCOUNTS", 100)
        monkeypatch.setattr(runs, "SHARD_WORK", 1000)
        first = date(2026, 6, 1)
        async with sessions() as s:
            run = await runs.create_run(
                s, RunKind.backfill, first, first + timedelta(days=DAYS - 1), RunCadence.daily, "faults"
            )
            runs.dispatch(s, run)
            await s.commit()
            assert await send_pending_jobs(s) == runs.PARALLEL_JOBS
        run_id, total = run.id, run.total_shards
        assert total == 18  # 3 buckets x 6 chunks of 10 days

        async def done_shards() -> int:
            async with sessions() as s:
                return int(await s.scalar(select(ScoringRun.done_shards).where(ScoringRun.id == run_id)) or 0)

        async def working() -> int:  # sessions holding a lock in this database: shards being scored
            async with sessions() as s:
                return int(
                    await s.scalar(
                        text(
                            "SELECT count(DISTINCT pid) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                        )
                    )
                    or 0
                )

        first_worker = processes.worker("worker-1")
        timeline.note(f"run of {total} shards sent; worker 1 started")

        async def mid_shard() -> bool:  # a few shards done, and one being scored
            return await done_shards() >= 4 and await working() >= 1

        await wait_for("a few shards done and one being scored", mid_shard, 60, every=0.02)
        first_worker.kill()
        done_at_kill = await done_shards()
        killed_at = timeline.note(f"worker 1 SIGKILLed while scoring a shard, {done_at_kill}/{total} shards done")
        assert done_at_kill < total, "the run finished before the kill: make it bigger"

        processes.worker("worker-2")
        timeline.note("worker 2 started")
        await wait_for("the run to move again", lambda: _more_than(done_shards, done_at_kill), 90)
        resumed_at = timeline.note(f"first shard done after the kill ({await done_shards()}/{total})")

        async def succeeded() -> bool:
            async with sessions() as s:
                return await s.scalar(select(ScoringRun.status).where(ScoringRun.id == run_id)) == "succeeded"

        await wait_for("the run to finish", succeeded, 90)
        finished_at = timeline.note("run succeeded")
        timeline.print()
        print(
            f"  resumed {resumed_at - killed_at:.1f} s after the kill, finished {finished_at - killed_at:.1f} s after"
        )

        async with sessions() as s:
            final = await runs.get_run(s, run_id)
            assert (final.done_shards, final.snapshots_written) == (total, ACCOUNTS * DAYS)
            shards = (await s.execute(select(ScoringRunShard).where(ScoringRunShard.run_id == run_id))).scalars().all()
            # every shard written once: a shard killed mid-way left nothing and was done again
            assert {(x.status, x.attempts, x.error) for x in shards} == {("succeeded", 1, None)}
            assert sum(x.snapshots_written for x in shards) == ACCOUNTS * DAYS
            per_day = await s.execute(
                select(HealthSnapshot.as_of, func.count(), func.count(HealthSnapshot.account_id.distinct()))
                .group_by(HealthSnapshot.as_of)
                .order_by(HealthSnapshot.as_of)
            )
            days = [first + timedelta(days=i) for i in range(DAYS)]
            assert per_day.all() == [(d, ACCOUNTS, ACCOUNTS) for d in days]  # 0 lost, 0 twice
        assert finished_at - killed_at < 90


async def _more_than(read: Any, n: int) -> bool:
    return bool(await read() > n)


# --- 2. Redis stopped while data is ingested -----------------------------------------------

OUTAGE_ACCOUNTS = 40


async def test_ingest_through_a_redis_outage(fault_database, private_redis: PrivateRedis, processes: Processes):
    outage = fault_seconds(15)
    timeline = Timeline(f"Redis stopped for {outage:.0f} s during ingest")
    queue = f"tempo:faults:{uuid.uuid4()}"
    processes.configure(fault_database, private_redis.url, queue)
    async with sessions_on(fault_database) as sessions:
        ids = await add_customers(sessions, OUTAGE_ACCOUNTS, "outage")
        headers = await api_key(sessions)
        worker = processes.worker()
        api, url = await processes.api()
        await wait_for("the worker's first heartbeat", lambda: ready(url), 60)
        timeline.note("API and worker ready")
        today = utc_today()
        opened = today - timedelta(days=1)

        async def rescored(accounts: Iterable[int]) -> bool:
            wanted = [ids[n] for n in accounts]
            async with sessions() as s:
                waiting = await s.scalar(select(func.count()).select_from(IngestLog)) or 0
                waiting += await s.scalar(select(func.count()).select_from(RescoreRequest)) or 0
                scored = await s.scalar(
                    select(func.count())
                    .select_from(HealthSnapshot)
                    .where(HealthSnapshot.account_id.in_(wanted), HealthSnapshot.as_of == today)  # type: ignore[attr-defined]
                )
            return waiting == 0 and scored == len(wanted)

        async with httpx.AsyncClient(base_url=url, headers=headers, timeout=30) as client:
            r = await client.post("/api/v1/ingest/tickets", json=tickets(range(5), "outage", "before", opened))
            assert r.status_code == 200, r.text
            await wait_for("the first batch to be rescored", lambda: rescored(range(5)), 30)
            timeline.note("a batch ingested and rescored while Redis is up")

            private_redis.stop()
            stopped = timeline.note("Redis stopped")
            touched: set[int] = set()
            posted_down = 0
            slowest = 0.0
            while time.monotonic() - timeline.started - stopped < outage:
                # two accounts a batch, cycling through those the first batch did not touch
                batch = [5 + (2 * posted_down + i) % (OUTAGE_ACCOUNTS - 5) for i in range(2)]
                began = time.monotonic()
                body = tickets(batch, "outage", f"down{posted_down}", opened)
                r = await client.post("/api/v1/ingest/tickets", json=body)
                slowest = max(slowest, time.monotonic() - began)
                assert r.status_code == 200 and r.json()["accepted"] == 2, r.text
                touched.update(batch)
                posted_down += 1
                await asyncio.sleep(0.5)
            in_outbox = await count(sessions, JobOutbox)
            readiness = (await client.get("/readyz")).json()
            timeline.note(
                f"{posted_down} batches accepted while Redis was down (all 200, slowest {slowest * 1000:.0f} ms); "
                f"{in_outbox} jobs in the outbox; /readyz: redis {readiness['redis']!r}, "
                f"worker {readiness['worker']['status']}"
            )
            assert in_outbox > 0
            assert readiness["status"] == 503 and readiness["redis"].startswith("error")

            private_redis.start()  # same port, empty: no persistence
            back = timeline.note("Redis started again (empty)")
            await wait_for("the outbox to empty", lambda: _empty(sessions), 60)
            timeline.note("outbox empty")
            await wait_for("the outage's batches to be rescored", lambda: rescored(touched), 60)
            rescored_at = timeline.note("every account touched during the outage rescored")
            await wait_for("/readyz to say ok", lambda: ready(url), 30)
            ready_at = timeline.note("/readyz ok again")
        timeline.print()
        print(f"  rescored {rescored_at - back:.1f} s and ready {ready_at - back:.1f} s after Redis came back")

        assert worker.alive() and api.alive()  # the worker was never restarted by the test
        assert await count(sessions, Ticket) == 5 + 2 * posted_down
        assert "without Redis" in worker.output(200_000)


async def _empty(sessions: async_sessionmaker[AsyncSession]) -> bool:
    return await count(sessions, JobOutbox) == 0


# --- 3. PostgreSQL restarted while requests run ----------------------------------------------


@dataclass
class Answer:
    began: float
    seconds: float
    status: int
    problem: bool
    retry_after: str | None


async def test_requests_through_a_postgres_restart(
    private_postgres: PrivatePostgres, private_database: str, processes: Processes, services, own_queue
):
    outage = fault_seconds(15) / 3
    timeline = Timeline(f"PostgreSQL stopped for {outage:.0f} s and started again while requests run")
    url_db = private_database
    processes.configure(url_db, services.redis_url, own_queue)
    async with sessions_on(url_db) as sessions:
        ids = await add_customers(sessions, 10, "pg")
        headers = await api_key(sessions)
    worker = processes.worker()
    api, url = await processes.api()
    await wait_for("the worker's first heartbeat", lambda: ready(url), 60)
    t0 = time.monotonic()
    answers: list[Answer] = []
    stop = asyncio.Event()

    async def client_loop(k: int) -> None:
        async with httpx.AsyncClient(base_url=url, headers=headers, timeout=60) as client:
            i = 0
            while not stop.is_set():
                i += 1
                began = time.monotonic()
                if i % 2:
                    r = await client.get("/api/v1/accounts", params={"page_size": 5})
                else:
                    body = tickets([k], "pg", f"c{k}-{i}", utc_today() - timedelta(days=1))
                    r = await client.post("/api/v1/ingest/tickets", json=body)
                answers.append(
                    Answer(
                        began - t0,
                        time.monotonic() - began,
                        r.status_code,
                        r.headers.get("content-type", "").startswith("application/problem+json"),
                        r.headers.get("retry-after"),
                    )
                )
                await asyncio.sleep(0.05)

    loops = [asyncio.create_task(client_loop(k)) for k in range(4)]
    try:
        await asyncio.sleep(2)
        down = time.monotonic() - t0
        await asyncio.to_thread(private_postgres.stop, "fast")
        timeline.note("PostgreSQL stopped (pg_ctl stop -m fast)")
        await asyncio.sleep(outage / 2)
        async with httpx.AsyncClient(timeout=10) as probe:
            readiness = (await probe.get(f"{url}/readyz")).json()
        timeline.note(f"/readyz: database {readiness['database']!r}, worker {readiness['worker']['status']}")
        await asyncio.sleep(outage / 2)
        starting = time.monotonic() - t0
        await asyncio.to_thread(private_postgres.start)
        up = time.monotonic() - t0
        timeline.note("PostgreSQL started again")
        await asyncio.sleep(8)
    finally:
        stop.set()
        await asyncio.gather(*loops)

    during = [a for a in answers if down + 1 <= a.began and a.began + a.seconds < starting]
    after = [a for a in answers if a.began >= up]
    first_ok = min(a.began + a.seconds for a in after if a.status == 200) - up
    unavailable = [a for a in answers if a.status == 503]
    server_errors = [a for a in answers if a.status == 500]
    timeline.note(
        f"{len(answers)} requests: {sum(a.status == 200 for a in answers)} x 200, {len(unavailable)} x 503, "
        f"{len(server_errors)} x 500; the slowest answer took {max(a.seconds for a in answers):.2f} s; "
        f"first 200 {first_ok:.2f} s after PostgreSQL was back"
    )
    assert readiness["database"].startswith("error") and readiness["worker"]["status"] == "ok"
    assert {a.status for a in answers} <= {200, 500, 503}, sorted({a.status for a in answers})
    assert during and all(a.status != 200 for a in during)
    assert all(a.problem and a.retry_after for a in unavailable)
    assert max(a.seconds for a in answers) < 6  # fast answers, no hangs
    assert first_ok < 5  # without restarting the app
    assert all(a.status == 200 for a in after if a.began > up + first_ok + 1)

    # the worker lived through it and works: readiness is back, a new signal is rescored
    assert worker.alive() and api.alive()
    await wait_for("/readyz to say ok", lambda: ready(url), 30)
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=30) as client:
        r = await client.post("/api/v1/ingest/tickets", json=tickets([9], "pg", "after", utc_today()))
        assert r.status_code == 200
    async with sessions_on(url_db) as sessions:

        async def rescored() -> bool:
            async with sessions() as s:
                waiting = await s.scalar(select(func.count()).select_from(IngestLog))
                scored = await s.scalar(
                    select(func.count())
                    .select_from(HealthSnapshot)
                    .where(HealthSnapshot.account_id == ids[9], HealthSnapshot.as_of == utc_today())
                )
            return waiting == 0 and scored == 1

        took = await wait_for("a signal after the restart to be rescored", rescored, 30)
    timeline.note(f"a signal sent after the restart rescored in {took:.1f} s; worker alive throughout")
    timeline.print()

    # while PostgreSQL shuts down or starts up it refuses with SQLSTATE 57P01/57P03: a 503 too
    assert server_errors == [], _unhandled_errors(api.output(5_000_000))


def _unhandled_errors(log: str) -> list[str]:
    """The exception line of each "unhandled error" the API logged (JSON lines)."""
    import json

    causes = []
    for line in log.splitlines():
        if '"unhandled error"' not in line:
            continue
        with contextlib.suppress(ValueError, KeyError):
            trace = json.loads(line)["exception"].strip().splitlines()
            causes.append(next(t for t in reversed(trace) if t.startswith(("sqlalchemy.exc", "asyncpg"))))
    return causes
