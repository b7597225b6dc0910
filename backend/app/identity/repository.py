"""SQL for resolving account keys and for unmatched records."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select, text, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.models import Account
from app.core.models import utcnow
from app.identity.models import AccountAlias, UnmatchedRecord


async def accounts_by_external_id(session: AsyncSession, keys: Iterable[str]) -> dict[str, uuid.UUID]:
    keys = list(set(keys))
    if not keys:
        return {}
    rows = await session.execute(
        select(col(Account.external_id), col(Account.id)).where(col(Account.external_id).in_(keys))
    )
    return {k: v for k, v in rows}


async def accounts_by_alias(
    session: AsyncSession, pairs: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], uuid.UUID]:
    pairs = list(set(pairs))
    if not pairs:
        return {}
    rows = await session.execute(
        select(col(AccountAlias.source), col(AccountAlias.key), col(AccountAlias.account_id)).where(
            tuple_(col(AccountAlias.source), col(AccountAlias.key)).in_(pairs)
        )
    )
    return {(s, k): a for s, k, a in rows}


async def upsert_aliases(session: AsyncSession, rows: list[dict[str, Any]]) -> dict[tuple[str, str], uuid.UUID]:
    """Insert aliases that do not exist; return the owner of every requested (source, key)."""
    if not rows:
        return {}
    await session.execute(insert(AccountAlias).values(rows).on_conflict_do_nothing(index_elements=["source", "key"]))
    return await accounts_by_alias(session, [(r["source"], r["key"]) for r in rows])


async def store_unmatched(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Keep items whose account is unknown; a re-send updates the stored payload."""
    if not rows:
        return
    stmt = insert(UnmatchedRecord).values(rows)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=["kind", "item_id"],
            set_={
                "payload": stmt.excluded.payload,
                "account_key_type": stmt.excluded.account_key_type,
                "account_key": stmt.excluded.account_key,
                "attempts": UnmatchedRecord.attempts + 1,
                "resolved_at": None,
                "resolved_account_id": None,
            },
        )
    )


async def pending_unmatched_for(session: AsyncSession, keys: Iterable[tuple[str, str]]) -> list[UnmatchedRecord]:
    keys = list(set(keys))
    if not keys:
        return []
    result = await session.execute(
        select(UnmatchedRecord)
        .where(
            col(UnmatchedRecord.resolved_at).is_(None),
            tuple_(col(UnmatchedRecord.account_key_type), col(UnmatchedRecord.account_key)).in_(keys),
        )
        .order_by(col(UnmatchedRecord.received_at))
        .with_for_update(skip_locked=True)
    )
    return list(result.scalars())


async def mark_resolved(session: AsyncSession, resolved: dict[uuid.UUID, uuid.UUID]) -> None:
    now = utcnow()
    for record_id, account_id in resolved.items():
        await session.execute(
            update(UnmatchedRecord)
            .where(col(UnmatchedRecord.id) == record_id)
            .values(resolved_at=now, resolved_account_id=account_id)
        )


async def lock_keys(session: AsyncSession, keys: Iterable[str]) -> None:
    """Transaction-scoped advisory locks, taken in a fixed order so writers never deadlock."""
    for key in sorted(set(keys)):
        await session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": key})
