"""Product feedback: issues customers raised through CS, and when their fix shipped and was
confirmed (what complaint-to-fix analytics read). Feedback linked to an account is the
account's: the people who may change the account (``app.accounts.access``) record and update
it; feedback on no account is anyone's who does CS work."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import access
from app.audit.service import record
from app.auth.service import Principal
from app.core.errors import FieldError, NotFound, Unprocessable
from app.core.models import utcnow
from app.feedback import repository
from app.feedback.models import ProductFeedback
from app.feedback.schemas import FeedbackCreate, FeedbackPublic, FeedbackUpdate

LIST_LIMIT = 500


async def list_feedback(
    session: AsyncSession, principal: Principal, open_only: bool, account_id: uuid.UUID | None
) -> list[FeedbackPublic]:
    """Newest first: on no account, or on an account the caller reads."""
    if account_id is not None:
        await access.require_read(session, principal, account_id)
    items = await repository.latest(session, open_only, account_id, LIST_LIMIT)
    if account_id is None and access.read_scope(principal).restricted:
        shown = await access.visible(session, principal, [f.account_id for f in items if f.account_id])
        items = [f for f in items if f.account_id is None or f.account_id in shown]
    return [FeedbackPublic.model_validate(f) for f in items]


async def create(session: AsyncSession, principal: Principal, payload: FeedbackCreate) -> FeedbackPublic:
    actor = principal.actor
    missing = await repository.missing_references(session, payload.account_id, payload.ticket_id)
    if missing:
        raise Unprocessable(
            f"{missing[0]}: no such record",
            errors=[FieldError(loc=["body", name], msg="no such record") for name in missing],
        )
    if payload.account_id is not None:
        await access.require_write(session, principal, payload.account_id)
    item = ProductFeedback(**payload.model_dump(exclude={"raised_at"}), raised_at=payload.raised_at or utcnow())
    await repository.add(session, item)
    record(session, actor, "feedback.create", "product_feedback", item.id, {"title": item.title})
    return FeedbackPublic.model_validate(item)


async def update(
    session: AsyncSession, principal: Principal, feedback_id: uuid.UUID, payload: FeedbackUpdate
) -> FeedbackPublic:
    actor = principal.actor
    item = await repository.get(session, feedback_id)
    if item is None:
        raise NotFound(f"No feedback item {feedback_id}")
    if item.account_id is not None:
        await access.require_write(session, principal, item.account_id, missing=f"No feedback item {feedback_id}")
    for key, value in payload.model_dump(exclude_unset=True).items():
        setattr(item, key, value)
    await session.flush()
    record(session, actor, "feedback.update", "product_feedback", item.id, None)
    return FeedbackPublic.model_validate(item)
