"""Tasks: the open list (an account's, or mine), adding one, changing its status. A task is
its account's: the people who may change the account (``app.accounts.access``) add and
update it; its assignee updates it too."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import access
from app.audit.service import record
from app.auth.service import Principal
from app.core.enums import TaskStatus
from app.core.errors import BadPayload, NotFound
from app.core.models import utcnow
from app.tasks import repository
from app.tasks.models import Task
from app.tasks.schemas import TaskCreate, TaskPublic, TaskUpdate

LIST_LIMIT = 500


async def list_open(
    session: AsyncSession, principal: Principal, account_id: uuid.UUID | None, mine: bool
) -> list[TaskPublic]:
    if account_id is not None:
        await access.require_read(session, principal, account_id)
    scope = access.read_scope(principal).condition()
    out = []
    for task, account_name in await repository.open_tasks(
        session, account_id, mine, principal.user_id, LIST_LIMIT, scope
    ):
        view = TaskPublic.model_validate(task)
        view.account_name = account_name
        out.append(view)
    return out


async def create(session: AsyncSession, principal: Principal, payload: TaskCreate) -> TaskPublic:
    """A task of your own on an account (assigned to you unless someone else is named)."""
    user_id, actor = principal.user_id, principal.actor
    await access.require_write(session, principal, payload.account_id)
    if not await repository.account_exists(session, payload.account_id):
        raise NotFound(f"No account with id {payload.account_id}")
    if payload.assignee_id and not await repository.user_exists(session, payload.assignee_id):
        raise BadPayload(f"No user {payload.assignee_id}")
    task = Task(
        account_id=payload.account_id,
        title=payload.title,
        due_date=payload.due_date,
        assignee_id=payload.assignee_id or user_id,
        created_by_id=user_id,
    )
    await repository.add(session, [task])
    record(session, actor, "task.create", "task", task.id, {"account_id": str(payload.account_id)})
    return TaskPublic.model_validate(task)


async def update(session: AsyncSession, principal: Principal, task_id: uuid.UUID, payload: TaskUpdate) -> TaskPublic:
    """Done or cancelled (or open again): by whoever may change its account, or its assignee."""
    user_id, actor = principal.user_id, principal.actor
    task = await repository.get(session, task_id)
    if task is None:
        raise NotFound(f"No task {task_id}")
    if user_id is None or task.assignee_id != user_id:
        await access.require_write(session, principal, task.account_id, missing=f"No task {task_id}")
    done = payload.status == TaskStatus.done
    task.status = payload.status.value
    task.completed_at = utcnow() if done else None
    task.completed_by_id = user_id if done else None
    await session.flush()
    record(session, actor, "task.update", "task", task_id, {"status": payload.status.value})
    return TaskPublic.model_validate(task)


ACCOUNT_LIMIT = 50  # tasks per account, as the account page lists them


async def of_accounts(session: AsyncSession, account_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[TaskPublic]]:
    """Each account's open tasks and those finished in the last 30 days (the account page's
    list), for accounts the caller has read already."""
    done_since = utcnow() - timedelta(days=30)
    found = await repository.of_accounts(session, account_ids, done_since, ACCOUNT_LIMIT)
    return {a: [TaskPublic.model_validate(t) for t in tasks] for a, tasks in found.items()}
