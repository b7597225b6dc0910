"""SQL for resolving account keys and for unmatched records (the only module that queries them)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import ARRAY, String, and_, bindparam, column, func, select, text, update, values
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.core.enums import Kind
from app.core.models import utcnow
from app.identity.models import AccountAlias, UnmatchedRecord

# asyncpg allows 32,767 bind parameters per statement.
_MAX_PARAMS = 30_000


def _chunks(rows: list[Any], width: int) -> list[list[Any]]:
    size = max(1, _MAX_PARAMS // width)
    return [rows[i : i + size] for i in range(0, len(rows), size)]


async def accounts_by_external_id(session: AsyncSession, keys: Iterable[str]) -> dict[str, uuid.UUID]:
    keys = list(set(keys))
    if not keys:
        return {}
    rows = await session.execute(
        text("SELECT external_id, id FROM account WHERE external_id = ANY(CAST(:keys AS text[]))"), {"keys": keys}
    )
    return {k: v for k, v in rows}


async def accounts_by_subscription(session: AsyncSession, keys: Iterable[str]) -> dict[str, uuid.UUID]:
    """Usage exports often name the subscription, not the account: resolve through the line."""
    keys = list(set(keys))
    if not keys:
        return {}
    rows = await session.execute(
        text(
            "SELECT DISTINCT ON (source_id) source_id, account_id FROM subscription_line "
            "WHERE source_id = ANY(CAST(:keys AS text[])) ORDER BY source_id, updated_at DESC"
        ),
        {"keys": keys},
    )
    return {k: v for k, v in rows}


async def accounts_by_alias(
    session: AsyncSession, pairs: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], uuid.UUID]:
    pairs = list(set(pairs))
    if not pairs:
        return {}
    rows = await session.execute(
        text(
            "SELECT a.source, a.key, a.account_id FROM account_alias a "
            "JOIN unnest(CAST(:sources AS text[]), CAST(:keys AS text[])) AS p(source, key) "
            "ON a.source = p.source AND a.key = p.key"
        ),
        {"sources": [p[0] for p in pairs], "keys": [p[1] for p in pairs]},
    )
    return {(src, k): a for src, k, a in rows}


async def upsert_aliases(session: AsyncSession, rows: list[dict[str, Any]]) -> dict[tuple[str, str], uuid.UUID]:
    """Insert aliases that do not exist; return the owner of every requested (source, key)."""
    if not rows:
        return {}
    await session.execute(insert(AccountAlias).on_conflict_do_nothing(index_elements=["source", "key"]), rows)
    return await accounts_by_alias(session, [(r["source"], r["key"]) for r in rows])


async def store_unmatched(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Keep items whose account is unknown; a re-send updates the stored payload."""
    if not rows:
        return
    stmt = insert(UnmatchedRecord)
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
                "status": "pending",
                "errors": None,
            },
        ),
        rows,
    )


async def pending_unmatched_for(session: AsyncSession, keys: Iterable[tuple[str, str]]) -> list[UnmatchedRecord]:
    keys = list(set(keys))
    if not keys:
        return []
    # Joined against two arrays, not ``(type, key) IN ((...), ...)``: an ingest call of
    # MAX_ITEMS accounts names 10,000+ keys, a row list PostgreSQL refuses ("stack depth
    # limit exceeded"); arrays are two parameters however many keys there are.
    wanted = (
        func.unnest(
            bindparam("types", [t for t, _ in keys], type_=ARRAY(String)),
            bindparam("keys", [k for _, k in keys], type_=ARRAY(String)),
        )
        .table_valued(column("key_type", String), column("key", String))
        .render_derived(name="wanted")
    )
    result = await session.execute(
        select(UnmatchedRecord)
        .join(
            wanted,
            and_(
                col(UnmatchedRecord.account_key_type) == wanted.c.key_type,
                col(UnmatchedRecord.account_key) == wanted.c.key,
            ),
        )
        .where(col(UnmatchedRecord.status) == "pending")
        .order_by(col(UnmatchedRecord.received_at))
        .with_for_update(of=UnmatchedRecord, skip_locked=True)
    )
    return list(result.scalars())


async def mark_resolved(session: AsyncSession, resolved: dict[uuid.UUID, uuid.UUID]) -> None:
    now = utcnow()
    for record_id, account_id in resolved.items():
        await session.execute(
            update(UnmatchedRecord)
            .where(col(UnmatchedRecord.id) == record_id)
            .values(resolved_at=now, resolved_account_id=account_id, status="resolved", errors=None)
        )


