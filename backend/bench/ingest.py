"""Ingest throughput: events/s through ``POST /api/v1/ingest/events`` (batches of 1,000,
4 concurrent clients, API in its own process) and, for scale, a plain COPY of the same
rows into an unindexed copy of ``usage_event`` in the same run.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx

BATCH = 1000
CLIENTS = 4


def make_batches(accounts: list[str], batches: int, seed: int = 7) -> list[bytes]:
    rng = random.Random(seed)
    start = datetime.now(UTC) - timedelta(days=30)
    features = ["reports", "dashboards", "exports", "alerts", "api", "admin"]
    out = []
    n = 0
    for _ in range(batches):
        items = []
        for _ in range(BATCH):
            n += 1
            account = rng.choice(accounts)
            items.append(
                {
                    "id": f"bench-{n}",
                    "account": account,
                    "user_id": f"{account}-u{rng.randrange(25)}",
                    "event": "report.viewed",
                    "feature": rng.choice(features),
                    "timestamp": (start + timedelta(seconds=rng.randrange(30 * 86400))).isoformat(),
                    "duration_seconds": rng.randrange(5, 600),
                }
            )
        out.append(json.dumps({"items": items}).encode())
    return out


async def _wait_ready(url: str, proc: subprocess.Popen[bytes]) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(200):
            if proc.poll() is not None:
                raise RuntimeError("API process exited")
            try:
                if (await client.get(f"{url}/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("API did not start")


async def start_api(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(  # noqa: S603, ASYNC220 - our own CLI, started once
        [
            sys.executable,
            "-m",
            "app",
            "serve",
            "--port",
            str(port),
            "--workers",
            os.environ.get("BENCH_API_WORKERS", "2"),
        ],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    await _wait_ready(f"http://127.0.0.1:{port}", proc)
    return proc


def stop_api(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    proc.wait(timeout=10)


async def api_throughput(env: dict[str, str], key: str, batches: list[bytes], port: int = 18766) -> dict[str, float]:
    proc = await start_api(env, port)
    url = f"http://127.0.0.1:{port}"
    try:
        queue: asyncio.Queue[bytes] = asyncio.Queue()
        for body in batches:
            queue.put_nowait(body)
        latencies: list[float] = []
        accepted = 0

        async def client_loop() -> None:
            nonlocal accepted
            async with httpx.AsyncClient(
                base_url=url, timeout=60, headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
            ) as client:
                while not queue.empty():
                    body = queue.get_nowait()
                    t = time.perf_counter()
                    r = await client.post("/api/v1/ingest/events", content=body)
                    latencies.append(time.perf_counter() - t)
                    r.raise_for_status()
                    accepted += r.json()["accepted"]

        started = time.perf_counter()
        await asyncio.gather(*(client_loop() for _ in range(CLIENTS)))
        seconds = time.perf_counter() - started
    finally:
        stop_api(proc)
    latencies.sort()
    events = len(batches) * BATCH
    return {
        "events": events,
        "accepted": accepted,
        "seconds": seconds,
        "events_per_s": events / seconds,
        "p95_batch_ms": 1000 * latencies[int(0.95 * len(latencies)) - 1],
    }


async def copy_throughput(dsn: str, batches: list[bytes]) -> dict[str, float]:
    """COPY the same events (as rows) into an unindexed table shaped like usage_event."""
    conn = await asyncpg.connect(dsn)
    try:
        accounts = {r["external_id"]: r["id"] for r in await conn.fetch("SELECT external_id, id FROM account")}
        await conn.execute("CREATE TEMP TABLE usage_event_copy (LIKE usage_event INCLUDING DEFAULTS)")
        rows: list[tuple[Any, ...]] = []
        now = datetime.now(UTC)
        for body in batches:
            for item in json.loads(body)["items"]:
                rows.append(
                    (
                        item["id"],
                        accounts[item["account"]],
                        hash(item["user_id"]),
                        item["event"],
                        0,
                        datetime.fromisoformat(item["timestamp"]),
                        float(item["duration_seconds"]),
                        None,
                        now,
                    )
                )
        started = time.perf_counter()
        await conn.copy_records_to_table(
            "usage_event_copy",
            records=rows,
            columns=[
                "event_id",
                "account_id",
                "user_hash",
                "event",
                "feature_id",
                "occurred_at",
                "duration_seconds",
                "properties",
                "received_at",
            ],
        )
        seconds = time.perf_counter() - started
    finally:
        await conn.close()
    return {"events": len(rows), "seconds": seconds, "events_per_s": len(rows) / seconds}
