"""SQL for the feature catalogue: features with their recent usage, the plans accounts have,
the event names received lately, and whether PostgreSQL accepts a pattern."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import RowMapping, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.usage.models import UNATTRIBUTED_FEATURE_ID, Feature

_WITH_USAGE = """
WITH used AS (
    SELECT feature_id, sum(events) AS events, count(DISTINCT account_id) FILTER (WHERE events > 0) AS accounts
    FROM usage_daily
    WHERE day >= :since AND day <= :until {one_usage}
    GROUP BY feature_id
)
SELECT f.id, f.key, f.name, f.is_core, f.plans, f.event_pattern,
       coalesce(u.events, 0) AS events_30d, coalesce(u.accounts, 0) AS accounts_30d
FROM feature f
LEFT JOIN used u ON u.feature_id = f.id
WHERE f.id <> :unattributed {one_feature}
ORDER BY f.id
"""


async def with_usage(
    session: AsyncSession, since: date, until: date, feature_id: int | None = None
) -> list[RowMapping]:
    """Every feature (or one) but the unattributed bucket, with its events and accounts using it
    from ``since`` to ``until`` (days, inclusive)."""
    one = feature_id is not None
    stmt = text(
        _WITH_USAGE.format(
            one_usage="AND feature_id = :feature_id" if one else "",
            one_feature="AND f.id = :feature_id" if one else "",
        )
    )
    params: dict[str, object] = {"since": since, "until": until, "unattributed": UNATTRIBUTED_FEATURE_ID}
    if one:
        params["feature_id"] = feature_id
    return list((await session.execute(stmt, params)).mappings())


async def plans_in_use(session: AsyncSession) -> list[str]:
    """The plans accounts have, sorted."""
    rows = await session.execute(text("SELECT DISTINCT plan FROM account WHERE plan IS NOT NULL ORDER BY plan"))
    return [str(r[0]) for r in rows]


async def feature(session: AsyncSession, feature_id: int) -> Feature | None:
    if feature_id == UNATTRIBUTED_FEATURE_ID:
        return None
    return await session.get(Feature, feature_id)


async def key_taken(session: AsyncSession, key: str) -> bool:
    return (await session.execute(select(col(Feature.id)).where(col(Feature.key) == key))).first() is not None


async def patterns(session: AsyncSession) -> list[tuple[int, str, str, str | None]]:
    """(id, key, name, pattern) of every feature, in the order ingest tries them (by id)."""
    rows = await session.execute(
        select(col(Feature.id), col(Feature.key), col(Feature.name), col(Feature.event_pattern))
        .where(col(Feature.id) != UNATTRIBUTED_FEATURE_ID)
        .order_by(col(Feature.id))
    )
    return [(int(i), str(k), str(n), p) for i, k, n, p in rows if i is not None]


async def recent_event_names(session: AsyncSession, since: datetime, cap: int) -> list[tuple[str, int]]:
    """The ``cap`` most frequent event names received since ``since``, with their counts."""
    rows = await session.execute(
        text(
            "SELECT event, count(*) AS n FROM usage_event WHERE occurred_at >= :since "
            "GROUP BY event ORDER BY n DESC, event LIMIT :cap"
        ),
        {"since": since, "cap": cap},
    )
    return [(str(e), int(n)) for e, n in rows]


async def postgres_pattern_error(session: AsyncSession, pattern: str) -> str | None:
    """Why PostgreSQL's ``~`` refuses ``pattern`` (None: it accepts it). Tried in a savepoint, so
    a refusal leaves the request's transaction usable."""
    try:
        async with session.begin_nested():
            await session.execute(text("SELECT '' ~ CAST(:pattern AS text)"), {"pattern": pattern})
    except DBAPIError as exc:
        message = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else "invalid regular expression"
        return message.split(": ", 1)[1] if message.startswith("<class") and ": " in message else message
    return None