async def mark_rejected(
    session: AsyncSession, rejected: dict[uuid.UUID, tuple[uuid.UUID, list[dict[str, Any]]]]
) -> None:
    """Records whose account was found but whose item could not be stored: kept, with why."""
    for record_id, (account_id, errors) in rejected.items():
        await session.execute(
            update(UnmatchedRecord)
            .where(col(UnmatchedRecord.id) == record_id)
            .values(
                resolved_account_id=account_id, status="rejected", errors=errors, attempts=UnmatchedRecord.attempts + 1
            )
        )


async def rekey_waiting_events(
    session: AsyncSession, key_type: str, targets: dict[str, tuple[str, str]], kinds: tuple[str, ...] = ("events",)
) -> set[tuple[str, str]]:
    """Point pending unmatched items of ``kinds`` keyed ``(key_type, key)`` at a new account key.

    ``targets`` maps the old key to ``(new key type, new key)``; the stored payload is
    rewritten too, so a replay ingests the item under its new key. Returns the new keys
    that now have waiting records. One statement per chunk under asyncpg's parameter limit.
    """
    moved: set[tuple[str, str]] = set()
    items = sorted(targets.items())
    for part in _chunks(items, 3):
        target = values(
            column("old", String), column("new_type", String), column("new_key", String), name="target"
        ).data([(old, new_type, new_key) for old, (new_type, new_key) in part])
        stmt = (
            update(UnmatchedRecord)
            .where(
                col(UnmatchedRecord.status) == "pending",
                col(UnmatchedRecord.kind).in_(kinds),
                col(UnmatchedRecord.account_key_type) == key_type,
                col(UnmatchedRecord.account_key) == target.c.old,
            )
            .values(
                account_key_type=target.c.new_type,
                account_key=target.c.new_key,
                payload=col(UnmatchedRecord.payload).op("||")(
                    func.jsonb_build_object("account", target.c.new_key, "account_key_type", target.c.new_type)
                ),
            )
            .returning(target.c.new_type, target.c.new_key)
        )
        moved.update((str(t), str(k)) for t, k in await session.execute(stmt))
    return moved


async def unmatched_page(
    session: AsyncSession,
    kind: Kind | None,
    statuses: Iterable[str],
    source: str | None,
    page: int,
    page_size: int,
) -> tuple[list[UnmatchedRecord], int]:
    """One page of unmatched records in ``statuses``, newest first, and how many match in all."""
    stmt = select(UnmatchedRecord).where(col(UnmatchedRecord.status).in_(sorted(set(statuses))))
    if kind is not None:
        stmt = stmt.where(col(UnmatchedRecord.kind) == kind.value)
    if source is not None:
        stmt = stmt.where(col(UnmatchedRecord.source) == source)
    total = await session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = await session.execute(
        stmt.order_by(col(UnmatchedRecord.received_at).desc(), col(UnmatchedRecord.id))
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    return list(rows.scalars()), int(total or 0)


async def aliases_of(session: AsyncSession, account_id: uuid.UUID) -> list[AccountAlias]:
    result = await session.execute(
        select(AccountAlias)
        .where(col(AccountAlias.account_id) == account_id)
        .order_by(col(AccountAlias.source), col(AccountAlias.key))
    )
    return list(result.scalars())


async def alias(session: AsyncSession, source: str, key: str) -> AccountAlias | None:
    result = await session.execute(
        select(AccountAlias).where(col(AccountAlias.source) == source, col(AccountAlias.key) == key)
    )
    return result.scalar_one_or_none()


async def account_exists(session: AsyncSession, account_id: uuid.UUID) -> bool:
    return bool(await session.scalar(text("SELECT EXISTS (SELECT 1 FROM account WHERE id = :id)"), {"id": account_id}))


async def alias_by_id(session: AsyncSession, alias_id: uuid.UUID) -> AccountAlias | None:
    return await session.get(AccountAlias, alias_id)


async def delete_alias(session: AsyncSession, alias: AccountAlias) -> None:
    await session.delete(alias)


async def unmatched_record(session: AsyncSession, record_id: uuid.UUID) -> UnmatchedRecord | None:
    return await session.get(UnmatchedRecord, record_id)


async def unmatched_backlog(session: AsyncSession) -> tuple[int, int, datetime | None]:
    """The unmatched backlog: records still waiting for their account (pending), records that
    ever arrived for an unknown account (every status), and when the oldest waiting one came."""
    pending = col(UnmatchedRecord.status) == "pending"
    row = (
        await session.execute(
            select(
                func.count().filter(pending),
                func.count(),
                func.min(col(UnmatchedRecord.received_at)).filter(pending),
            )
        )
    ).one()
    return int(row[0]), int(row[1]), row[2]
