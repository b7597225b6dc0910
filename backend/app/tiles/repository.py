"""SQL of the tiles: one statement per kind for any number of accounts, each section an index
lookup on its own table (account first, then time), so a tile costs the same for one account or
for a page of fifty.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


def _snapshot_trend(value: str) -> str:
    """The last 90 days of an account's snapshots as ``[{date, value}]``, oldest first."""
    return f"""(SELECT coalesce(json_agg(json_build_object('date', t.as_of, 'value', {value}) ORDER BY t.as_of), '[]')
              FROM health_snapshot t
             WHERE t.account_id = a.id AND t.as_of > CAST(:today AS date) - 90 AND t.as_of <= :today) AS trend"""  # noqa: S608 - ``value`` is one of the column expressions below


HEALTH_TREND = _snapshot_trend("t.health_score")
USAGE_AXIS_TREND = _snapshot_trend("t.usage_axis")
USER_DAYS_TREND = _snapshot_trend("(t.inputs->'usage'->>'user_days')::float8")

# The account's current health and the snapshot it came from.
CURRENT = """
      FROM account a
      LEFT JOIN account_health ah ON ah.account_id = a.id
      LEFT JOIN health_snapshot h ON h.account_id = ah.account_id AND h.as_of = ah.as_of"""

# The current snapshot, the lowest-scoring component and the score 30 days before, with the
# last 90 days of scores as the trend.
HEALTH = text(
    f"""
    SELECT a.id, a.name, ah.health_score, ah.band, ah.quadrant, ah.as_of, ah.coverage,
           h.computed_at, h.usage_score, h.support_score, h.sentiment_score,
           h.relationship_score, h.commercial_score,
           (SELECT p.health_score FROM health_snapshot p
             WHERE p.account_id = a.id AND p.as_of <= ah.as_of - 30
             ORDER BY p.as_of DESC LIMIT 1) AS score_30_days_before,
           {HEALTH_TREND}{CURRENT}
     WHERE a.id = ANY(:ids)
    """  # noqa: S608 - the fragments are constants; values are bound
)

# The current quadrant, the last move into it, and the usage axis over 90 days as the trend
# (the quadrant's horizontal position; its vertical one is the health score, the health tile's).
QUADRANT = text(
    f"""
    SELECT a.id, a.name, ah.quadrant, ah.usage_axis, ah.health_axis, ah.as_of, h.computed_at,
           m.moved_on, m.from_quadrant,
           {USAGE_AXIS_TREND}{CURRENT}
      LEFT JOIN LATERAL (
            SELECT q.moved_on, q.from_quadrant FROM quadrant_move q
             WHERE q.account_id = a.id ORDER BY q.moved_on DESC LIMIT 1) m ON true
     WHERE a.id = ANY(:ids)
    """  # noqa: S608 - the fragments are constants; values are bound
)

# The next open renewal (not closed, due today or later), the account's band, and ARR by month
# over the last 12 months (``arr_month``, in the reporting currency) as the trend.
RENEWAL = text(
    """
    SELECT a.id, a.name, ah.band, r.renewal_date, r.arr_up_for_renewal::float8 AS arr_up,
           r.forecast, r.suggested_forecast, r.term, r.updated_at,
           (SELECT coalesce(json_agg(json_build_object('date', m.month, 'value', m.arr::float8)
                    ORDER BY m.month), '[]')
              FROM arr_month m
             WHERE m.account_id = a.id AND m.month > CAST(:today AS date) - 366 AND m.month <= :today) AS trend
      FROM account a
      LEFT JOIN account_health ah ON ah.account_id = a.id
      LEFT JOIN LATERAL (
            SELECT * FROM renewal r
             WHERE r.account_id = a.id AND r.outcome IS NULL AND r.renewal_date >= :today
             ORDER BY r.renewal_date LIMIT 1) r ON true
     WHERE a.id = ANY(:ids)
    """
)

# Active user-days in the trailing window the usage component reads (``inputs.usage``), now and
# in the window before, with the last 90 days of snapshots as the trend.
USAGE = text(
    f"""
    SELECT a.id, a.name, ah.usage_change, ah.band, ah.as_of, h.computed_at,
           (h.inputs->'usage'->>'user_days')::float8 AS user_days,
           (h.inputs->'usage'->>'prev_user_days')::float8 AS prev_user_days,
           {USER_DAYS_TREND}{CURRENT}
     WHERE a.id = ANY(:ids)
    """
)

STATEMENTS = {"health": HEALTH, "quadrant": QUADRANT, "renewal": RENEWAL, "usage_trend": USAGE}


async def rows(session: AsyncSession, kind: str, ids: Sequence[uuid.UUID], today: date) -> list[dict[str, Any]]:
    result = await session.execute(STATEMENTS[kind], {"ids": list(ids), "today": today})
    return [dict(r) for r in result.mappings()]
