"""What every reading of stored scores needs: an existing account, and config versions parsed once."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import NotFound
from app.scoring import history_repository as history_repo
from app.scoring import repository as repo
from app.scoring.config import ScoringConfigBody

_configs: dict[int, ScoringConfigBody] = {}


async def config_body(session: AsyncSession, version: int) -> ScoringConfigBody:
    """Versions are immutable, so a parsed body is cached for the process."""
    if version not in _configs:
        row = await repo.get_config(session, version)
        if row is None:
            raise NotFound(f"No scoring config version {version}")
        _configs[version] = ScoringConfigBody.model_validate(row.body)
    return _configs[version]


async def require_account(session: AsyncSession, account_id: uuid.UUID) -> None:
    if not await history_repo.account_exists(session, account_id):
        raise NotFound(f"No account {account_id}")
