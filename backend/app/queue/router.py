"""The priority queue ("Today"): the CSM's ranked list of risks and opportunities."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from app.accounts.access import SCOPE_HELP, ScopeName
from app.auth.dependencies import Reader
from app.core.db import SessionDep
from app.queue import service
from app.queue.schemas import QueuePage

router = APIRouter(prefix="/api/v1/queue", tags=["queue"])


@router.get("", operation_id="listQueue", response_model=QueuePage)
async def queue(
    principal: Reader,
    session: SessionDep,
    scope: Annotated[ScopeName | None, Query(description=SCOPE_HELP)] = None,
    owner_id: Annotated[uuid.UUID | None, Query(description="One CSM's accounts (overrides scope)")] = None,
    kind: Literal["risk", "opportunity"] | None = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
) -> QueuePage:
    """Accounts with active alerts, ranked by ARR at stake if we act now (risks), then by
    expected expansion ARR (opportunities); each item says why in one line."""
    return await service.build_for(session, principal, scope, owner_id, kind, page, page_size)
