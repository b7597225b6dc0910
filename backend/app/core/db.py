"""Engine, sessions, and the one place that commits.

Routes get their session from ``SessionDep``. It commits once, after the handler
returns and *before* the response is sent (``scope="function"``), so "accepted" means
"committed". Jobs queued during the request are sent only after that commit.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from app.core.config import get_settings
from app.core.errors import DATABASE_UNAVAILABLE
from app.core.jobs import send_pending_jobs

_engine: AsyncEngine | None = None
_sessionmaker: async_sessionmaker[AsyncSession] | None = None


def get_engine() -> AsyncEngine:
    global _engine
    if _engine is None:
        settings = get_settings()
        _engine = create_async_engine(
            settings.async_database_url,
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_max_overflow,
            pool_pre_ping=True,
            pool_timeout=5,
            # a failed statement's error names the SQL, never its values (password and key
            # hashes, tokens, personal data): they would reach logs and error reports
            hide_parameters=True,
            connect_args={"timeout": 5, "server_settings": {"timezone": "UTC"}},
        )
    return _engine


def get_sessionmaker() -> async_sessionmaker[AsyncSession]:
    global _sessionmaker
    if _sessionmaker is None:
        _sessionmaker = async_sessionmaker(get_engine(), class_=AsyncSession, expire_on_commit=False)
    return _sessionmaker


def set_sessionmaker(factory: async_sessionmaker[AsyncSession] | None) -> None:
    """Tests swap in a factory bound to their transaction."""
    global _sessionmaker
    _sessionmaker = factory


async def dispose_engine() -> None:
    global _engine, _sessionmaker
    if _engine is not None:
        await _engine.dispose()
    _engine = None
    _sessionmaker = None


# SQLSTATEs a second attempt can get past: deadlock, serialization failure, lock not
# available, statement cancelled (timeout), connection failures.
TRANSIENT_SQLSTATES = frozenset({"40P01", "40001", "55P03", "57014"}) | DATABASE_UNAVAILABLE


def is_transient(exc: BaseException) -> bool:
    """Would the same work succeed if run again (a job retries instead of failing)?"""
    if isinstance(exc, DBAPIError):
        return bool(exc.connection_invalidated) or getattr(exc.orig, "sqlstate", None) in TRANSIENT_SQLSTATES
    return isinstance(exc, ConnectionError | TimeoutError)


async def ping() -> None:
    """One round trip to PostgreSQL on a fresh pooled connection (readiness)."""
    async with get_engine().connect() as conn:
        await conn.execute(text("SELECT 1"))


_AFTER_COMMIT = "tempo.after_commit"


def after_commit(session: AsyncSession, callback: Callable[[], None]) -> None:
    """Run ``callback`` once this unit of work has committed (never if it rolls back): for
    in-process state that must not learn of a change before others can read it."""
    session.info.setdefault(_AFTER_COMMIT, []).append(callback)


@asynccontextmanager
async def unit_of_work() -> AsyncIterator[AsyncSession]:
    """A session that commits on success, rolls back on error, then runs ``after_commit``
    callbacks and sends queued jobs.

    Used by the request dependency, CLI commands and job functions alike.
    """
    async with get_sessionmaker()() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            session.info.pop(_AFTER_COMMIT, None)
            await session.rollback()
            raise
        for callback in session.info.pop(_AFTER_COMMIT, []):
            callback()
        await send_pending_jobs(session)


async def _session_dependency() -> AsyncIterator[AsyncSession]:
    async with unit_of_work() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(_session_dependency, scope="function")]
