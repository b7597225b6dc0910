"""SQL for the usage pipeline: raw events in, daily rollups and user activity out.

One statement does it all. New events are inserted (``ON CONFLICT DO NOTHING`` drops
re-sent ids) and only those are added to ``usage_daily``; new (user, feature, day)
pairs found by ``usage_user_feature_day``'s ``ON CONFLICT DO NOTHING`` add to
``active_users``; ``usage_user_activity`` ORs in the user's day bits. Every step is
an atomic insert or increment arbitrated by a unique index, so repeated and concurrent
sends stay exact without locks; rows are written in key order so writers never deadlock.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

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
    FROM input ORDER BY event_id
    ON CONFLICT (event_id) DO NOTHING
    RETURNING account_id, user_hash, feature_id, occurred_at, duration_seconds
), days AS (
    SELECT account_id, user_hash, feature_id, (occurred_at AT TIME ZONE 'UTC')::date AS day,
           duration_seconds AS seconds
    FROM inserted
), new_users AS (
    INSERT INTO usage_user_feature_day (account_id, day, feature_id, user_hash)
    SELECT DISTINCT account_id, day, feature_id, user_hash FROM days
    WHERE user_hash IS NOT NULL
    ORDER BY account_id, day, feature_id, user_hash
    ON CONFLICT DO NOTHING
    RETURNING account_id, day, feature_id
), groups AS (
    -- minutes stay NULL (unknown) when no event of the group carried a duration
    SELECT account_id, day, feature_id, count(*) AS events, sum(seconds) / 60.0 AS minutes
    FROM days GROUP BY account_id, day, feature_id
), daily AS (
    INSERT INTO usage_daily (account_id, day, feature_id, events, active_users, minutes, api_calls)
    SELECT g.account_id, g.day, g.feature_id, g.events, coalesce(n.users, 0), g.minutes, 0
    FROM groups g
    LEFT JOIN (SELECT account_id, day, feature_id, count(*) AS users FROM new_users GROUP BY 1, 2, 3) n
      USING (account_id, day, feature_id)
    ORDER BY g.account_id, g.day, g.feature_id
    ON CONFLICT (account_id, day, feature_id) DO UPDATE
        SET events = usage_daily.events + excluded.events,
            minutes = CASE WHEN usage_daily.minutes IS NULL AND excluded.minutes IS NULL THEN NULL
                           ELSE coalesce(usage_daily.minutes, 0) + coalesce(excluded.minutes, 0) END,
            active_users = usage_daily.active_users + excluded.active_users
), users AS (
    INSERT INTO usage_user_activity (account_id, month, user_hash, active_days)
    SELECT account_id, date_trunc('month', day)::date, user_hash,
           bit_or(1 << (extract(day FROM day)::int - 1))
    FROM days WHERE user_hash IS NOT NULL
    GROUP BY account_id, date_trunc('month', day)::date, user_hash
    ORDER BY 1, 2, 3
    ON CONFLICT (account_id, month, user_hash) DO UPDATE
        SET active_days = usage_user_activity.active_days | excluded.active_days
)
-- Data-modifying CTEs always run to completion, whether or not they are read here.
SELECT account_id, day, feature_id, events AS n FROM groups
"""

