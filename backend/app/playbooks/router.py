"""Playbooks: the library, editing, previews on a chosen account (saved or draft), runs and
their effectiveness."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query

from app.auth.dependencies import Lead, Reader, Worker
from app.core.db import SessionDep
from app.core.enums import PlaybookRunStatus
from app.core.errors import Problem
from app.playbooks import service
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
)

router = APIRouter(prefix="/api/v1/playbooks", tags=["playbooks"])
ERRORS: dict[int | str, dict[str, Any]] = {404: {"model": Problem}, 409: {"model": Problem}}


@router.get("", operation_id="listPlaybooks", response_model=list[PlaybookPublic])
async def list_playbooks(principal: Reader, session: SessionDep) -> list[PlaybookPublic]:
    return [PlaybookPublic.model_validate(p) for p in await service.list_playbooks(session)]


@router.post("", operation_id="createPlaybook", response_model=PlaybookPublic, status_code=201, responses=ERRORS)
async def create_playbook(payload: PlaybookCreate, principal: Lead, session: SessionDep) -> PlaybookPublic:
    defn = service.check_definition(
        PlaybookDefinition.model_validate(payload.model_dump(exclude={"key"})), await service.thresholds(session)
    )
    return PlaybookPublic.model_validate(await service.create(session, payload.key, defn, principal.actor))


@router.get("/effectiveness", operation_id="getPlaybookEffectiveness", response_model=list[PlaybookEffectiveness])
async def effectiveness(principal: Reader, session: SessionDep) -> list[PlaybookEffectiveness]:
    """Per play: runs, and the share followed by an improvement (health +5 or a better
    quadrant) 30 and 60 days after the start, among runs old enough to judge."""
    return await service.effectiveness(session)


@router.post("/preview", operation_id="previewPlaybookDraft", response_model=PlayPreview, responses=ERRORS)
async def preview_draft(payload: DraftPreviewRequest, principal: Reader, session: SessionDep) -> PlayPreview:
    """A definition being edited, rendered on an account with its real numbers (nothing is saved)."""
    defn = service.check_definition(payload.definition, await service.thresholds(session))
    drafted = await service.preview_for(session, principal, defn, payload.account_id)
    return PlayPreview.model_validate({"tasks": drafted["tasks"], "email": drafted["email"]})


@router.get("/runs", operation_id="listPlayRuns", response_model=list[PlaybookRunPublic])
async def runs(
    principal: Reader,
    session: SessionDep,
    account_id: uuid.UUID | None = None,
    playbook_id: uuid.UUID | None = None,
    status: PlaybookRunStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> list[PlaybookRunPublic]:
    return await service.list_runs(session, principal, account_id, playbook_id, status, limit)


@router.post(
    "/runs/{run_id}/complete", operation_id="completePlayRun", response_model=PlaybookRunPublic, responses=ERRORS
)
async def complete(
    run_id: uuid.UUID, payload: PlaybookRunComplete, principal: Worker, session: SessionDep
) -> PlaybookRunPublic:
    run = await service.complete(session, principal, run_id, payload.outcome)
    return await service.run_view(session, run)


@router.patch("/{playbook_id}", operation_id="updatePlaybook", response_model=PlaybookPublic, responses=ERRORS)
async def update_playbook(
    playbook_id: uuid.UUID, payload: PlaybookUpdate, principal: Lead, session: SessionDep
) -> PlaybookPublic:
    """Send only what changes; runs already started keep what they were given."""
    changes = payload.model_dump(exclude_unset=True)
    playbook = await service.update(session, playbook_id, changes, await service.thresholds(session), principal.actor)
    return PlaybookPublic.model_validate(playbook)


@router.post("/{playbook_id}/preview", operation_id="previewPlaybook", response_model=PlayPreview, responses=ERRORS)
async def preview(
    playbook_id: uuid.UUID, payload: PreviewRequest, principal: Reader, session: SessionDep
) -> PlayPreview:
    """The tasks and the email the play would create for this account, with its real numbers."""
    drafted = await service.preview_for(session, principal, await service.get(session, playbook_id), payload.account_id)
    return PlayPreview.model_validate({"tasks": drafted["tasks"], "email": drafted["email"]})


@router.post(
    "/{playbook_id}/runs",
    operation_id="startPlaybook",
    response_model=PlaybookRunPublic,
    status_code=201,
    responses=ERRORS,
)
async def start(
    playbook_id: uuid.UUID, payload: PlaybookRunCreate, principal: Worker, session: SessionDep
) -> PlaybookRunPublic:
    """Start the play on an account: its tasks are created and its email drafted."""
    return await service.start_for(session, principal, playbook_id, payload.account_id, alert_id=payload.alert_id)
