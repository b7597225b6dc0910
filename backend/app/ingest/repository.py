"""SQL for ingest: bulk upserts that report what was inserted, updated or unchanged."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, func, literal_column, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.models import Contact
from app.auth.models import User
from app.ingest.models import DataSource
from app.scoring.models import RescoreRequest
from app.usage.models import Feature

# asyncpg allows 32,767 bind parameters per statement.
MAX_PARAMS = 30_000


def _chunks(rows: list[dict[str, Any]], size: int) -> list[list[dict[str, Any]]]:
    return [rows[i : i + size] for i in range(0, len(rows), size)]


async def upsert(
    session: AsyncSession, table: Table, keys: Sequence[str], rows: list[dict[str, Any]]
) -> dict[tuple[Any, ...], bool]:
    """Insert or update ``rows`` (all with the same columns) on the unique ``keys``.

    Returns key -> True (inserted) / False (updated). Rows whose values were already
    stored are left untouched and are absent from the result: they are duplicates.
    """
    if not rows:
        return {}
    columns = list(rows[0])
    changing = [c for c in columns if c not in keys]
    result: dict[tuple[Any, ...], bool] = {}
    for part in _chunks(rows, max(1, MAX_PARAMS // len(columns))):
        stmt = insert(table).values(part)
        returning: list[Any] = [table.c[k] for k in keys] + [literal_column("(xmax = 0)").label("inserted")]
        if changing:
            set_: dict[str, Any] = {c: stmt.excluded[c] for c in changing}
            if "updated_at" in table.c:
                set_["updated_at"] = func.now()
            stmt = stmt.on_conflict_do_update(
                index_elements=list(keys),
                set_=set_,
                where=tuple_(*[table.c[c] for c in changing]).is_distinct_from(
                    tuple_(*[stmt.excluded[c] for c in changing])
                ),
            )
        else:
            stmt = stmt.on_conflict_do_nothing(index_elements=list(keys))
        for row in await session.execute(stmt.returning(*returning)):
            result[tuple(row[: len(keys)])] = bool(row[-1])
    return result


async def users_by_email(session: AsyncSession, emails: set[str]) -> dict[str, uuid.UUID]:
    if not emails:
        return {}
    rows = await session.execute(
        select(func.lower(col(User.email)), col(User.id)).where(
            func.lower(col(User.email)).in_([e.lower() for e in emails])
        )
    )
    return {e: i for e, i in rows}


async def contacts_by_email(
    session: AsyncSession, pairs: set[tuple[uuid.UUID, str]]
) -> dict[tuple[uuid.UUID, str], uuid.UUID]:
    if not pairs:
        return {}
    rows = await session.execute(
        select(col(Contact.account_id), func.lower(col(Contact.email)), col(Contact.id)).where(
            tuple_(col(Contact.account_id), func.lower(col(Contact.email))).in_([(a, e.lower()) for a, e in pairs])
        )
    )
    return {(a, e): i for a, e, i in rows}


async def feature_ids(session: AsyncSession, keys: set[str]) -> dict[str, int]:
    """Feature id per key, creating features for keys seen for the first time."""
    if not keys:
        return {}
    await session.execute(
        insert(Feature)
        .values([{"key": k, "name": k.replace("_", " ").title()} for k in sorted(keys)])
        .on_conflict_do_nothing(index_elements=["key"])
    )
    rows = await session.execute(select(col(Feature.key), col(Feature.id)).where(col(Feature.key).in_(keys)))
    return {k: int(i) for k, i in rows if i is not None}


async def feature_patterns(session: AsyncSession) -> list[tuple[int, str]]:
    rows = await session.execute(
        select(col(Feature.id), col(Feature.event_pattern))
        .where(col(Feature.event_pattern).is_not(None))
        .order_by(col(Feature.id))
    )
    return [(int(i), str(p)) for i, p in rows if i is not None]


async def touch_source(session: AsyncSession, key: str, items: int, at: datetime) -> None:
    stmt = insert(DataSource).values(
        key=key, name=key.replace("-", " ").title(), last_received_at=at, items_received=items
    )
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=["key"],
            set_={
                "last_received_at": func.greatest(DataSource.last_received_at, stmt.excluded.last_received_at),
                "items_received": DataSource.items_received + stmt.excluded.items_received,
            },
        )
    )


async def request_rescore(session: AsyncSession, since: dict[uuid.UUID, date]) -> None:
    if not since:
        return
    rows = [{"account_id": a, "since": d} for a, d in sorted(since.items())]
    for part in _chunks(rows, MAX_PARAMS // 2):
        stmt = insert(RescoreRequest).values(part)
        await session.execute(
            stmt.on_conflict_do_update(
                index_elements=["account_id"],
                set_={"since": func.least(RescoreRequest.since, stmt.excluded.since), "requested_at": func.now()},
            )
        )
