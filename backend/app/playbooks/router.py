"""Playbooks: the library, editing, previews on a chosen account (saved or draft), runs,
their effectiveness, and tasks."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy import select
from sqlmodel import col

from app.accounts.models import Account
from app.audit.service import record
from app.auth.dependencies import Lead, Reader, Worker
from app.auth.models import User
from app.core.db import SessionDep
from app.core.enums import PlaybookRunStatus, TaskStatus
from app.core.errors import BadPayload, NotFound, Problem
from app.core.models import utcnow
from app.playbooks import repository, service
from app.playbooks.models import PlaybookRun
from app.playbooks.schemas import (
    DraftPreviewRequest,
    PlaybookCreate,
    PlaybookDefinition,
    PlaybookEffectiveness,
    PlaybookPublic,
    PlaybookRunComplete,
    PlaybookRunCreate,
    PlaybookRunPublic,
    PlaybookUpdate,
    PlayPreview,
    PreviewRequest,
    TaskCreate,
    TaskPublic,
    TaskUpdate,
)
from app.scoring import service as scoring
from app.workflow.models import Task

router = APIRouter(prefix="/api/v1/playbooks", tags=["playbooks"])
tasks_router = APIRouter(prefix="/api/v1/tasks", tags=["playbooks"])
ERRORS: dict[int | str, dict[str, Any]] = {404: {"model": Problem}, 409: {"model": Problem}}


async def _thresholds(session: Any) -> Any:
    return (await scoring.load_active(session)).body.alerts


@router.get("", operation_id="playbooks:list", response_model=list[PlaybookPublic])
async def list_playbooks(principal: Reader, session: SessionDep) -> list[PlaybookPublic]:
    return [PlaybookPublic.model_validate(p) for p in await service.list_playbooks(session)]


@router.post("", operation_id="playbooks:create", response_model=PlaybookPublic, status_code=201, responses=ERRORS)
async def create_playbook(payload: PlaybookCreate, principal: Lead, session: SessionDep) -> PlaybookPublic:
    defn = service.check_definition(
        PlaybookDefinition.model_validate(payload.model_dump(exclude={"key"})), await _thresholds(session)
    )
    return PlaybookPublic.model_validate(await service.create(session, payload.key, defn, principal.actor))


@router.get("/effectiveness", operation_id="playbooks:effectiveness", response_model=list[PlaybookEffectiveness])
async def effectiveness(principal: Reader, session: SessionDep) -> list[PlaybookEffectiveness]:
    """Per play: runs, and the share followed by an improvement (health +5 or a better
    quadrant) 30 and 60 days after the start, among runs old enough to judge."""
    return await service.effectiveness(session)


@router.post("/preview", operation_id="playbooks:previewDraft", response_model=PlayPreview, responses=ERRORS)
async def preview_draft(payload: DraftPreviewRequest, principal: Reader, session: SessionDep) -> PlayPreview:
    """A definition being edited, rendered on an account with its real numbers (nothing is saved)."""
    defn = service.check_definition(payload.definition, await _thresholds(session))
    drafted = await service.draft(session, defn, payload.account_id)
    return PlayPreview.model_validate({"tasks": drafted["tasks"], "email": drafted["email"]})


@router.get("/runs", operation_id="playbooks:runs", response_model=list[PlaybookRunPublic])
async def runs(
    principal: Reader,
    session: SessionDep,
    account_id: uuid.UUID | None = None,
    playbook_id: uuid.UUID | None = None,
    status: PlaybookRunStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> list[PlaybookRunPublic]:
    rows = await repository.runs(session, account_id, playbook_id, status.value if status else None, limit)
    tasks = await repository.tasks_by_run(session, [r[0].id for r in rows])
    out = []
    for run, playbook_name, account_name in rows:
        view = PlaybookRunPublic.model_validate(run)
        view.tasks = [TaskPublic.model_validate(t) for t in tasks[run.id]]
        view.playbook_name, view.account_name = playbook_name, account_name
        out.append(view)
    return out


async def _run_view(session: Any, run: PlaybookRun) -> PlaybookRunPublic:
    view = PlaybookRunPublic.model_validate(run)
    view.tasks = [TaskPublic.model_validate(t) for t in (await repository.tasks_by_run(session, [run.id]))[run.id]]
    return view


@router.post(
    "/runs/{run_id}/complete", operation_id="playbooks:complete", response_model=PlaybookRunPublic, responses=ERRORS
)
async def complete(
    run_id: uuid.UUID, payload: PlaybookRunComplete, principal: Worker, session: SessionDep
) -> PlaybookRunPublic:
    run = await service.complete(session, run_id, payload.outcome, principal.actor)
    return await _run_view(session, run)


@router.patch("/{playbook_id}", operation_id="playbooks:update", response_model=PlaybookPublic, responses=ERRORS)
async def update_playbook(
    playbook_id: uuid.UUID, payload: PlaybookUpdate, principal: Lead, session: SessionDep
) -> PlaybookPublic:
    """Send only what changes; runs already started keep what they were given."""
    changes = payload.model_dump(exclude_unset=True)
    playbook = await service.update(session, playbook_id, changes, await _thresholds(session), principal.actor)
    return PlaybookPublic.model_validate(playbook)


@router.post("/{playbook_id}/preview", operation_id="playbooks:preview", response_model=PlayPreview, responses=ERRORS)
async def preview(
    playbook_id: uuid.UUID, payload: PreviewRequest, principal: Reader, session: SessionDep
) -> PlayPreview:
    """The tasks and the email the play would create for this account, with its real numbers."""
    drafted = await service.draft(session, await service.get(session, playbook_id), payload.account_id)
    return PlayPreview.model_validate({"tasks": drafted["tasks"], "email": drafted["email"]})


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


@tasks_router.get("", operation_id="tasks:list", response_model=list[TaskPublic])
async def list_tasks(
    principal: Reader, session: SessionDep, account_id: uuid.UUID | None = None, mine: bool = False
) -> list[TaskPublic]:
    stmt = (
        select(Task, col(Account.name))
        .join(Account, col(Account.id) == col(Task.account_id))
        .where(col(Task.status) == TaskStatus.open.value)
        .order_by(col(Task.due_date))
        .limit(500)
    )
    if account_id:
        stmt = stmt.where(col(Task.account_id) == account_id)
    if mine:
        stmt = stmt.where(col(Task.assignee_id) == principal.user_id)
    out = []
    for task, account_name in (await session.execute(stmt)).all():
        view = TaskPublic.model_validate(task)
        view.account_name = account_name
        out.append(view)
    return out


@tasks_router.post("", operation_id="tasks:create", response_model=TaskPublic, status_code=201, responses=ERRORS)
async def create_task(payload: TaskCreate, principal: Worker, session: SessionDep) -> TaskPublic:
    """A task of your own on an account (assigned to you unless someone else is named)."""
    if await session.get(Account, payload.account_id) is None:
        raise NotFound(f"No account with id {payload.account_id}")
    assignee = payload.assignee_id or principal.user_id
    if payload.assignee_id and await session.get(User, payload.assignee_id) is None:
        raise BadPayload(f"No user {payload.assignee_id}")
    task = Task(
        account_id=payload.account_id,
        title=payload.title,
        due_date=payload.due_date,
        assignee_id=assignee,
        created_by_id=principal.user_id,
    )
    session.add(task)
    await session.flush()
    record(session, principal.actor, "task.create", "task", task.id, {"account_id": str(payload.account_id)})
    return TaskPublic.model_validate(task)


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
