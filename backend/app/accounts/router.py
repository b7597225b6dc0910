"""An account: the whole picture in one call, and notes."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Response

from app.accounts import service
from app.accounts.schemas import AccountDetail, NoteCreate, NoteView
from app.auth.dependencies import Reader, Worker
from app.core.db import SessionDep
from app.core.errors import Problem

router = APIRouter(prefix="/api/v1/accounts", tags=["accounts"])
ERRORS: dict[int | str, dict[str, Any]] = {404: {"model": Problem}}


@router.get("/{account_id}", operation_id="getAccount", response_model=AccountDetail, responses=ERRORS)
async def get_account(account_id: uuid.UUID, principal: Reader, session: SessionDep) -> Response:
    """The whole account picture in one call."""
    return Response(await service.account_picture(session, account_id), media_type="application/json")


@router.post(
    "/{account_id}/notes", operation_id="addAccountNote", response_model=NoteView, status_code=201, responses=ERRORS
)
async def add_note(account_id: uuid.UUID, payload: NoteCreate, principal: Worker, session: SessionDep) -> NoteView:
    return await service.add_note(session, account_id, payload.body, principal.user_id, principal.actor)


@router.delete(
    "/{account_id}/notes/{note_id}",
    operation_id="deleteAccountNote",
    status_code=204,
    responses={**ERRORS, 403: {"model": Problem}},
)
async def delete_note(account_id: uuid.UUID, note_id: uuid.UUID, principal: Worker, session: SessionDep) -> Response:
    await service.delete_note(session, account_id, note_id, principal.user_id, principal.actor)
    return Response(status_code=204)
