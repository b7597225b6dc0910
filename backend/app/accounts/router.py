"""An account: the whole picture in one call, notes, and its team (who may read or change
which account: ``app.accounts.access``)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Response

from app.accounts import service
from app.accounts.schemas import AccountDetail, NoteCreate, NoteView, TeamMemberPublic, TeamUpdate
from app.auth.dependencies import Reader, Worker
from app.core.db import SessionDep
from app.core.errors import Problem

router = APIRouter(prefix="/api/v1/accounts", tags=["accounts"])
ERRORS: dict[int | str, dict[str, Any]] = {404: {"model": Problem}}


@router.get("/{account_id}", operation_id="getAccount", response_model=AccountDetail, responses=ERRORS)
async def get_account(account_id: uuid.UUID, principal: Reader, session: SessionDep) -> Response:
    """The whole account picture in one call, with the account team and whether the caller may
    change the account (can_edit)."""
    return Response(await service.account_picture(session, principal, account_id), media_type="application/json")


@router.post(
    "/{account_id}/notes",
    operation_id="addAccountNote",
    response_model=NoteView,
    status_code=201,
    responses=ERRORS,
)
async def add_note(account_id: uuid.UUID, payload: NoteCreate, principal: Worker, session: SessionDep) -> NoteView:
    return await service.add_note(session, principal, account_id, payload.body)


@router.delete(
    "/{account_id}/notes/{note_id}",
    operation_id="deleteAccountNote",
    status_code=204,
    responses={**ERRORS, 403: {"model": Problem}},
)
async def delete_note(account_id: uuid.UUID, note_id: uuid.UUID, principal: Worker, session: SessionDep) -> Response:
    """Its author (the user or API key that wrote it) deletes a note, or an admin."""
    await service.delete_note(session, principal, account_id, note_id)
    return Response(status_code=204)


@router.get(
    "/{account_id}/team", operation_id="listAccountTeam", response_model=list[TeamMemberPublic], responses=ERRORS
)
async def list_team(account_id: uuid.UUID, principal: Reader, session: SessionDep) -> list[TeamMemberPublic]:
    """Who works the account besides its owner (they may change it, like the owner)."""
    return await service.team(session, principal, account_id)


@router.put(
    "/{account_id}/team",
    operation_id="setAccountTeam",
    response_model=list[TeamMemberPublic],
    responses=ERRORS,
)
async def set_team(
    account_id: uuid.UUID, payload: TeamUpdate, principal: Worker, session: SessionDep
) -> list[TeamMemberPublic]:
    """Replace the account's team: admins, leaders, or the CSM who owns the account."""
    return await service.set_team(session, principal, account_id, payload.members)
