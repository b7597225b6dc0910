"""SQL of the quadrant views: the book on one date, distribution over time, moves, transitions."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.repository import IN_SCOPE_SQL


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


async def points(session: AsyncSession, as_of: date, scope: dict[str, Any]) -> list[dict[str, Any]]:
    """The scored accounts of the scope on the date (``scope``: ``access.ListScope.params``)."""
    rows = await session.execute(
        text(
            f"""
            SELECT s.account_id, a.name, s.usage_axis, s.health_axis, s.health_score, s.band, s.quadrant, s.arr
            FROM health_snapshot s JOIN account a ON a.id = s.account_id
            WHERE s.as_of = :d AND {IN_SCOPE_SQL}
            ORDER BY s.arr DESC
            """  # noqa: S608 - IN_SCOPE_SQL is a constant; values are bound
        ),
        {"d": as_of, **scope},
    )
    return [dict(r) for r in rows.mappings()]


async def distribution(
    session: AsyncSession, date_from: date, date_to: date, weekly: bool, scope: dict[str, Any]
) -> list[dict[str, Any]]:
    """Accounts and ARR per quadrant on each date, over the accounts of the scope now."""
    rows = await session.execute(
        text(
            f"""
            SELECT s.as_of, s.quadrant, count(*) AS accounts, coalesce(sum(s.arr), 0) AS arr
            FROM health_snapshot s JOIN account a ON a.id = s.account_id
            WHERE s.as_of BETWEEN :a AND :b AND s.quadrant IS NOT NULL
              AND (NOT :weekly OR extract(isodow FROM s.as_of) = 1 OR s.as_of = :b)
              AND {IN_SCOPE_SQL}
            GROUP BY s.as_of, s.quadrant ORDER BY s.as_of
            """  # noqa: S608 - IN_SCOPE_SQL is a constant; values are bound
        ),
        {"a": date_from, "b": date_to, "weekly": weekly, **scope},
    )
    return [dict(r) for r in rows.mappings()]


# Moves of the accounts of a scope (``IN_SCOPE_SQL``), to a quadrant or any, of one owner or any.
_MOVES_WHERE = f"""
    m.moved_on BETWEEN :a AND :b AND (CAST(:q AS text) IS NULL OR m.to_quadrant = :q)
    AND (CAST(:owner AS uuid) IS NULL OR a.owner_id = CAST(:owner AS uuid))
    AND {IN_SCOPE_SQL}"""
_MOVES_COUNT = text(f"SELECT count(*) FROM quadrant_move m JOIN account a ON a.id = m.account_id WHERE {_MOVES_WHERE}")  # noqa: S608
_MOVES = text(
    f"""
    SELECT m.account_id, a.name, coalesce(a.current_arr, a.declared_arr, 0) AS arr, m.moved_on,
           m.from_quadrant, m.to_quadrant, h.health_score, a.owner_id, u.name AS owner_name, u.email AS owner_email
    FROM quadrant_move m
    JOIN account a ON a.id = m.account_id
    LEFT JOIN "user" u ON u.id = a.owner_id
    LEFT JOIN account_health h ON h.account_id = m.account_id
    WHERE {_MOVES_WHERE}
    ORDER BY m.moved_on DESC, coalesce(a.current_arr, a.declared_arr, 0) DESC, m.account_id
    LIMIT :limit OFFSET :offset
    """  # noqa: S608 - constants; values are bound
)


async def moves(
    session: AsyncSession,
    since: date,
    until: date,
    to_quadrant: str | None,
    limit: int,
    offset: int,
    owner_id: uuid.UUID | None,
    scope: dict[str, Any],
) -> tuple[list[dict[str, Any]], int]:
    """Moves in the period, newest and largest first, and how many (``scope``:
    ``access.ListScope.params``)."""
    params = {
        "a": since,
        "b": until,
        "q": to_quadrant,
        "owner": owner_id,
        "limit": limit,
        "offset": offset,
        **scope,
    }
    total = await session.scalar(_MOVES_COUNT, params)
    rows = await session.execute(_MOVES, params)
    return [dict(r) for r in rows.mappings()], int(total or 0)


async def account_ids(session: AsyncSession, scope: dict[str, Any]) -> set[uuid.UUID]:
    """Every account of a scope (``access.ListScope.params``)."""
    rows = await session.execute(text(f"SELECT a.id FROM account a WHERE {IN_SCOPE_SQL}"), scope)  # noqa: S608
    return {r for (r,) in rows}


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
