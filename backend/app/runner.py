"""``tempo up`` / ``make run``: one process serving API, SPA and worker on one URL, after
finding (or embedding) PostgreSQL and Redis, migrating, and loading the demo book once."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys

import app.models  # noqa: F401  (every table known before the demo load and first scores touch the ORM)
from app.core.config import get_settings
from app.core.services import resolve, stop_embedded


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _progress(table: str, done: int, total: int) -> None:
    pct = f"{100 * done / total:5.1f}%" if total else ""
    _say(f"  {table:<22} {done:>12,} rows {pct}")


async def _serve(host: str, port: int) -> None:
    import uvicorn

    from app.core.db import dispose_engine
    from app.core.supervise import WorkerSupervisor
    from app.main import create_app
    from app.worker import worker_settings

    # proxy_headers=False: the client's address and scheme come from app.core.proxy (trusted_proxies).
    config = uvicorn.Config(
        create_app(), host=host, port=port, log_level="warning", log_config=None, proxy_headers=False
    )
    server = uvicorn.Server(config)
    # the worker runs under the supervisor: restarted (with backoff) whatever ends it, and
    # its heartbeat tells /readyz whether it polls
    supervisor = WorkerSupervisor(worker_settings())
    worker_task = asyncio.create_task(supervisor.run())
    try:
        await server.serve()
    finally:
        supervisor.stop()
        await worker_task
        await dispose_engine()


def run_all_in_one(host: str, port: int, demo_accounts: int) -> None:
    from app.core.db import dispose_engine
    from app.core.jobs import close_pool
    from app.core.migrate import current_revision, needs_rederive, upgrade
    from app.demo.login import DEMO_EMAIL, DEMO_PASSWORD, DemoLogins, account_count, demo_logins, ensure_demo_admin
    from app.flows import demo_book, scoring_pass

    settings = get_settings()
    services = resolve("run", settings.data_dir)
    os.environ["DATABASE_URL"] = services.database_url
    os.environ["REDIS_URL"] = services.redis_url
    # links Tempo writes (tiles, emails, digests) point at this server unless told otherwise
    if "public_url" not in settings.model_fields_set:
        os.environ["TEMPO_PUBLIC_URL"] = f"http://{host}:{port}"
    get_settings.cache_clear()
    if services.embedded:
        _say(f"embedded {', '.join(services.embedded)} under {settings.data_dir}")
    _say("migrating database ...")
    before = current_revision(services.database_url)
    upgrade(services.database_url)

    logins = DemoLogins()

    async def prepare() -> None:
        nonlocal logins
        try:
            if await account_count() == 0:
                _say(f"loading demo data ({demo_accounts:,} accounts x 18 months) ...")
                await demo_book.load(demo_accounts, 18, 42, False, progress=_progress)
            elif needs_rederive(before):
                _say("deriving revenue and renewals again under the new definitions ...")
                await demo_book.rebuild_revenue()
            await ensure_demo_admin(DEMO_EMAIL, DEMO_PASSWORD)
            logins = await demo_logins(DEMO_PASSWORD)
            history = await scoring_pass.start_history("tempo up")
            if history:
                _say(f"scored today; scoring the book's history in the background (run {history})")
        finally:
            # both are bound to this event loop; the server runs on a new one
            await close_pool()
            await dispose_engine()

    asyncio.run(prepare())
    url = f"http://{host}:{port}"
    _say("")
    _say(f"  Tempo is running at {url}")
    _say(f"  sign in as {DEMO_EMAIL} / {DEMO_PASSWORD}")
    if logins.csm:
        _say(f"  or as a CSM with a book of their own: {logins.csm} / {DEMO_PASSWORD}")
    if logins.leader:
        _say(f"  or as their team lead: {logins.leader} / {DEMO_PASSWORD}")
    _say("  (Ctrl+C to stop)")
    _say("")
    # uvicorn re-raises SIGTERM after its graceful shutdown; turn it into a normal exit
    # so the embedded PostgreSQL and Redis are stopped below instead of orphaned.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(_serve(host, port))
    finally:
        stop_embedded(services)
