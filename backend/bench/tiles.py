"""Tiles at full size: the embed route (JSON and the iframe document) with an embed token, the
same tile through GraphQL, and the statements one nested GraphQL query over 50 accounts costs.

Latency: a separate ``tempo serve --workers 2`` process, concurrency 16 on loopback (wrk when
installed), like the book. Statements: the app in this process (httpx's ASGI transport), every
statement the engine sends counted while the query runs, for 10 and for 50 accounts: the two
counts are equal when every relation is batched.
"""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any

import asyncpg
import httpx
from sqlalchemy import event

from bench import wrk

KINDS = ("health", "quadrant", "renewal", "usage_trend")
TILE_FIELDS = "title value display unit band color reason computedAt link state trend { date value }"
GRAPHQL_TILE = (
    "query Tile($id: UUID!) { account(id: $id) { id healthTile { " + TILE_FIELDS + " } } }"
)  # one tile, as a host that speaks GraphQL asks for it


def _plain(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _keys() -> tuple[str, str]:
    from app.auth import service
    from app.core.db import dispose_engine, unit_of_work
    from app.core.enums import Role

    async with unit_of_work() as session:
        _, admin = await service.create_api_key(session, name="bench-embed", role=Role.admin)
        _, viewer = await service.create_api_key(session, name="bench-graphql", role=Role.viewer)
    await dispose_engine()
    return admin, viewer


async def _summary(client: httpx.AsyncClient, requests: list[tuple[str, str]], concurrency: int) -> dict[str, float]:
    from bench.run import _latencies
    from bench.run import _summary as summarise

    return summarise(await _latencies(client, requests, concurrency))


async def _measure(base: str, runs: dict[str, tuple[str, list[tuple[str, str]]]], concurrency: int) -> dict[str, Any]:
    """Each run at ``concurrency`` (wrk when installed) and with one client, after one pass over
    its distinct requests (every tile read once: the steady state a host page sees)."""
    out: dict[str, Any] = {}
    for name, (key, reqs) in runs.items():
        async with httpx.AsyncClient(
            base_url=base,
            headers={"Authorization": f"Bearer {key}"},
            limits=httpx.Limits(max_connections=concurrency),
            timeout=60,
        ) as client:
            await _summary(client, list(dict.fromkeys(reqs)), concurrency)  # warm-up, and each answers
            if wrk.available():
                lines = [f"{p}\t{b}" if b else p for p, b in reqs]
                out[name] = await asyncio.to_thread(wrk.run, base, key, lines, concurrency, 20)
            else:
                out[name] = await _summary(client, reqs, concurrency)
            out[f"{name}_c1"] = await _summary(client, reqs[:200], 1)
    return out


async def bench_tile_latency(concurrency: int = 16, requests: int = 800) -> dict[str, Any]:
    from bench.ingest import start_api, stop_api

    admin, viewer = await _keys()
    conn = await asyncpg.connect(_plain(os.environ["DATABASE_URL"]))
    try:
        ids = [str(r[0]) for r in await conn.fetch("SELECT id FROM account ORDER BY md5(id::text) LIMIT 100")]
    finally:
        await conn.close()
    env = {
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "REDIS_URL": os.environ["REDIS_URL"],
        # a load test spends far more than a person's GraphQL budget: this one measures latency
        "TEMPO_GRAPHQL_POINTS_PER_MINUTE": str(10**9),
    }
    json_paths = [(f"/embed/tiles/{KINDS[i % 4]}/{ids[i % len(ids)]}?format=json", "") for i in range(requests)]
    html_paths = [(f"/embed/tiles/{KINDS[i % 4]}/{ids[i % len(ids)]}?format=html", "") for i in range(requests)]
    graphql = [
        ("/graphql", json.dumps({"query": GRAPHQL_TILE, "variables": {"id": ids[i % len(ids)]}}))
        for i in range(requests)
    ]
    out: dict[str, Any] = {"client": "wrk" if wrk.available() else "httpx"}
    # the API as configured (tiles and token checks reused for TEMPO_EMBED_CACHE_SECONDS), then
    # with that cache off: what every request costs when nothing is reused
    for port, extra, suffix in ((18767, {}, ""), (18768, {"TEMPO_EMBED_CACHE_SECONDS": "0"}, "_uncached")):
        base = f"http://127.0.0.1:{port}"
        proc = await start_api(env | extra, port)
        try:
            async with httpx.AsyncClient(base_url=base, timeout=60) as plain:
                issued = await plain.post(
                    "/api/v1/embed-tokens",
                    json={"tiles": list(KINDS), "account_ids": ids, "origins": ["https://host.example"]},
                    headers={"Authorization": f"Bearer {admin}"},
                )
                issued.raise_for_status()
            token = issued.json()["token"]
            runs = {f"tile_json{suffix}": (token, json_paths), f"tile_html{suffix}": (token, html_paths)}
            if not suffix:
                runs["graphql_tile"] = (viewer, graphql)
            out |= await _measure(base, runs, concurrency)
        finally:
            stop_api(proc)
    return out


async def statements_for(first: int) -> int:
    """Statements the engine sends while one nested query over ``first`` accounts runs."""
    from app.auth import service
    from app.core.db import dispose_engine, get_engine, unit_of_work
    from app.core.enums import Role
    from app.graphql.queries import NESTED_ACCOUNTS_QUERY
    from app.main import create_app

    async with unit_of_work() as session:
        _, key = await service.create_api_key(session, name=f"bench-statements-{first}", role=Role.admin)
    transport = httpx.ASGITransport(app=create_app(spa_dist=None))
    seen: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    async with httpx.AsyncClient(transport=transport, base_url="http://tempo.bench") as client:
        body = {"query": NESTED_ACCOUNTS_QUERY, "variables": {"first": first}}
        headers = {"Authorization": f"Bearer {key}"}
        (await client.post("/graphql", json=body, headers=headers)).raise_for_status()  # warm caches
        engine = get_engine().sync_engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            answer = await client.post("/graphql", json=body, headers=headers)
        finally:
            event.remove(engine, "before_cursor_execute", count)
    result = answer.json()
    if result.get("errors"):
        raise RuntimeError(result["errors"])
    await dispose_engine()
    return len(seen)


async def bench_tiles() -> dict[str, Any]:
    out = await bench_tile_latency()
    out["statements"] = {"10": await statements_for(10), "50": await statements_for(50)}
    return out
