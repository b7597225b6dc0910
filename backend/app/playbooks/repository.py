"""SQL of playbook runs: their tasks, and what happened to the account after a run started."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.models import Account
from app.playbooks.models import Playbook, PlaybookRun
from app.workflow.models import Task

# Each run with the account's latest snapshot on or before start + 30 and + 60 days (only
# once that day has passed): the effect of a run is judged on those two dates.
RUN_OUTCOMES = text(
    """
    SELECT r.playbook_id, r.status, r.health_at_start, r.quadrant_at_start,
           CAST(r.started_at AT TIME ZONE 'UTC' AS date) AS started_on,
           h30.health_score AS health_30, h30.quadrant AS quadrant_30,
           h60.health_score AS health_60, h60.quadrant AS quadrant_60
    FROM playbook_run r
    LEFT JOIN LATERAL (
        SELECT s.health_score, s.quadrant FROM health_snapshot s
        WHERE s.account_id = r.account_id
          AND s.as_of > CAST(r.started_at AT TIME ZONE 'UTC' AS date)
          AND s.as_of <= CAST(r.started_at AT TIME ZONE 'UTC' AS date) + 30
        ORDER BY s.as_of DESC LIMIT 1
    ) h30 ON CAST(r.started_at AT TIME ZONE 'UTC' AS date) + 30 <= :today
    LEFT JOIN LATERAL (
        SELECT s.health_score, s.quadrant FROM health_snapshot s
        WHERE s.account_id = r.account_id
          AND s.as_of > CAST(r.started_at AT TIME ZONE 'UTC' AS date)
          AND s.as_of <= CAST(r.started_at AT TIME ZONE 'UTC' AS date) + 60
        ORDER BY s.as_of DESC LIMIT 1
    ) h60 ON CAST(r.started_at AT TIME ZONE 'UTC' AS date) + 60 <= :today
    """
)


async def run_outcomes(session: AsyncSession, today: date) -> list[Any]:
    return list((await session.execute(RUN_OUTCOMES, {"today": today})).mappings())


async def tasks_by_run(session: AsyncSession, run_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Task]]:
    """Tasks of several runs in one query, by due date."""
    out: dict[uuid.UUID, list[Task]] = {r: [] for r in run_ids}
    if run_ids:
        rows = await session.execute(
            select(Task).where(col(Task.playbook_run_id).in_(run_ids)).order_by(col(Task.due_date), col(Task.title))
        )
        for task in rows.scalars():
            out[task.playbook_run_id].append(task)  # type: ignore[index]
    return out


async def runs(
    session: AsyncSession, account_id: uuid.UUID | None, playbook_id: uuid.UUID | None, status: str | None, limit: int
) -> list[Any]:
    """Runs, newest first, with their playbook's and account's names."""
    stmt = (
        select(PlaybookRun, col(Playbook.name), col(Account.name))
        .join(Playbook, col(Playbook.id) == col(PlaybookRun.playbook_id))
        .join(Account, col(Account.id) == col(PlaybookRun.account_id))
        .order_by(col(PlaybookRun.started_at).desc())
        .limit(limit)
    )
    if account_id:
        stmt = stmt.where(col(PlaybookRun.account_id) == account_id)
    if playbook_id:
        stmt = stmt.where(col(PlaybookRun.playbook_id) == playbook_id)
    if status:
        stmt = stmt.where(col(PlaybookRun.status) == status)
    return list((await session.execute(stmt)).all())


async def owners_and_arr(session: AsyncSession, account_ids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[Any, float]]:
    rows = await session.execute(
        text(
            "SELECT id, owner_id, coalesce(current_arr, declared_arr, 0)::float8 FROM account "
            "WHERE id = ANY(CAST(:ids AS uuid[]))"
        ),
        {"ids": account_ids},
    )
    return {a: (o, arr) for a, o, arr in rows}


async def automatic_runs_on(session: AsyncSession, day: date) -> dict[Any, int]:
    """Runs alerts started on ``day`` (no person started them), by the account's owner."""
    rows = await session.execute(
        text(
            """
            SELECT a.owner_id, count(*) FROM playbook_run r JOIN account a ON a.id = r.account_id
            WHERE r.alert_id IS NOT NULL AND r.started_by_id IS NULL
              AND r.started_at >= CAST(:day AS date) AND r.started_at < CAST(:day AS date) + 1
            GROUP BY a.owner_id
            """
        ),
        {"day": day},
    )
    return {o: int(n) for o, n in rows}
