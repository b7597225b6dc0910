"""A demo book loaded, then its revenue and renewals derived (what ``tempo demo-data`` and
``tempo up`` do before anything is scored)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import asyncpg

from app.core.config import get_settings
from app.core.db import dispose_engine, unit_of_work
from app.core.models import utcnow
from app.demo import DemoParams, DemoSummary, load_demo_data
from app.flows.revenue_rebuild import rebuild_book


def _asyncpg_dsn() -> str:
    return get_settings().async_database_url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def rebuild_revenue() -> int:
    """The revenue engine and renewals over the whole book, in its own unit of work."""
    try:
        async with unit_of_work() as session:
            return await rebuild_book(session)
    finally:
        await dispose_engine()


async def load(
    accounts: int,
    months: int,
    seed: int,
    replace: bool,
    progress: Callable[[str, int, int], None] | None = None,
) -> DemoSummary:
    """Generate and bulk-load the book (ending yesterday, UTC, so no signal lies in the
    future), then derive its revenue and renewals."""
    conn = await asyncpg.connect(_asyncpg_dsn())
    try:
        params = DemoParams(accounts=accounts, months=months, seed=seed, end_date=utcnow().date() - timedelta(days=1))
        summary = await load_demo_data(conn, params, progress=progress, replace=replace)
    finally:
        await conn.close()
    await rebuild_revenue()
    return summary
