"""SQL for the connectors: Segment user bindings, re-keying waiting events, Stripe's stored state.

All statements are set-based: one per request (chunked under asyncpg's bind-parameter
limit), never one per message.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import String, and_, column, func, select, tuple_, update, values
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.connectors.models import SegmentUserBinding
from app.identity.models import UnmatchedRecord
from app.ingest.writers import table_of
from app.revenue.models import Invoice, SubscriptionLine

# asyncpg allows 32,767 bind parameters per statement.
MAX_PARAMS = 30_000


def _chunks(rows: list[Any], width: int) -> list[list[Any]]:
    size = max(1, MAX_PARAMS // width)
    return [rows[i : i + size] for i in range(0, len(rows), size)]


async def upsert_bindings(session: AsyncSession, rows: list[tuple[int, str, datetime]]) -> dict[int, str]:
    """Store ``(user_hash, group_id, bound_at)``; a binding only moves to a message at least as new.

    ``rows`` must hold each user hash once. Returns the bindings that were created or
    changed (user hash -> group id).
    """
    changed: dict[int, str] = {}
    table = table_of(SegmentUserBinding)
    for part in _chunks(rows, 3):
        stmt = insert(SegmentUserBinding).values([{"user_hash": h, "group_id": g, "bound_at": at} for h, g, at in part])
        stmt = stmt.on_conflict_do_update(
            index_elements=["user_hash"],
            set_={"group_id": stmt.excluded.group_id, "bound_at": stmt.excluded.bound_at, "updated_at": func.now()},
            where=and_(
                stmt.excluded.bound_at >= table.c.bound_at,
                tuple_(table.c.group_id, table.c.bound_at).is_distinct_from(
                    tuple_(stmt.excluded.group_id, stmt.excluded.bound_at)
                ),
            ),
        )
        result = await session.execute(stmt.returning(table.c.user_hash, table.c.group_id))
        changed.update({int(h): str(g) for h, g in result})
    return changed


async def bound_groups(session: AsyncSession, hashes: Iterable[int]) -> dict[int, str]:
    """The group each of these users is bound to (users without a binding are absent)."""
    wanted = sorted(set(hashes))
    found: dict[int, str] = {}
    for part in _chunks(wanted, 1):
        rows = await session.execute(
            select(col(SegmentUserBinding.user_hash), col(SegmentUserBinding.group_id)).where(
                col(SegmentUserBinding.user_hash).in_(part)
            )
        )
        found.update({int(h): str(g) for h, g in rows})
    return found


async def rekey_waiting_events(
    session: AsyncSession, key_type: str, targets: dict[str, tuple[str, str]]
) -> set[tuple[str, str]]:
    """Point pending unmatched events keyed ``(key_type, key)`` at a new account key.

    ``targets`` maps the old key to ``(new key type, new key)``; the stored payload is
    rewritten too, so a replay ingests the item under its new key. Returns the new keys
    that now have waiting records.
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
                col(UnmatchedRecord.resolved_at).is_(None),
                col(UnmatchedRecord.kind) == "events",
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


async def stripe_line_end_dates(session: AsyncSession, source: str, ids: Iterable[str]) -> dict[str, date | None]:
    """End date of each stored subscription line from ``source`` among ``ids``."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = await session.execute(
        select(col(SubscriptionLine.source_id), col(SubscriptionLine.end_date)).where(
            col(SubscriptionLine.source) == source, col(SubscriptionLine.source_id).in_(wanted)
        )
    )
    return {str(i): e for i, e in rows}


async def stripe_invoice_statuses(session: AsyncSession, source: str, ids: Iterable[str]) -> dict[str, str]:
    """Stored status of each invoice from ``source`` among ``ids``."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = await session.execute(
        select(col(Invoice.source_id), col(Invoice.status)).where(
            col(Invoice.source) == source, col(Invoice.source_id).in_(wanted)
        )
    )
    return {str(i): str(s) for i, s in rows}
