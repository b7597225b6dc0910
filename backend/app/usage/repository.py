"""SQL for the usage pipeline: raw events in, daily rollups and user activity out.

One statement inserts new events (``ON CONFLICT DO NOTHING`` drops re-sent ids) and
adds only the *new* ones to ``usage_daily`` and ``usage_user_activity``, so repeated
sends change nothing. Distinct active users per account, day and feature are then
recounted from the raw events under a per-account advisory lock, which makes them exact
under concurrent sends too (a second writer waits and then sees the first one's rows).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.identity.repository import lock_keys

_INSERT_EVENTS = """
WITH input AS (
    SELECT * FROM unnest($1::text[], $2::uuid[], $3::bigint[], $4::text[], $5::smallint[],
                         $6::timestamptz[], $7::float8[], $8::text[])
        AS t(event_id, account_id, user_hash, event, feature_id, occurred_at, duration_seconds, properties)
), inserted AS (
    INSERT INTO usage_event (event_id, account_id, user_hash, event, feature_id, occurred_at,
                             duration_seconds, properties, received_at)
    SELECT event_id, account_id, user_hash, event, feature_id, occurred_at, duration_seconds,
           properties::jsonb, now()
    FROM input
    ON CONFLICT (event_id) DO NOTHING
    RETURNING account_id, user_hash, feature_id, occurred_at, duration_seconds
), days AS (
    SELECT account_id, user_hash, feature_id, (occurred_at AT TIME ZONE 'UTC')::date AS day,
           coalesce(duration_seconds, 0) AS seconds
    FROM inserted
), daily AS (
    INSERT INTO usage_daily (account_id, day, feature_id, events, active_users, minutes, api_calls)
    SELECT account_id, day, feature_id, count(*), 0, sum(seconds) / 60.0, 0
    FROM days GROUP BY account_id, day, feature_id
    ON CONFLICT (account_id, day, feature_id) DO UPDATE
        SET events = usage_daily.events + excluded.events,
            minutes = usage_daily.minutes + excluded.minutes
), users AS (
    INSERT INTO usage_user_activity (account_id, month, user_hash, active_days)
    SELECT account_id, date_trunc('month', day)::date, user_hash,
           bit_or(1 << (extract(day FROM day)::int - 1))
    FROM days WHERE user_hash IS NOT NULL
    GROUP BY account_id, date_trunc('month', day)::date, user_hash
    ON CONFLICT (account_id, month, user_hash) DO UPDATE
        SET active_days = usage_user_activity.active_days | excluded.active_days
)
-- Data-modifying CTEs always run to completion, whether or not they are read here.
SELECT d.account_id, d.day, d.feature_id, count(*) AS n
FROM days d
GROUP BY d.account_id, d.day, d.feature_id
"""

_RECOUNT_ACTIVE_USERS = """
UPDATE usage_daily d
SET active_users = greatest(d.active_users, s.users)
FROM (
    SELECT e.account_id, (e.occurred_at AT TIME ZONE 'UTC')::date AS day, e.feature_id,
           count(DISTINCT e.user_hash) AS users
    FROM usage_event e
    JOIN unnest($1::uuid[], $2::date[], $3::smallint[]) AS g(account_id, day, feature_id)
      ON e.account_id = g.account_id AND e.feature_id = g.feature_id
     AND e.occurred_at >= g.day::timestamp AT TIME ZONE 'UTC'
     AND e.occurred_at < (g.day + 1)::timestamp AT TIME ZONE 'UTC'
    GROUP BY 1, 2, 3
) s
WHERE d.account_id = s.account_id AND d.day = s.day AND d.feature_id = s.feature_id
"""


@dataclass(frozen=True)
class EventRow:
    event_id: str
    account_id: uuid.UUID
    user_hash: int | None
    event: str
    feature_id: int
    occurred_at: datetime
    duration_seconds: float | None
    properties: str | None


async def _raw(session: AsyncSession) -> Any:
    conn = await session.connection()
    raw = await conn.get_raw_connection()
    return raw.driver_connection


async def insert_events(session: AsyncSession, rows: list[EventRow]) -> dict[tuple[uuid.UUID, date, int], int]:
    """Insert events; return the number of *new* events per (account, day, feature)."""
    if not rows:
        return {}
    await lock_keys(session, (f"usage:{r.account_id}" for r in rows))
    driver = await _raw(session)
    records = await driver.fetch(
        _INSERT_EVENTS,
        [r.event_id for r in rows],
        [r.account_id for r in rows],
        [r.user_hash for r in rows],
        [r.event for r in rows],
        [r.feature_id for r in rows],
        [r.occurred_at for r in rows],
        [r.duration_seconds for r in rows],
        [r.properties for r in rows],
    )
    groups = {(r["account_id"], r["day"], r["feature_id"]): int(r["n"]) for r in records}
    if groups:
        keys = list(groups)
        await driver.execute(_RECOUNT_ACTIVE_USERS, [k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys])
    return groups
