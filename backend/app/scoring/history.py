"""An account's health history: its scores over a date range, config changes and quadrant moves."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.scoring import history_repository as history_repo
from app.scoring import repository as repo
from app.scoring import service
from app.scoring.reading import require_account
from app.scoring.schemas import ConfigMarker, HealthHistory, HistoryPoint, QuadrantMovePublic


async def health_history(
    session: AsyncSession, account_id: uuid.UUID, date_from: date | None, date_to: date | None
) -> HealthHistory:
    await require_account(session, account_id)
    end = date_to or service.today()
    start = date_from or end - timedelta(days=90)
    points = [
        HistoryPoint.model_validate(r) for r in await history_repo.history_points(session, account_id, start, end)
    ]
    first_use: dict[int, date] = {}
    for p in points:
        first_use.setdefault(p.config_version, p.as_of)
    markers = []
    for cfg in await repo.list_configs(session):
        assert cfg.version is not None
        activated = cfg.activated_at.date() if cfg.activated_at else None
        in_range = activated is not None and start <= activated <= end
        # A marker where the score series switches version (what a chart needs) or where a
        # version was activated inside the range.
        switches = cfg.version in first_use and points and first_use[cfg.version] != points[0].as_of
        if in_range or switches:
            markers.append(
                ConfigMarker(
                    version=cfg.version,
                    name=cfg.name,
                    activated_at=cfg.activated_at,
                    first_scored_on=first_use.get(cfg.version),
                )
            )
    moves = await history_repo.quadrant_moves(session, account_id, start, end)
    return HealthHistory(
        account_id=account_id,
        date_from=start,
        date_to=end,
        points=points,
        config_markers=sorted(markers, key=lambda m: m.version),
        quadrant_moves=[QuadrantMovePublic.model_validate(m) for m in moves],
    )


async def points_of(session: AsyncSession, ids: Sequence[uuid.UUID], days: int) -> dict[uuid.UUID, list[HistoryPoint]]:
    """The scores of several accounts over the last ``days`` days (today included), oldest first."""
    end = service.today()
    rows = await history_repo.history_points_of(session, ids, end - timedelta(days=days - 1), end)
    return {a: [HistoryPoint.model_validate(r) for r in points] for a, points in rows.items()}


async def moves_of(
    session: AsyncSession, ids: Sequence[uuid.UUID], days: int
) -> dict[uuid.UUID, list[QuadrantMovePublic]]:
    """The quadrant moves of several accounts over the last ``days`` days, oldest first."""
    end = service.today()
    rows = await history_repo.quadrant_moves_of(session, ids, end - timedelta(days=days - 1), end)
    return {a: [QuadrantMovePublic.model_validate(m) for m in moves] for a, moves in rows.items()}
