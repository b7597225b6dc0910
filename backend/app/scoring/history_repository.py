"""SQL reading stored scores back: an account's snapshots, history and moves, every account's latest."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import RowMapping, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.enums import Quadrant


@dataclass
class StoredSnapshot:
    account_id: uuid.UUID
    as_of: date
    config_version: int
    quadrant: Quadrant | None
    inputs: dict[str, dict[str, Any]]
    arr: float
    computed_at: datetime | None


async def account_exists(session: AsyncSession, account_id: uuid.UUID) -> bool:
    return bool(await session.scalar(text("SELECT 1 FROM account WHERE id = :id"), {"id": account_id}))


async def snapshot_on_or_before(
    session: AsyncSession, account_id: uuid.UUID, day: date | None
) -> StoredSnapshot | None:
    """The account's latest snapshot dated on or before ``day`` (``None``: the latest of all)."""
    row = (
        (
            await session.execute(
                text(
                    """
                    SELECT account_id, as_of, config_version, quadrant, inputs, arr, computed_at
                    FROM health_snapshot
                    WHERE account_id = :id AND (CAST(:d AS date) IS NULL OR as_of <= :d)
                    ORDER BY as_of DESC LIMIT 1
                    """
                ),
                {"id": account_id, "d": day},
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        return None
    return StoredSnapshot(
        row["account_id"],
        row["as_of"],
        row["config_version"],
        Quadrant(row["quadrant"]) if row["quadrant"] else None,
        row["inputs"],
        float(row["arr"]),
        row["computed_at"],
    )


async def history_points(session: AsyncSession, account_id: uuid.UUID, start: date, end: date) -> list[dict[str, Any]]:
    """The account's scores on each stored date from ``start`` to ``end``, oldest first."""
    rows = (
        await session.execute(
            text(
                """
                SELECT as_of, health_score, band, usage_axis, health_axis, quadrant, coverage, config_version,
                       usage_score AS usage, support_score AS support, sentiment_score AS sentiment,
                       relationship_score AS relationship, commercial_score AS commercial
                FROM health_snapshot WHERE account_id = :id AND as_of BETWEEN :a AND :b ORDER BY as_of
                """
            ),
            {"id": account_id, "a": start, "b": end},
        )
    ).mappings()
    return [dict(r) for r in rows]


async def quadrant_moves(session: AsyncSession, account_id: uuid.UUID, start: date, end: date) -> list[dict[str, Any]]:
    """The account's quadrant moves from ``start`` to ``end``, oldest first."""
    moves = (
        await session.execute(
            text(
                """
                SELECT moved_on, from_quadrant, to_quadrant, config_version FROM quadrant_move
                WHERE account_id = :id AND moved_on BETWEEN :a AND :b ORDER BY moved_on
                """
            ),
            {"id": account_id, "a": start, "b": end},
        )
    ).mappings()
    return [dict(m) for m in moves]


async def latest_snapshots(session: AsyncSession) -> Sequence[RowMapping]:
    """Every scored account's current snapshot, with its stored inputs and name."""
    return (
        (
            await session.execute(
                text(
                    """
                SELECT s.account_id, a.name, s.as_of, s.inputs, s.arr, s.health_score, s.band, s.quadrant
                FROM account_health h
                JOIN health_snapshot s ON s.account_id = h.account_id AND s.as_of = h.as_of
                JOIN account a ON a.id = h.account_id
                """
                )
            )
        )
        .mappings()
        .all()
    )


# -- many accounts at once (GraphQL's DataLoaders: one statement per batch) ----------------


def _stored(row: RowMapping) -> StoredSnapshot:
    return StoredSnapshot(
        row["account_id"],
        row["as_of"],
        row["config_version"],
        Quadrant(row["quadrant"]) if row["quadrant"] else None,
        row["inputs"],
        float(row["arr"]),
        row["computed_at"],
    )


_ON_OR_BEFORE_EACH = text(
    """
    SELECT w.day AS wanted_day, s.account_id, s.as_of, s.config_version, s.quadrant, s.inputs, s.arr, s.computed_at
    FROM unnest(CAST(:ids AS uuid[]), CAST(:days AS date[])) AS w(account_id, day)
    JOIN LATERAL (
        SELECT account_id, as_of, config_version, quadrant, inputs, arr, computed_at
        FROM health_snapshot
        WHERE account_id = w.account_id AND (w.day IS NULL OR as_of <= w.day)
        ORDER BY as_of DESC LIMIT 1
    ) s ON true
    """
)


async def snapshots_on_or_before_each(
    session: AsyncSession, wanted: Sequence[tuple[uuid.UUID, date | None]]
) -> dict[tuple[uuid.UUID, date | None], StoredSnapshot]:
    """``snapshot_on_or_before`` for each (account, day) pair, in one statement; pairs with no
    snapshot are absent."""
    if not wanted:
        return {}
    params = {"ids": [a for a, _ in wanted], "days": [d for _, d in wanted]}
    rows = (await session.execute(_ON_OR_BEFORE_EACH, params)).mappings()
    return {(r["account_id"], r["wanted_day"]): _stored(r) for r in rows}


async def _grouped(
    session: AsyncSession, statement: str, ids: Sequence[uuid.UUID], start: date, end: date
) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """Rows of ``statement`` (over ``:ids`` between ``:a`` and ``:b``, ordered by account) as
    each account's list, without its ``account_id``; every id gets a list, empty or not."""
    out: dict[uuid.UUID, list[dict[str, Any]]] = {i: [] for i in ids}
    if not ids:
        return out
    rows = (await session.execute(text(statement), {"ids": list(ids), "a": start, "b": end})).mappings()
    for r in rows:
        item = dict(r)
        out[item.pop("account_id")].append(item)
    return out


async def history_points_of(
    session: AsyncSession, ids: Sequence[uuid.UUID], start: date, end: date
) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """``history_points`` of several accounts in one statement."""
    return await _grouped(
        session,
        """
        SELECT account_id, as_of, health_score, band, usage_axis, health_axis, quadrant, coverage,
               config_version, usage_score AS usage, support_score AS support,
               sentiment_score AS sentiment, relationship_score AS relationship,
               commercial_score AS commercial
        FROM health_snapshot
        WHERE account_id = ANY(CAST(:ids AS uuid[])) AND as_of BETWEEN :a AND :b
        ORDER BY account_id, as_of
        """,
        ids,
        start,
        end,
    )


async def quadrant_moves_of(
    session: AsyncSession, ids: Sequence[uuid.UUID], start: date, end: date
) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """``quadrant_moves`` of several accounts in one statement, oldest first."""
    return await _grouped(
        session,
        """
        SELECT account_id, moved_on, from_quadrant, to_quadrant, config_version FROM quadrant_move
        WHERE account_id = ANY(CAST(:ids AS uuid[])) AND moved_on BETWEEN :a AND :b
        ORDER BY account_id, moved_on
        """,
        ids,
        start,
        end,
    )
