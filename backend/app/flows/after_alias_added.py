"""After an alias is added (by hand, or by linking an unmatched record to an account):
ingest the unmatched records the new key now resolves, in the same transaction, so the
answer can say how many were replayed."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.identity import service as identity
from app.identity.models import AccountAlias
from app.ingest import service as ingest
from app.ingest.schemas import IngestResult


async def add_alias(
    session: AsyncSession, account_id: uuid.UUID, source: str, key: str, actor: str
) -> tuple[AccountAlias, IngestResult]:
    """The alias, and what replaying the unmatched records it resolves did."""
    alias = await identity.add_alias(session, account_id, source, key, actor)
    return alias, await ingest.replay_for_keys(session, [(alias.source, alias.key)])


async def link_unmatched(
    session: AsyncSession, record_id: uuid.UUID, account_id: uuid.UUID, actor: str
) -> tuple[AccountAlias, IngestResult]:
    """Link an unmatched record's key to the account, then replay what it resolves."""
    alias = await identity.link_unmatched(session, record_id, account_id, actor)
    return alias, await ingest.replay_for_keys(session, [(alias.source, alias.key)])
