"""Signal to queue (DESIGN §15): from an ingest call returning to the account's health,
alerts and queue reflecting it, with the worker running and 1,000 events/s of background
usage.

Each probe sends one P1 ticket opened 30 hours ago for a scored customer without such an
alert; the debounced rescore scores the account for today and, in the same transaction,
opens its ``critical_ticket`` alert, which is what puts it in the queue. The probe polls the
alerts API every 50 ms; the time until the alert is visible is the signal-to-queue latency
(health and queue are visible in the same commit).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx

from bench.ingest import start_api, stop_api

EVENTS_PER_SECOND = 1000
TICK_SECONDS = 0.1
WARM_UP_SECONDS = 20


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "app", "worker"],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def _background(client: httpx.AsyncClient, accounts: list[str], stop: asyncio.Event) -> int:
    """1,000 live events per second (100 every 100 ms) over random accounts, sent on a fixed
    cadence whatever each call's latency (up to 8 calls in flight)."""
    rng = random.Random(11)
    tick = int(EVENTS_PER_SECOND * TICK_SECONDS)
    in_flight = asyncio.Semaphore(8)
    pending: set[asyncio.Task[None]] = set()
    sent = 0

    async def post(items: list[dict[str, Any]]) -> None:
        nonlocal sent
        async with in_flight:
            r = await client.post("/api/v1/ingest/events", content=json.dumps({"items": items}))
            r.raise_for_status()
            sent += len(items)

    next_at = time.perf_counter()
    n = 0
    while not stop.is_set():
        now = datetime.now(UTC)
        items = []
        for _ in range(tick):
            n += 1
            account = rng.choice(accounts)
            items.append(
                {
                    "id": f"bg-{now.timestamp()}-{n}",
                    "account": account,
                    "user_id": f"{account}-u{rng.randrange(20)}",
                    "event": "report.viewed",
                    "timestamp": (now - timedelta(seconds=rng.randrange(5))).isoformat(),
                    "duration_seconds": rng.randrange(5, 300),
                }
            )
        task = asyncio.create_task(post(items))
        pending.add(task)
        task.add_done_callback(pending.discard)
        next_at += TICK_SECONDS
        await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
    await asyncio.gather(*pending)
    return sent


async def _probe(client: httpx.AsyncClient, account_id: str, external_id: str, n: int) -> float:
    opened = datetime.now(UTC) - timedelta(hours=30)
    ticket = {
        "id": f"probe-{n}-{int(time.time())}",
        "account": external_id,
        "priority": "P1",
        "status": "open",
        "opened_at": opened.isoformat(),
        "subject": "Probe: exports fail",
    }
    r = await client.post("/api/v1/ingest/tickets", content=json.dumps({"items": [ticket]}))
    r.raise_for_status()
    assert r.json()["accepted"] + r.json()["updated"] == 1, r.text
    t0 = time.perf_counter()
    params = {"account_id": account_id, "rule": "critical_ticket", "status": "active"}
    while time.perf_counter() - t0 < 60:
        found = await client.get("/api/v1/alerts", params=params)
        if found.json()["total"] > 0:
            return time.perf_counter() - t0
        await asyncio.sleep(0.05)
    raise RuntimeError(f"no critical_ticket alert for {external_id} within 60 s")


async def bench_signal_to_queue(dsn: str, env: dict[str, str], key: str, probes: int = 40) -> dict[str, Any]:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            """
            SELECT a.id::text, a.external_id FROM account a
            JOIN account_health h ON h.account_id = a.id
            WHERE a.status = 'active' AND h.health_score IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM alert al WHERE al.account_id = a.id AND al.rule = 'critical_ticket'
                              AND al.status <> 'resolved')
            ORDER BY md5(a.id::text) LIMIT $1
            """,
            probes,
        )
        background = [r["external_id"] for r in await conn.fetch("SELECT external_id FROM account LIMIT 5000")]
    finally:
        await conn.close()
    port = 18767
    api = await start_api(env, port)
    worker = start_worker(env)
    latencies: list[float] = []
    try:
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port}",
            timeout=60,
            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        ) as client:
            stop = asyncio.Event()
            load = asyncio.create_task(_background(client, background, stop))
            # let the background load reach its steady state: the first rescore of the day for
            # each of the 5,000 accounts it touches evaluates that account's alerts for the first time
            await asyncio.sleep(WARM_UP_SECONDS)
            started = time.perf_counter()
            for n, row in enumerate(rows):
                latencies.append(await _probe(client, row["id"], row["external_id"], n))
                await asyncio.sleep(0.3)
            stop.set()
            sent = await load
            seconds = time.perf_counter() - started + WARM_UP_SECONDS
    finally:
        stop_api(api)
        worker.terminate()
        worker.wait(timeout=30)
    latencies.sort()
    return {
        "probes": len(latencies),
        "p50_s": statistics.median(latencies),
        "p95_s": latencies[int(0.95 * len(latencies)) - 1],
        "max_s": latencies[-1],
        "latencies_s": [round(x, 3) for x in latencies],
        "background_events_per_s": sent / seconds,
    }
