"""Tasks: the open list, adding one, completing or cancelling it."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter

from app.auth.dependencies import Reader, Worker
from app.core.db import SessionDep
from app.core.errors import Problem
from app.tasks import service
from app.tasks.schemas import TaskCreate, TaskPublic, TaskUpdate

router = APIRouter(prefix="/api/v1/tasks", tags=["playbooks"])
ERRORS: dict[int | str, dict[str, Any]] = {404: {"model": Problem}, 409: {"model": Problem}}


@router.get("", operation_id="listTasks", response_model=list[TaskPublic])
async def list_tasks(
    principal: Reader, session: SessionDep, account_id: uuid.UUID | None = None, mine: bool = False
) -> list[TaskPublic]:
    return await service.list_open(session, principal, account_id, mine)


@router.post("", operation_id="createTask", response_model=TaskPublic, status_code=201, responses=ERRORS)
async def create_task(payload: TaskCreate, principal: Worker, session: SessionDep) -> TaskPublic:
    """A task of your own on an account (assigned to you unless someone else is named)."""
    return await service.create(session, principal, payload)


@router.patch("/{task_id}", operation_id="updateTask", response_model=TaskPublic, responses=ERRORS)
async def update_task(task_id: uuid.UUID, payload: TaskUpdate, principal: Worker, session: SessionDep) -> TaskPublic:
    return await service.update(session, principal, task_id, payload)
