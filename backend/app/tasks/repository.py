"""SQL of the ``task`` table (its only writer)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.models import Account
from app.auth.models import User
from app.core.enums import TaskStatus
from app.tasks.models import Task


async def open_tasks(
    session: AsyncSession,
    account_id: uuid.UUID | None,
    mine: bool,
    user_id: uuid.UUID | None,
    limit: int,
    scope: Any | None = None,
) -> list[tuple[Task, str]]:
    """Open tasks by due date, each with its account's name (``mine``: assigned to ``user_id``;
    for a caller with no user, the unassigned ones; ``scope``: a condition on ``account``, the
    accounts the caller reads)."""
    stmt = (
        select(Task, col(Account.name))
        .join(Account, col(Account.id) == col(Task.account_id))
        .where(col(Task.status) == TaskStatus.open.value)
        .order_by(col(Task.due_date))
        .limit(limit)
    )
    if account_id:
        stmt = stmt.where(col(Task.account_id) == account_id)
    if mine:
        stmt = stmt.where(col(Task.assignee_id) == user_id)
    if scope is not None:  # what the caller reads, and the tasks assigned to them
        stmt = stmt.where(or_(scope, col(Task.assignee_id) == user_id) if user_id else scope)
    return [(task, name) for task, name in (await session.execute(stmt)).all()]


async def get(session: AsyncSession, task_id: uuid.UUID) -> Task | None:
    return await session.get(Task, task_id)


async def add(session: AsyncSession, tasks: Sequence[Task]) -> None:
    session.add_all(tasks)
    await session.flush()


async def by_run(session: AsyncSession, run_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Task]]:
    """Tasks of several runs in one query, by due date."""
    out: dict[uuid.UUID, list[Task]] = {r: [] for r in run_ids}
    if run_ids:
        rows = await session.execute(
            select(Task).where(col(Task.playbook_run_id).in_(run_ids)).order_by(col(Task.due_date), col(Task.title))
        )
        for task in rows.scalars():
            out[task.playbook_run_id].append(task)  # type: ignore[index]
    return out


async def cancel_open_of_run(session: AsyncSession, run_id: uuid.UUID) -> None:
    await session.execute(
        text("UPDATE task SET status = 'cancelled' WHERE playbook_run_id = :r AND status = :open"),
        {"r": run_id, "open": TaskStatus.open.value},
    )


async def account_exists(session: AsyncSession, account_id: uuid.UUID) -> bool:
    return await session.get(Account, account_id) is not None


async def user_exists(session: AsyncSession, user_id: uuid.UUID) -> bool:
    return await session.get(User, user_id) is not None


async def of_accounts(
    session: AsyncSession, account_ids: Sequence[uuid.UUID], done_since: Any, limit_each: int
) -> dict[uuid.UUID, list[Task]]:
    """Each account's open tasks and those finished since ``done_since`` (the account page's
    list): open first, by due date, at most ``limit_each`` per account."""
    out: dict[uuid.UUID, list[Task]] = {a: [] for a in account_ids}
    if not account_ids:
        return out
    ranked = (
        select(
            col(Task.id),
            func.row_number()
            .over(
                partition_by=col(Task.account_id),
                order_by=[
                    col(Task.status) != TaskStatus.open.value,
                    col(Task.due_date).asc().nulls_last(),
                    col(Task.id),
                ],
            )
            .label("n"),
        )
        .where(
            col(Task.account_id).in_(list(account_ids)),
            or_(col(Task.status) == TaskStatus.open.value, col(Task.completed_at) > done_since),
        )
        .subquery()
    )
    rows = await session.execute(
        select(Task)
        .join(ranked, ranked.c.id == col(Task.id))
        .where(ranked.c.n <= limit_each)
        .order_by(col(Task.account_id), ranked.c.n)
    )
    for task in rows.scalars():
        out[task.account_id].append(task)
    return out
