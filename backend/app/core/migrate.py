"""Run Alembic migrations from code (CLI, ``make run`` and tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from app.core.config import _asyncpg_url

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"


def alembic_config(database_url: str) -> Config:
    cfg = Config(str(ALEMBIC_INI))
    cfg.attributes["database_url"] = _asyncpg_url(database_url)
    cfg.attributes["configure_logger"] = False
    return cfg


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(database_url), revision)


# Migrations after which revenue and renewals must be derived again from the lines (new
# definitions: line versions, one renewal definition, status from billing, currencies).
REDERIVE_BEFORE = 13


def current_revision(database_url: str) -> str | None:
    """The database's Alembic revision (None: not migrated yet)."""
    import asyncio

    import asyncpg

    async def read() -> str | None:
        conn = await asyncpg.connect(_asyncpg_url(database_url).replace("postgresql+asyncpg://", "postgresql://", 1))
        try:
            exists = await conn.fetchval("SELECT to_regclass('alembic_version') IS NOT NULL")
            return await conn.fetchval("SELECT version_num FROM alembic_version") if exists else None
        finally:
            await conn.close()

    return asyncio.run(read())


def needs_rederive(before: str | None) -> bool:
    """Did an upgrade from ``before`` cross a change of what revenue data means?"""
    return before is not None and before.isdigit() and int(before) < REDERIVE_BEFORE
