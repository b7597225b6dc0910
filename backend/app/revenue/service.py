"""The revenue engine's runs: movements of some accounts (after subscription changes), of
the whole book (daily, and after a demo load: ``flows.revenue_rebuild``, which keeps
renewals in step afterwards), and the period rollups read by metrics."""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.core.config import get_settings
from app.core.jobs import Job, enqueue
from app.core.models import utcnow
from app.revenue import engine
from app.revenue import repository as repo
from app.revenue.schemas import FxRateOut, FxRates, FxRatesIn

BATCH = 2000


def today() -> date:
    return utcnow().date()


def reporting() -> str:
    return get_settings().reporting_currency


def bridge_days() -> int:
    """The reactivation window: a return within it is bridged; a churn older than it is confirmed."""
    return get_settings().revenue_bridge_days


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


# Above this many accounts a rebuild locks the whole book instead of each account.
LOCK_EACH_UP_TO = 200


async def rebuild_accounts(session: AsyncSession, ids: Sequence[uuid.UUID], day: date | None = None) -> int:
    """Recompute the movements and monthly ARR of ``ids`` from their subscription lines,
    serialised per account: the lines are read once the account's lock is held."""
    if len(ids) > LOCK_EACH_UP_TO:
        await repo.lock_book(session)
    else:
        await repo.lock_accounts(session, ids)
    return await _rebuild(session, ids, day or today())


async def _rebuild(session: AsyncSession, ids: Sequence[uuid.UUID], day: date) -> int:
    lines = await repo.lines_of(session, ids)
    rates = await repo.rates(session, (ln.currency for ls in lines.values() for ln in ls), reporting())
    window = bridge_days()
    moves = {a: engine.movements(ls, day, rates, window) for a, ls in lines.items()}
    written = await repo.replace(session, ids, moves, day, next_month(day))
    # status follows billing for accounts that have lines (the rest keep what they declared)
    status = {a: engine.status_on(m, day, window) for a, m in moves.items() if lines[a]}
    await repo.set_status(session, status)
    return written


# The rollups take seconds on a large book: at most one rebuild per half minute of changes.
ROLLUP_DEBOUNCE_SECONDS = 30.0


def request_rollups(session: AsyncSession) -> None:
    """Queue (after commit) a rebuild of the period rollups, one per debounce window."""
    window = int(time.time() // ROLLUP_DEBOUNCE_SECONDS)
    enqueue(
        session, Job.rebuild_revenue_rollups, job_id=f"revenue-rollups:{window}", defer_seconds=ROLLUP_DEBOUNCE_SECONDS
    )


async def rebuild_rollups(session: AsyncSession, day: date | None = None) -> None:
    await repo.rebuild_rollups(session, next_month(day or today()))


async def rebuild_all(session: AsyncSession, day: date | None = None) -> int:
    """Every account with subscription lines, in batches, then the rollups."""
    day = day or today()
    await repo.lock_book(session)
    ids = await repo.accounts_with_lines(session)
    written = 0
    for i in range(0, len(ids), BATCH):
        written += await _rebuild(session, ids[i : i + BATCH], day)
    await rebuild_rollups(session, day)
    return written


async def add_rates(session: AsyncSession, rates: FxRatesIn, actor: str) -> FxRates:
    """A team's own exchange rates (finance's month-end rates, say); each replaces the rate
    for its currency and day. Movements change on the next rebuild."""
    rows = [r.model_dump() for r in rates.items]
    stored = await repo.store_rates(session, rows, "api")
    record(session, actor, "fx_rate.store", "fx_rate", None, {"rates": stored})
    enqueue(session, Job.rebuild_revenue_daily, job_id=f"revenue-daily:fx:{uuid.uuid4()}")
    return await list_rates(session, stored)


async def list_rates(session: AsyncSession, stored: int = 0) -> FxRates:
    items = [FxRateOut.model_validate(r) for r in await repo.latest_rates(session, today(), reporting())]
    return FxRates(reporting_currency=reporting(), items=items, stored=stored)
