"""Playbooks: the library, a preview on a chosen account, runs, and their tasks."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter
from sqlalchemy import select
from sqlmodel import col

from app.audit.service import record
from app.auth.dependencies import Admin, Reader, Worker
from app.core.db import SessionDep
from app.core.enums import TaskStatus
from app.core.errors import Conflict, NotFound, Problem
from app.core.models import utcnow
from app.playbooks import service, templating
from app.playbooks.models import Playbook, PlaybookRun
from app.playbooks.schemas import (
    PlaybookCreate,
    PlaybookPublic,
    PlaybookRunComplete,
    PlaybookRunCreate,
    PlaybookRunPublic,
    PlayPreview,
    PreviewRequest,
    TaskPublic,
    TaskUpdate,
)
from app.workflow.models import Task

router = APIRouter(prefix="/api/v1/playbooks", tags=["playbooks"])
tasks_router = APIRouter(prefix="/api/v1/tasks", tags=["playbooks"])
ERRORS: dict[int | str, dict[str, Any]] = {404: {"model": Problem}, 409: {"model": Problem}}


@router.get("", operation_id="playbooks:list", response_model=list[PlaybookPublic])
async def list_playbooks(principal: Reader, session: SessionDep) -> list[PlaybookPublic]:
    return [PlaybookPublic.model_validate(p) for p in await service.list_playbooks(session)]


@router.post("", operation_id="playbooks:create", response_model=PlaybookPublic, status_code=201, responses=ERRORS)
async def create_playbook(payload: PlaybookCreate, principal: Admin, session: SessionDep) -> PlaybookPublic:
    for field in ("email_subject_template", "email_body_template"):
        if value := getattr(payload, field):
            templating.check(value, field)
    for step in payload.steps:
        templating.check(step.title, "steps")
    await service.ensure_library(session)
    if (await session.execute(select(Playbook).where(col(Playbook.key) == payload.key))).first():
        raise Conflict(f"A playbook with key {payload.key!r} exists")
    playbook = Playbook(**payload.model_dump(mode="json"))
    session.add(playbook)
    await session.flush()
    record(session, principal.actor, "playbook.create", "playbook", playbook.id, {"key": payload.key})
    return PlaybookPublic.model_validate(playbook)


@router.post("/{playbook_id}/preview", operation_id="playbooks:preview", response_model=PlayPreview, responses=ERRORS)
async def preview(
    playbook_id: uuid.UUID, payload: PreviewRequest, principal: Reader, session: SessionDep
) -> PlayPreview:
    """The tasks and the email the play would create for this account, with its real numbers."""
    drafted = await service.draft(session, await service.get(session, playbook_id), payload.account_id)
    return PlayPreview.model_validate({"tasks": drafted["tasks"], "email": drafted["email"]})


async def _run_view(session: Any, run: PlaybookRun) -> PlaybookRunPublic:
    tasks = await session.execute(select(Task).where(col(Task.playbook_run_id) == run.id).order_by(col(Task.due_date)))
    view = PlaybookRunPublic.model_validate(run)
    view.tasks = [TaskPublic.model_validate(t) for t in tasks.scalars()]
    return view


@router.post(
    "/{playbook_id}/runs",
    operation_id="playbooks:start",
    response_model=PlaybookRunPublic,
    status_code=201,
    responses=ERRORS,
)
async def start(
    playbook_id: uuid.UUID, payload: PlaybookRunCreate, principal: Worker, session: SessionDep
) -> PlaybookRunPublic:
    """Start the play on an account: its tasks are created and its email drafted."""
    playbook = await service.get(session, playbook_id)
    run = await service.start(
        session, playbook, payload.account_id, principal.actor, principal.user_id, alert_id=payload.alert_id
    )
    return await _run_view(session, run)


@router.get("/runs", operation_id="playbooks:runs", response_model=list[PlaybookRunPublic])
async def runs(principal: Reader, session: SessionDep, account_id: uuid.UUID | None = None) -> list[PlaybookRunPublic]:
    stmt = select(PlaybookRun).order_by(col(PlaybookRun.started_at).desc()).limit(200)
    if account_id:
        stmt = stmt.where(col(PlaybookRun.account_id) == account_id)
    return [await _run_view(session, r) for r in (await session.execute(stmt)).scalars()]


@router.post(
    "/runs/{run_id}/complete", operation_id="playbooks:complete", response_model=PlaybookRunPublic, responses=ERRORS
)
async def complete(
    run_id: uuid.UUID, payload: PlaybookRunComplete, principal: Worker, session: SessionDep
) -> PlaybookRunPublic:
    run = await service.complete(session, run_id, payload.outcome, principal.actor)
    return await _run_view(session, run)


@tasks_router.get("", operation_id="tasks:list", response_model=list[TaskPublic])
async def list_tasks(
    principal: Reader, session: SessionDep, account_id: uuid.UUID | None = None, mine: bool = False
) -> list[TaskPublic]:
    stmt = select(Task).where(col(Task.status) == TaskStatus.open.value).order_by(col(Task.due_date)).limit(500)
    if account_id:
        stmt = stmt.where(col(Task.account_id) == account_id)
    if mine:
        stmt = stmt.where(col(Task.assignee_id) == principal.user_id)
    return [TaskPublic.model_validate(t) for t in (await session.execute(stmt)).scalars()]


@tasks_router.patch("/{task_id}", operation_id="tasks:update", response_model=TaskPublic, responses=ERRORS)
async def update_task(task_id: uuid.UUID, payload: TaskUpdate, principal: Worker, session: SessionDep) -> TaskPublic:
    task = await session.get(Task, task_id)
    if task is None:
        raise NotFound(f"No task {task_id}")
    task.status = payload.status.value
    task.completed_at = utcnow() if payload.status == TaskStatus.done else None
    task.completed_by_id = principal.user_id if payload.status == TaskStatus.done else None
    await session.flush()
    record(session, principal.actor, "task.update", "task", task_id, {"status": payload.status.value})
    return TaskPublic.model_validate(task)
