"""SQL for the connectors: Segment user bindings and Stripe's stored state (events, lines, invoices).

All statements are set-based: one per request (chunked under asyncpg's bind-parameter
limit), never one per message.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, select, text, tuple_
from sqlalchemy.dialects.postgresql import distinct_on, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.connectors.models import SegmentUserBinding, StripeEvent, StripeUsageItem
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


async def stripe_line_end_dates(session: AsyncSession, source: str, ids: Iterable[str]) -> dict[str, date | None]:
    """End date of each stored subscription line from ``source`` among ``ids`` (its latest version's)."""
    return {i: line.end_date for i, line in (await stripe_latest_lines(session, source, ids)).items()}


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


async def stripe_latest_lines(session: AsyncSession, source: str, ids: Iterable[str]) -> dict[str, SubscriptionLine]:
    """The latest version of each stored line from ``source`` among ``ids``."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = await session.execute(
        select(SubscriptionLine)
        .where(col(SubscriptionLine.source) == source, col(SubscriptionLine.source_id).in_(wanted))
        .order_by(col(SubscriptionLine.source_id), col(SubscriptionLine.start_date).desc())
        .ext(distinct_on(col(SubscriptionLine.source_id)))
    )
    return {str(line.source_id): line for line in rows.scalars()}


async def upsert_usage_items(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """What the latest subscription event says about usage-priced items."""
    if not rows:
        return
    stmt = insert(StripeUsageItem).values(rows)
    columns = [c for c in rows[0] if c != "item_id"]
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=["item_id"], set_={**{c: stmt.excluded[c] for c in columns}, "updated_at": func.now()}
        )
    )


async def usage_items(session: AsyncSession, ids: list[str]) -> dict[str, StripeUsageItem]:
    if not ids:
        return {}
    rows = await session.execute(select(StripeUsageItem).where(col(StripeUsageItem.item_id).in_(sorted(set(ids)))))
    return {u.item_id: u for u in rows.scalars()}


async def lock_stripe_object(session: AsyncSession, object_id: str) -> None:
    """Serialise the events about one Stripe object until the transaction ends: the next
    one reads what this one recorded (read committed: each statement sees the last commit)."""
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": f"stripe-object:{object_id}"}
    )


async def newer_stripe_event(session: AsyncSession, object_id: str, created: datetime) -> tuple[str, datetime] | None:
    """The latest processed event about ``object_id`` created strictly after ``created``, if any."""
    row = (
        await session.execute(
            select(col(StripeEvent.id), col(StripeEvent.created))
            .where(
                col(StripeEvent.object_id) == object_id,
                col(StripeEvent.created) > created,
                col(StripeEvent.outcome) == "processed",
            )
            .order_by(col(StripeEvent.created).desc(), col(StripeEvent.id))
            .limit(1)
        )
    ).first()
    return None if row is None else (str(row[0]), row[1])


async def record_stripe_event(
    session: AsyncSession, event_id: str, event_type: str, object_id: str | None, created: datetime, outcome: str
) -> bool:
    """Record an event by id; False when that id is already recorded (or being recorded by a
    concurrent transaction, which this one waits for: it then sees the row)."""
    stmt = (
        insert(StripeEvent)
        .values(id=event_id, type=event_type, object_id=object_id, created=created, outcome=outcome)
        .on_conflict_do_nothing(index_elements=["id"])
        .returning(col(StripeEvent.id))
    )
    return (await session.execute(stmt)).first() is not None


async def stripe_single_version_lines(session: AsyncSession, source: str, ids: Iterable[str]) -> dict[str, Any]:
    """Lines among ``ids`` that have a single version: their ``start_date`` and ``state_at``."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = await session.execute(
        select(
            col(SubscriptionLine.source_id),
            func.min(col(SubscriptionLine.start_date)).label("start_date"),
            func.max(col(SubscriptionLine.state_at)).label("state_at"),
        )
        .where(col(SubscriptionLine.source) == source, col(SubscriptionLine.source_id).in_(wanted))
        .group_by(col(SubscriptionLine.source_id))
        .having(func.count() == 1)
    )
    return {str(r.source_id): r for r in rows}
