"""``make bench``: measure the budgets of DESIGN section 15 that exist so far and write
``BENCHMARKS.md``. Uses the configured/local/embedded PostgreSQL like the tests, in a
throwaway database.

Measured now: ingest throughput, demo data for 20,000 accounts x 18 months (generate +
COPY), the full rescore of that book for one day against a DuckDB reference, and the book
API (filter language + sort, 50 rows), the account picture and the leadership metrics at that
size, p50/p95 over concurrency 16 on loopback, and signal-to-queue latency. ``BENCH_DATABASE_URL`` reuses an already loaded and scored
database for the API part (no demo load, nothing dropped).
"""

from __future__ import annotations

import asyncio
import os
import platform
import statistics
import sys
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx

import app.models  # noqa: F401  (ORM models for the scoring run)
from app.core.config import REPO_ROOT, get_settings
from app.core.migrate import upgrade
from app.core.services import resolve
from bench import wrk

ACCOUNTS = int(os.environ.get("BENCH_ACCOUNTS", "20000"))
MONTHS = int(os.environ.get("BENCH_MONTHS", "18"))


def _dsn(url: str, database: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql", database=database).render_as_string(hide_password=False)


async def _recreate(admin_dsn: str, name: str) -> None:
    conn = await asyncpg.connect(admin_dsn)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def bench_demo_load(dsn: str) -> dict[str, Any]:
    from app.demo import DemoParams, load_demo_data

    conn = await asyncpg.connect(dsn)
    try:
        started = time.perf_counter()
        summary = await load_demo_data(
            conn,
            DemoParams(
                accounts=ACCOUNTS, months=MONTHS, seed=42, end_date=datetime.now(UTC).date() - timedelta(days=1)
            ),
        )
        seconds = time.perf_counter() - started
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    # what `tempo demo-data` does next: the revenue engine over the whole book
    from app.core.db import dispose_engine, unit_of_work
    from app.flows.revenue_rebuild import rebuild_book

    started = time.perf_counter()
    async with unit_of_work() as session:
        movements = await rebuild_book(session)
    revenue_seconds = time.perf_counter() - started
    await dispose_engine()
    return {"seconds": seconds, "rows": summary.rows, "revenue_seconds": revenue_seconds, "movements": movements}


BOOK_FILTERS = [
    None,
    "segment=SMB",
    "renewal_in<=60 band=at_risk qbr>90",
    "health<70 renewal_in<90",
    "arr>50k health<60",
    "usage_change<-30%",
    "quadrant=churn_risk,frustrated_power_users",
    "owner=none",
]
BOOK_SORTS = ["-arr", "name", "-health_score", "renewal_date", "last_qbr_on"]


async def _latencies(
    client: httpx.AsyncClient, paths: Sequence[str | tuple[str, str]], concurrency: int
) -> list[float]:
    """Each request's latency, sorted; a ``(path, JSON body)`` is POSTed, and an answer with
    GraphQL ``errors`` fails like an HTTP error."""
    sem = asyncio.Semaphore(concurrency)
    out: list[float] = []

    async def one(request: str | tuple[str, str]) -> None:
        path, body = (request, "") if isinstance(request, str) else request
        async with sem:
            t = time.perf_counter()
            if body:
                r = await client.post(path, content=body, headers={"Content-Type": "application/json"})
            else:
                r = await client.get(path)
            out.append(time.perf_counter() - t)
            r.raise_for_status()
            if body and "errors" in r.json():
                raise RuntimeError(r.text)

    await asyncio.gather(*(one(p) for p in paths))
    return sorted(out)


def _summary(latencies: list[float]) -> dict[str, float]:
    return {
        "requests": float(len(latencies)),
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * latencies[int(0.95 * len(latencies)) - 1],
    }


async def bench_api(requests: int = 800, concurrency: int = 16) -> dict[str, dict[str, float]]:
    """The book (filter language + sort, 50 rows) and the account picture at full size,
    through a separate ``tempo serve --workers 2`` process, concurrency 16 on loopback."""
    from urllib.parse import urlencode

    from app.auth import service
    from app.core.db import dispose_engine, unit_of_work
    from app.core.enums import Role
    from bench.ingest import start_api, stop_api

    async with unit_of_work() as session:
        _, key = await service.create_api_key(session, name="bench", role=Role.viewer)
    conn = await asyncpg.connect(_plain_dsn(os.environ["DATABASE_URL"]))
    try:
        ids = [str(r[0]) for r in await conn.fetch("SELECT id FROM account ORDER BY md5(id::text) LIMIT 400")]
    finally:
        await conn.close()
    await dispose_engine()
    book_paths = []
    for i in range(requests):
        params: dict[str, Any] = {"sort": BOOK_SORTS[i % 5], "page": 1 + i % 10, "page_size": 50}
        if flt := BOOK_FILTERS[(i // 5) % len(BOOK_FILTERS)]:
            params["filter"] = flt
        book_paths.append("/api/v1/accounts?" + urlencode(params))
    picture_paths = [f"/api/v1/accounts/{ids[i % len(ids)]}" for i in range(requests)]
    leadership_paths = []
    for i in range(requests):
        if i % 4 == 3:
            leadership_paths.append("/api/v1/metrics/summary")
            continue
        params = {"interval": ("month", "quarter", "ttm")[i % 3]}
        if segment := (None, "SMB", "Mid-Market", "Enterprise")[(i // 3) % 4]:
            params["segment"] = segment
        leadership_paths.append("/api/v1/metrics/retention?" + urlencode(params))
    port = 18765
    base = f"http://127.0.0.1:{port}"
    proc = await start_api({"DATABASE_URL": os.environ["DATABASE_URL"], "REDIS_URL": os.environ["REDIS_URL"]}, port)
    try:
        async with httpx.AsyncClient(
            base_url=base,
            headers={"Authorization": f"Bearer {key}"},
            limits=httpx.Limits(max_connections=concurrency),
            timeout=60,
        ) as client:
            await _latencies(client, book_paths[:50] + picture_paths[:50], concurrency)  # warm-up
            if wrk.available():
                out = {
                    "book": await asyncio.to_thread(wrk.run, base, key, book_paths, concurrency, 20),
                    "picture": await asyncio.to_thread(wrk.run, base, key, picture_paths, concurrency, 20),
                    "leadership": await asyncio.to_thread(wrk.run, base, key, leadership_paths, concurrency, 20),
                    "client": {"wrk": 1.0},
                }
            else:
                out = {
                    "book": _summary(await _latencies(client, book_paths, concurrency)),
                    "picture": _summary(await _latencies(client, picture_paths, concurrency)),
                    "leadership": _summary(await _latencies(client, leadership_paths, concurrency)),
                    "client": {"httpx": 1.0},
                }
            # one client at a time: the service time itself, without queueing
            out["book_c1"] = _summary(await _latencies(client, book_paths[:200], 1))
            out["picture_c1"] = _summary(await _latencies(client, picture_paths[:200], 1))
            out["leadership_c1"] = _summary(await _latencies(client, leadership_paths[:200], 1))
    finally:
        stop_api(proc)
    return out


def _plain_dsn(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _ingest_setup(dsn: str, accounts: int) -> tuple[list[str], str]:
    from app.auth import service
    from app.core.db import dispose_engine, unit_of_work
    from app.core.enums import Role

    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(
            "INSERT INTO account (external_id, name) SELECT 'bench-' || g, 'Bench ' || g FROM generate_series(1, $1) g",
            accounts,
        )
    finally:
        await conn.close()
    async with unit_of_work() as session:
        _, key = await service.create_api_key(session, name="bench-ingest", role=Role.admin)
    await dispose_engine()
    return [f"bench-{i}" for i in range(1, accounts + 1)], key


def bench_ingest(admin_dsn: str, redis_url: str) -> dict[str, Any]:
    from bench.ingest import api_throughput, copy_throughput, make_batches

    name = f"tempo_bench_ingest_{uuid.uuid4().hex[:6]}"
    asyncio.run(_recreate(admin_dsn, name))
    dsn = admin_dsn.rsplit("/", 1)[0] + f"/{name}"
    try:
        upgrade(dsn)
        os.environ["DATABASE_URL"] = dsn
        get_settings.cache_clear()
        accounts, key = asyncio.run(_ingest_setup(dsn, 1000))
        batches = make_batches(accounts, int(os.environ.get("BENCH_INGEST_BATCHES", "200")))
        api = asyncio.run(api_throughput({"DATABASE_URL": dsn, "REDIS_URL": redis_url}, key, batches))
        copy = asyncio.run(copy_throughput(dsn, batches))
    finally:
        asyncio.run(_drop(admin_dsn, name))
    return {"api": api, "copy": copy}


def _run_signal(results: dict[str, Any]) -> None:
    from app.auth import service
    from app.core.db import dispose_engine, unit_of_work
    from app.core.enums import Role
    from bench.signal import bench_signal_to_queue

    async def admin_key() -> str:
        async with unit_of_work() as session:
            _, key = await service.create_api_key(session, name="bench-signal", role=Role.admin)
        await dispose_engine()
        return key

    print("signal to queue under 1,000 events/s ...", file=sys.stderr)
    url = os.environ["DATABASE_URL"]
    env = {
        "DATABASE_URL": url,
        "REDIS_URL": os.environ["REDIS_URL"],
        "TEMPO_ARQ_QUEUE_NAME": f"tempo:bench:{uuid.uuid4()}",
    }
    results["signal"] = asyncio.run(bench_signal_to_queue(_plain_dsn(url), env, asyncio.run(admin_key())))
    r = results["signal"]
    print(f"  p50 {r['p50_s']:.2f} s, p95 {r['p95_s']:.2f} s over {r['probes']} probes", file=sys.stderr)
    print(f"  all: {r['latencies_s']}", file=sys.stderr)


def _run_api(results: dict[str, Any]) -> None:
    print("book and account picture at full size ...", file=sys.stderr)
    results["api"] = asyncio.run(bench_api())
    for name, r in results["api"].items():
        if "p50_ms" in r:
            print(f"  {name}: p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms", file=sys.stderr)


def _run_tiles(results: dict[str, Any]) -> None:
    from bench.tiles import bench_tiles

    print("tiles: embed route and GraphQL ...", file=sys.stderr)
    results["tiles"] = asyncio.run(bench_tiles())
    for name, r in results["tiles"].items():
        if isinstance(r, dict) and "p50_ms" in r:
            print(f"  {name}: p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms", file=sys.stderr)
    print(f"  statements for the nested query: {results['tiles']['statements']}", file=sys.stderr)


def main() -> int:
    which = set(os.environ.get("BENCH", "demo,book,ingest,rescore,signal,tiles").split(","))
    services = resolve("test", REPO_ROOT / ".data" / "bench")
    admin = _dsn(services.database_url, "postgres")
    os.environ["REDIS_URL"] = services.redis_url
    results: dict[str, Any] = {}
    if "ingest" in which:
        print("ingest throughput ...", file=sys.stderr)
        results["ingest"] = bench_ingest(admin, services.redis_url)
        api = results["ingest"]["api"]
        print(
            f"  API {api['events_per_s']:,.0f} events/s; COPY {results['ingest']['copy']['events_per_s']:,.0f}/s",
            file=sys.stderr,
        )
    if reuse := os.environ.get("BENCH_DATABASE_URL"):
        # API latencies on a database already loaded and scored (e.g. by `tempo demo-data` + `tempo score`)
        os.environ["DATABASE_URL"] = reuse
        get_settings.cache_clear()
        which -= {"demo", "rescore"}
        if "book" in which:
            _run_api(results)
            which.discard("book")
        if "tiles" in which:
            _run_tiles(results)
            which.discard("tiles")
        if "signal" in which:
            _run_signal(results)
            which.discard("signal")
    if which & {"demo", "book", "rescore", "signal", "tiles"}:
        name = f"tempo_bench_{uuid.uuid4().hex[:6]}"
        asyncio.run(_recreate(admin, name))
        dsn = _dsn(services.database_url, name)
        try:
            upgrade(dsn)
            os.environ["DATABASE_URL"] = dsn
            get_settings.cache_clear()
            print(f"loading demo data: {ACCOUNTS:,} accounts x {MONTHS} months ...", file=sys.stderr)
            results["demo"] = asyncio.run(bench_demo_load(dsn))
            print(f"  {results['demo']['seconds']:.1f} s", file=sys.stderr)
            if "rescore" in which:
                from bench.rescore import bench_rescore

                as_of = datetime.now(UTC).date() - timedelta(days=1)
                print(f"full rescore for {as_of} and the DuckDB reference ...", file=sys.stderr)
                results["rescore"] = asyncio.run(bench_rescore(dsn, as_of))
                r = results["rescore"]
                print(
                    f"  {r['two_workers']['seconds']:.1f} s (2 workers), DuckDB {r['duckdb_seconds']:.2f} s, "
                    f"max |diff| {r['agreement']['max_abs_diff']:.1e}",
                    file=sys.stderr,
                )
            if "book" in which:
                _run_api(results)
            if "tiles" in which:
                _run_tiles(results)
            if "signal" in which:
                _run_signal(results)
        finally:
            asyncio.run(_drop(admin, name))
    write_report(results)
    return 0


async def _drop(admin_dsn: str, name: str) -> None:
    conn = await asyncpg.connect(admin_dsn)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def write_report(results: dict[str, Any]) -> None:
    sections = [
        f"""# Benchmarks

Produced by `make bench` (`cd backend && python -m bench.run`; `BENCH=ingest` runs one part)
on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()}, {os.cpu_count()} cores,
Python {platform.python_version()}, PostgreSQL on the same host. This machine is shared, so
compare figures within one run (hence the ratios) rather than across runs.
"""
    ]
    if "ingest" in results:
        api, copy = results["ingest"]["api"], results["ingest"]["copy"]
        sections.append(f"""## Ingest through the API (budget: >= 25,000 events/s)

{api["events"]:,} events in batches of 1,000 from 4 concurrent clients to
`POST /api/v1/ingest/events`, one API process (`tempo serve`), 1,000 accounts, 25 users
each, 6 features, 30 days. Each call answers after commit: raw events deduplicated,
daily rollups, user-activity bitmasks and distinct-user recounts written.

| path | events/s | time | p95 per batch |
|---|---|---|---|
| API ingest | {api["events_per_s"]:,.0f} | {api["seconds"]:.1f} s | {api["p95_batch_ms"]:.0f} ms |
| plain COPY of the same rows into an unindexed copy of usage_event | {copy["events_per_s"]:,.0f} | {copy["seconds"]:.1f} s | |

API ingest runs at **{api["events_per_s"] / copy["events_per_s"]:.0%}** of the plain COPY rate.
""")
    if "demo" in results:
        demo = results["demo"]
        rows = "\n".join(f"| {table} | {count:,} |" for table, count in demo["rows"].items())
        total = sum(demo["rows"].values())
        sections.append(f"""## Demo data: {ACCOUNTS:,} accounts x {MONTHS} months (budget: <= 180 s)

Generated and bulk-loaded with COPY in **{demo["seconds"]:.1f} s** ({total:,} rows,
{total / demo["seconds"]:,.0f} rows/s); then the revenue engine over the whole book (what
`tempo demo-data` does next: {demo["movements"]:,} ARR movements, monthly ARR and period
rollups) in {demo["revenue_seconds"]:.1f} s, **{demo["seconds"] + demo["revenue_seconds"]:.1f} s** in all.

| table | rows |
|---|---|
{rows}
""")
    if "api" in results:
        book, picture = results["api"]["book"], results["api"]["picture"]
        book1, picture1 = results["api"]["book_c1"], results["api"]["picture_c1"]
        lead, lead1 = results["api"]["leadership"], results["api"]["leadership_c1"]
        client = (
            "wrk (20 s each, 2 threads)"
            if "wrk" in results["api"]["client"]
            else "httpx, sharing the same 2 cores (install wrk for server-only figures)"
        )
        filters = ", ".join(f"`{f}`" for f in BOOK_FILTERS if f)
        sections.append(f"""## Book and account picture at {ACCOUNTS:,} accounts (budget: p95 <= 50 ms each)

Concurrency 16 over loopback with {client}; API in its own process (`tempo serve --workers 2`),
after 100 warm-up requests, on the scored demo book ({int(book["requests"]):,} book and
{int(picture["requests"]):,} picture requests).

- Book: `GET /api/v1/accounts`, 50 rows, pages 1-10, sorts {", ".join(BOOK_SORTS)}, with no filter
  or one of {filters}.
- Account picture: `GET /api/v1/accounts/{{id}}` (everything of DESIGN §10 in one call) for 400
  different accounts.
- Leadership metrics: `GET /api/v1/metrics/retention` (18 months; month, quarter or TTM; all or
  one segment) and `GET /api/v1/metrics/summary`, over 18 months of history.

| endpoint | p50 (c16) | p95 (c16) | p50 (one client) | p95 (one client) |
|---|---|---|---|---|
| book | {book["p50_ms"]:.1f} ms | **{book["p95_ms"]:.1f} ms** | {book1["p50_ms"]:.1f} ms | {book1["p95_ms"]:.1f} ms |
| account picture | {picture["p50_ms"]:.1f} ms | **{picture["p95_ms"]:.1f} ms** | {picture1["p50_ms"]:.1f} ms | {picture1["p95_ms"]:.1f} ms |
| leadership metrics (budget p95 <= 200 ms) | {lead["p50_ms"]:.1f} ms | **{lead["p95_ms"]:.1f} ms** | {lead1["p50_ms"]:.1f} ms | {lead1["p95_ms"]:.1f} ms |

At concurrency 16 on two cores, a p95 of 50 ms leaves about 6 ms of CPU per request for the
API and PostgreSQL together; the one-client columns (httpx, 200 requests) are the service
time itself.
""")
    if "rescore" in results:
        r = results["rescore"]
        one, two, agree = r["one_worker"], r["two_workers"], r["agreement"]
        exported = ", ".join(f"{k} {v:,}" for k, v in r["export_rows"].items())
        sections.append(f"""## Full rescore of {ACCOUNTS:,} accounts for one day (budget: <= 10 s)

A scoring run for {r["as_of"]} over the whole demo book: shards claimed, every component read
set-based, scores computed, {two["snapshots"]:,} snapshots (accounts that were customers
that day), quadrant moves and current health written and committed.

| path | time | ratio to DuckDB |
|---|---|---|
| Tempo, 2 workers ({two["shards"]} shards) | **{two["seconds"]:.1f} s** | {two["seconds"] / r["duckdb_seconds"]:.1f}x |
| Tempo, 1 worker | {one["seconds"]:.1f} s | {one["seconds"] / r["duckdb_seconds"]:.1f}x |
| DuckDB reference (same formulas, in-memory, compute only) | {r["duckdb_seconds"]:.2f} s | 1x |

The reference (`backend/bench/rescore.py`) is a separate implementation of DESIGN §6 in
DuckDB SQL over the same rows exported from PostgreSQL ({r["export_seconds"]:.0f} s to export,
not counted: {exported}). Agreement with Tempo's stored snapshots: {agree["accounts"]:,} vs
{agree["reference_accounts"]:,} accounts, {agree["mismatched"]} mismatched, largest difference in
health score or either axis {agree["max_abs_diff"]:.1e}.
""")
    if "signal" in results:
        r = results["signal"]
        sections.append(f"""## Signal to queue (budget: p95 <= 2 s)

API and worker in their own processes (`tempo serve --workers 2`, `tempo worker`) on the scored
book, with {r["background_events_per_s"]:,.0f} live usage events/s of background load through
`POST /api/v1/ingest/events` over 5,000 accounts (20 s of it before the first probe). Each of {r["probes"]} probes sends a P1 ticket opened 30 hours ago
for a customer and polls `GET /api/v1/alerts` every 50 ms until its `critical_ticket` alert is
there (the rescore writes health, alert and so the queue's input in one commit). The book was
last scored for yesterday, so each account the background touches is evaluated for the first
time today (alerts opened, plays started): the morning before the daily run, the heaviest case.

| p50 | p95 | max |
|---|---|---|
| {r["p50_s"]:.2f} s | **{r["p95_s"]:.2f} s** | {r["max_s"]:.2f} s |
""")
    if "tiles" in results:
        t = results["tiles"]
        client = "wrk (20 s each, 2 threads)" if t["client"] == "wrk" else "httpx, sharing the same 2 cores"
        rows = "\n".join(
            f"| {label} | {t[name]['p50_ms']:.1f} ms | **{t[name]['p95_ms']:.1f} ms** | "
            f"{t[name + '_c1']['p50_ms']:.1f} ms | {t[name + '_c1']['p95_ms']:.1f} ms |"
            for name, label in (
                ("tile_json", "`GET /embed/tiles/{kind}/{id}` JSON, embed token"),
                ("tile_html", "`GET /embed/tiles/{kind}/{id}` iframe document, embed token"),
                ("tile_json_uncached", "the same JSON with `TEMPO_EMBED_CACHE_SECONDS=0`"),
                ("tile_html_uncached", "the same iframe document with `TEMPO_EMBED_CACHE_SECONDS=0`"),
                ("graphql_tile", "GraphQL `account(id) { healthTile { ... } }`, API key"),
            )
        )
        st = t["statements"]
        sections.append(f"""## Tiles at {ACCOUNTS:,} accounts (budget: p95 <= 20 ms)

Concurrency 16 over loopback with {client}; API in its own process (`tempo serve --workers 2`)
on the scored demo book, cycling through 100 tiles (100 accounts, the four kinds) after one pass
over them. An embed request checks the token (signature; key in service, configuration active,
token not revoked: one query) and reads the tile (one query); each API process reuses both for
`TEMPO_EMBED_CACHE_SECONDS` (5 s), so in this steady state most requests read nothing from
PostgreSQL. The `=0` rows are a second API process with that reuse off: every request pays both
queries. The GraphQL query is not cached: sign-in, the account, the tile and cost accounting
run on every request.

| request | p50 (c16) | p95 (c16) | p50 (one client) | p95 (one client) |
|---|---|---|---|---|
{rows}

Statements for one GraphQL query over `accounts(first: N)` with every relation nested (health
and components, history, quadrant timeline, renewals, open alerts, tasks, notes, usage trend and
the four tiles; `app/graphql/queries.py`), sign-in check included: **{st["10"]} for 10
accounts, {st["50"]} for 50** (equal counts: no statement per account).
""")
    sections.append("""Not measured yet: SPA render time (its harness lands in a later release).
""")
    (REPO_ROOT / "BENCHMARKS.md").write_text("\n".join(sections))
    print(f"wrote {REPO_ROOT / 'BENCHMARKS.md'}", file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main())