_PURGE = """
WITH events AS (DELETE FROM usage_event WHERE occurred_at < $1 RETURNING 1),
     pairs AS (DELETE FROM usage_user_feature_day WHERE day < $1::date RETURNING 1)
SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM pairs) AS pairs
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


async def _driver(session: AsyncSession) -> Any:
    conn = await session.connection()
    raw = await conn.get_raw_connection()
    return raw.driver_connection


async def insert_events(session: AsyncSession, rows: list[EventRow]) -> dict[tuple[uuid.UUID, date, int], int]:
    """Insert events; return the number of *new* events per (account, day, feature)."""
    if not rows:
        return {}
    driver = await _driver(session)
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
    return {(r["account_id"], r["day"], r["feature_id"]): int(r["n"]) for r in records}


async def purge_before(session: AsyncSession, cutoff: datetime) -> tuple[int, int]:
    """Drop raw events and user-feature-day pairs older than the retention window."""
    driver = await _driver(session)
    row = await driver.fetchrow(_PURGE, cutoff)
    return int(row["events"]), int(row["pairs"])


_WEEKLY = text(
    """
    SELECT ids.account_id, w.week, coalesce(x.events, 0) AS events, coalesce(x.minutes, 0) AS minutes
    FROM unnest(CAST(:ids AS uuid[])) AS ids(account_id)
    CROSS JOIN (
        SELECT CAST(generate_series(date_trunc('week', CAST(:today AS date)) - make_interval(weeks => :weeks - 1),
                                    date_trunc('week', CAST(:today AS date)), interval '1 week') AS date) AS week
    ) w
    LEFT JOIN LATERAL (
        SELECT sum(d.events)::float8 AS events, sum(d.minutes)::float8 AS minutes FROM usage_daily d
        WHERE d.account_id = ids.account_id AND d.day >= w.week AND d.day < w.week + 7
    ) x ON true
    ORDER BY ids.account_id, w.week
    """
)


async def weekly_usage_of(
    session: AsyncSession, ids: Sequence[uuid.UUID], today: date, weeks: int
) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """Events and minutes per ISO week (Monday first) over the last ``weeks`` weeks, this one
    included, oldest first: the account picture's ``weekly_usage``, for several accounts."""
    out: dict[uuid.UUID, list[dict[str, Any]]] = {i: [] for i in ids}
    if ids:
        rows = await session.execute(_WEEKLY, {"ids": list(ids), "today": today, "weeks": weeks})
        for r in rows.mappings():
            out[r["account_id"]].append({"week": r["week"], "events": r["events"], "minutes": r["minutes"]})
    return out


# The last day (up to ``today``) each account's wanted users were active: month by month from
# today's back to the account's first, each a lookup on the primary key (account, month,
# user), stopping at the first month with an active day.
_LAST_ACTIVE = text(
    """
    WITH wanted AS (
        SELECT account_id, array_agg(user_hash) AS hashes
        FROM unnest(CAST(:accounts AS uuid[]), CAST(:hashes AS bigint[])) AS w(account_id, user_hash)
        GROUP BY account_id
    )
    SELECT w.account_id, found.day
    FROM wanted w
    CROSS JOIN LATERAL (
        SELECT CAST(u.month + (64 - position('1' IN CAST(CAST(m.bits AS bit(64)) AS text))) AS date) AS day
        FROM generate_series(
            date_trunc('month', CAST(:today AS date)),
            (SELECT min(f.month) FROM usage_user_activity f WHERE f.account_id = w.account_id),
            interval '-1 month'
        ) AS g(month)
        JOIN usage_user_activity u
          ON u.account_id = w.account_id AND u.month = CAST(g.month AS date) AND u.user_hash = ANY(w.hashes)
        CROSS JOIN LATERAL (
            -- days after today do not count (bit d-1 is day d of the month)
            SELECT CASE WHEN u.month = date_trunc('month', CAST(:today AS date))
                        THEN CAST(u.active_days AS bigint)
                             & ((CAST(1 AS bigint) << CAST(extract(day FROM CAST(:today AS date)) AS int)) - 1)
                        ELSE CAST(u.active_days AS bigint) END AS bits
        ) m
        WHERE m.bits <> 0
        ORDER BY u.month DESC, 1 DESC
        LIMIT 1
    ) found
    """
)


async def last_active_days(
    session: AsyncSession, wanted: dict[uuid.UUID, set[int]], today: date
) -> dict[uuid.UUID, date]:
    """The last day up to ``today`` (UTC dates) on which any of the given users
    (``ingest.writers.user_hash`` values) was active in each account; accounts whose users
    were never active are left out."""
    pairs = [(account, h) for account, hashes in wanted.items() for h in sorted(hashes)]
    if not pairs:
        return {}
    rows = await session.execute(
        _LAST_ACTIVE, {"accounts": [a for a, _ in pairs], "hashes": [h for _, h in pairs], "today": today}
    )
    return {r.account_id: r.day for r in rows}
