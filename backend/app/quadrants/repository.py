"""SQL of the quadrant views: the book on one date, distribution over time, moves, transitions."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


async def latest_scored_date(session: AsyncSession, on_or_before: date | None = None) -> date | None:
    """The latest date on or before ``on_or_before`` scored for the whole book.

    Incremental rescoring writes today's snapshot for touched accounts before the daily run
    has, so a date counts when it holds snapshots for at least half of the scored accounts
    (else the latest date with any snapshot).
    """
    newest: date | None = await session.scalar(
        text("SELECT max(as_of) FROM health_snapshot WHERE CAST(:d AS date) IS NULL OR as_of <= :d"),
        {"d": on_or_before},
    )
    if newest is None:
        return None
    full: date | None = await session.scalar(
        text(
            """
            SELECT as_of FROM health_snapshot
            WHERE as_of BETWEEN CAST(:d AS date) - 14 AND :d
            GROUP BY as_of
            HAVING count(*) >= 0.5 * (SELECT count(*) FROM account_health)
            ORDER BY as_of DESC LIMIT 1
            """
        ),
        {"d": newest},
    )
    return full or newest


async def points(session: AsyncSession, as_of: date) -> list[dict[str, Any]]:
    rows = await session.execute(
        text(
            """
            SELECT s.account_id, a.name, s.usage_axis, s.health_axis, s.health_score, s.band, s.quadrant, s.arr
            FROM health_snapshot s JOIN account a ON a.id = s.account_id
            WHERE s.as_of = :d
            ORDER BY s.arr DESC
            """
        ),
        {"d": as_of},
    )
    return [dict(r) for r in rows.mappings()]


async def distribution(session: AsyncSession, date_from: date, date_to: date, weekly: bool) -> list[dict[str, Any]]:
    rows = await session.execute(
        text(
            """
            SELECT as_of, quadrant, count(*) AS accounts, coalesce(sum(arr), 0) AS arr
            FROM health_snapshot
            WHERE as_of BETWEEN :a AND :b AND quadrant IS NOT NULL
              AND (NOT :weekly OR extract(isodow FROM as_of) = 1 OR as_of = :b)
            GROUP BY as_of, quadrant ORDER BY as_of
            """
        ),
        {"a": date_from, "b": date_to, "weekly": weekly},
    )
    return [dict(r) for r in rows.mappings()]


async def moves(
    session: AsyncSession, since: date, until: date, to_quadrant: str | None, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    params = {"a": since, "b": until, "q": to_quadrant, "limit": limit, "offset": offset}
    total = await session.scalar(
        text(
            "SELECT count(*) FROM quadrant_move m "
            "WHERE m.moved_on BETWEEN :a AND :b AND (CAST(:q AS text) IS NULL OR m.to_quadrant = :q)"
        ),
        params,
    )
    rows = await session.execute(
        text(
            """
            SELECT m.account_id, a.name, coalesce(a.current_arr, a.declared_arr, 0) AS arr, m.moved_on,
                   m.from_quadrant, m.to_quadrant, h.health_score
            FROM quadrant_move m
            JOIN account a ON a.id = m.account_id
            LEFT JOIN account_health h ON h.account_id = m.account_id
            WHERE m.moved_on BETWEEN :a AND :b AND (CAST(:q AS text) IS NULL OR m.to_quadrant = :q)
            ORDER BY m.moved_on DESC, coalesce(a.current_arr, a.declared_arr, 0) DESC, m.account_id
            LIMIT :limit OFFSET :offset
            """
        ),
        params,
    )
    return [dict(r) for r in rows.mappings()], int(total or 0)


async def transitions(session: AsyncSession, d_from: date, d_to: date) -> list[dict[str, Any]]:
    rows = await session.execute(
        text(
            """
            WITH a AS (SELECT account_id, quadrant, arr FROM health_snapshot WHERE as_of = :a AND quadrant IS NOT NULL),
                 b AS (SELECT account_id, quadrant, arr FROM health_snapshot WHERE as_of = :b AND quadrant IS NOT NULL)
            SELECT a.quadrant AS from_quadrant, b.quadrant AS to_quadrant, count(*) AS accounts,
                   coalesce(sum(coalesce(b.arr, a.arr)), 0) AS arr
            FROM a FULL JOIN b ON a.account_id = b.account_id
            GROUP BY 1, 2 ORDER BY 1 NULLS FIRST, 2 NULLS LAST
            """
        ),
        {"a": d_from, "b": d_to},
    )
    return [dict(r) for r in rows.mappings()]


_WEEK_OF_MOVES = text(
    """
    SELECT count(*) FILTER (WHERE to_quadrant = 'churn_risk') AS into_churn_risk,
           count(*) FILTER (WHERE from_quadrant = 'champions') AS left_champions,
           count(*) AS moves
    FROM quadrant_move WHERE moved_on > CAST(:d AS date) - 7 AND moved_on <= :d
    """
)


async def week_of_moves(session: AsyncSession, day: date) -> dict[str, int]:
    """Moves in the seven days ending ``day``: all, into Churn Risk, out of Champions."""
    return dict((await session.execute(_WEEK_OF_MOVES, {"d": day})).mappings().one())
