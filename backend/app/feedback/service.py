"""Product feedback: issues customers raised through CS, and when their fix shipped and was
confirmed (what complaint-to-fix analytics read)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.core.errors import FieldError, NotFound, Unprocessable
from app.core.models import utcnow
from app.feedback import repository
from app.feedback.models import ProductFeedback
from app.feedback.schemas import FeedbackCreate, FeedbackPublic, FeedbackUpdate

LIST_LIMIT = 500


async def list_feedback(session: AsyncSession, open_only: bool, account_id: uuid.UUID | None) -> list[FeedbackPublic]:
    return [
        FeedbackPublic.model_validate(f) for f in await repository.latest(session, open_only, account_id, LIST_LIMIT)
    ]


async def create(session: AsyncSession, payload: FeedbackCreate, actor: str) -> FeedbackPublic:
    missing = await repository.missing_references(session, payload.account_id, payload.ticket_id)
    if missing:
        raise Unprocessable(
            f"{missing[0]}: no such record",
            errors=[FieldError(loc=["body", name], msg="no such record") for name in missing],
        )
    item = ProductFeedback(**payload.model_dump(exclude={"raised_at"}), raised_at=payload.raised_at or utcnow())
    await repository.add(session, item)
    record(session, actor, "feedback.create", "product_feedback", item.id, {"title": item.title})
    return FeedbackPublic.model_validate(item)


async def update(session: AsyncSession, feedback_id: uuid.UUID, payload: FeedbackUpdate, actor: str) -> FeedbackPublic:
    item = await repository.get(session, feedback_id)
    if item is None:
        raise NotFound(f"No feedback item {feedback_id}")
    for key, value in payload.model_dump(exclude_unset=True).items():
        setattr(item, key, value)
    await session.flush()
    record(session, actor, "feedback.update", "product_feedback", item.id, None)
    return FeedbackPublic.model_validate(item)
