"""Product feedback (under the analytics URL that reads it)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from app.auth.dependencies import Reader, Worker
from app.core.db import SessionDep
from app.core.errors import Problem
from app.feedback import service
from app.feedback.schemas import FeedbackCreate, FeedbackPublic, FeedbackUpdate

router = APIRouter(prefix="/api/v1/analytics", tags=["analytics"])


@router.get("/feedback", operation_id="listFeedback", response_model=list[FeedbackPublic])
async def list_feedback(
    principal: Reader, session: SessionDep, open_only: bool = False, account_id: uuid.UUID | None = None
) -> list[FeedbackPublic]:
    return await service.list_feedback(session, principal, open_only, account_id)


@router.post("/feedback", operation_id="createFeedback", response_model=FeedbackPublic, status_code=201)
async def create_feedback(payload: FeedbackCreate, principal: Worker, session: SessionDep) -> FeedbackPublic:
    """A product issue a customer raised through CS (for complaint-to-fix)."""
    return await service.create(session, principal, payload)


@router.patch(
    "/feedback/{feedback_id}",
    operation_id="updateFeedback",
    response_model=FeedbackPublic,
    responses={404: {"model": Problem}},
)
async def update_feedback(
    feedback_id: uuid.UUID, payload: FeedbackUpdate, principal: Worker, session: SessionDep
) -> FeedbackPublic:
    """Record the fix shipping and the customer confirming it."""
    return await service.update(session, principal, feedback_id, payload)
