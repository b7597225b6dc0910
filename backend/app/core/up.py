"""``tempo up`` / ``make run``: one process serving API, SPA and worker on one URL."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys

from sqlalchemy import func, select

from app.core.config import get_settings
from app.core.services import resolve, stop_embedded


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


async def _ensure_demo_login(email: str, password: str) -> None:
    from app.auth import repository, service
    from app.core.db import unit_of_work
    from app.core.enums import Role

    async with unit_of_work() as session:
        if await repository.user_by_email(session, email) is None:
            await service.create_user(
                session, email=email, role=Role.admin, name="Demo Admin", password=password, actor="cli"
            )


async def _demo_csm_login(password: str) -> str | None:
    """The CSM owning the most active accounts, with the demo password (set once, when the
    demo user has none), so a new user can also see Tempo as a CSM sees it: their own book."""
    from sqlalchemy import text

    from app.auth.security import hash_password
    from app.core.db import unit_of_work

    async with unit_of_work() as session:
        row = (
            await session.execute(
                text(
                    """
                    SELECT u.id, u.email, u.password_hash FROM "user" u JOIN account a ON a.owner_id = u.id
                    WHERE u.role = 'csm' AND u.is_active AND a.status = 'active'
                    GROUP BY u.id ORDER BY count(*) DESC, u.email LIMIT 1
                    """
                )
            )
        ).first()
        if row is None:
            return None
        if row.password_hash is None:
            await session.execute(
                text('UPDATE "user" SET password_hash = :h WHERE id = :id'),
                {"h": hash_password(password), "id": row.id},
            )
        return str(row.email)


async def _account_count() -> int:
    from app.accounts.models import Account
    from app.core.db import unit_of_work

    async with unit_of_work() as session:
        return int(await session.scalar(select(func.count()).select_from(Account)) or 0)


async def _serve(host: str, port: int) -> None:
    import uvicorn
    from arq.worker import Worker

    from app.core.db import dispose_engine
    from app.main import create_app
    from app.worker import worker_settings

    server = uvicorn.Server(uvicorn.Config(create_app(), host=host, port=port, log_level="warning"))
    settings_cls = worker_settings()
    kwargs = {k: v for k, v in vars(settings_cls).items() if not k.startswith("__")}
    worker = Worker(**kwargs, handle_signals=False)
    worker_task = asyncio.create_task(worker.async_run())
    try:
        await server.serve()
    finally:
        worker_task.cancel()
        await worker.close()
        await dispose_engine()


def run_all_in_one(host: str, port: int, demo_accounts: int) -> None:
    from app.cli import DEMO_EMAIL, DEMO_PASSWORD, _load_demo
    from app.core.db import dispose_engine
    from app.core.migrate import upgrade
    from app.scoring.runs import start_history

    settings = get_settings()
    services = resolve("run", settings.data_dir)
    os.environ["DATABASE_URL"] = services.database_url
    os.environ["REDIS_URL"] = services.redis_url
    get_settings.cache_clear()
    if services.embedded:
        _say(f"embedded {', '.join(services.embedded)} under {settings.data_dir}")
    _say("migrating database ...")
    upgrade(services.database_url)

    csm_email: str | None = None

    async def prepare() -> None:
        nonlocal csm_email
        try:
            if await _account_count() == 0:
                _say(f"loading demo data ({demo_accounts:,} accounts x 18 months) ...")
                await _load_demo(demo_accounts, 18, 42, False)
            await _ensure_demo_login(DEMO_EMAIL, DEMO_PASSWORD)
            csm_email = await _demo_csm_login(DEMO_PASSWORD)
            history = await start_history("tempo up")
            if history:
                _say(f"scored today; scoring the book's history in the background (run {history})")
        finally:
            await dispose_engine()

    asyncio.run(prepare())
    url = f"http://{host}:{port}"
    _say("")
    _say(f"  Tempo is running at {url}")
    _say(f"  sign in as {DEMO_EMAIL} / {DEMO_PASSWORD}")
    if csm_email:
        _say(f"  or as a CSM with a book of their own: {csm_email} / {DEMO_PASSWORD}")
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
