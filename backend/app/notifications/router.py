"""Notification channels (webhook, Slack-compatible webhook, email) and deliveries,
including the dead letters, which can be retried."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import select
from sqlmodel import col

from app.audit.service import record
from app.auth.dependencies import Admin
from app.core import jobs
from app.core.db import SessionDep
from app.core.enums import DeliveryChannel, DeliveryStatus
from app.core.errors import NotFound, Problem
from app.core.jobs import Job
from app.core.models import utcnow
from app.core.types import Email
from app.notifications import service
from app.notifications.models import Delivery, NotificationChannel

router = APIRouter(prefix="/api/v1/notifications", tags=["notifications"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": Problem}}


class ChannelCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    kind: DeliveryChannel
    target: str = Field(min_length=3, max_length=2000, description="URL (webhook, slack) or email address")
    secret: str | None = Field(default=None, min_length=16, max_length=200, description="Webhook signing secret")
    events: list[str] = Field(default_factory=list, max_length=50, description="Event types; empty = all")

    @model_validator(mode="after")
    def _target(self) -> ChannelCreate:
        if self.kind == DeliveryChannel.email:
            from pydantic import TypeAdapter

            TypeAdapter(Email).validate_python(self.target)
        elif not self.target.startswith(("https://", "http://")):
            raise ValueError("target must be an http(s) URL for webhook and slack channels")
        return self


class ChannelPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    kind: DeliveryChannel
    target: str
    events: list[str]
    is_active: bool
    created_at: datetime
    secret: str | None = Field(default=None, description="Shown once, when the channel is created")


class DeliveryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    channel_id: uuid.UUID | None
    channel: DeliveryChannel
    target: str
    event_type: str
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None
    last_status_code: int | None
    created_at: datetime
    delivered_at: datetime | None


@router.get("/channels", operation_id="notifications:channels", response_model=list[ChannelPublic])
async def channels(principal: Admin, session: SessionDep) -> list[ChannelPublic]:
    rows = await session.execute(select(NotificationChannel).order_by(col(NotificationChannel.created_at)))
    return [ChannelPublic.model_validate(c).model_copy(update={"secret": None}) for c in rows.scalars()]


@router.post("/channels", operation_id="notifications:channel-create", response_model=ChannelPublic, status_code=201)
async def create_channel(payload: ChannelCreate, principal: Admin, session: SessionDep) -> ChannelPublic:
    secret = payload.secret
    if payload.kind == DeliveryChannel.webhook and secret is None:
        secret = "whsec_" + secrets.token_urlsafe(32)
    channel = NotificationChannel(
        name=payload.name, kind=payload.kind.value, target=payload.target, secret=secret, events=payload.events
    )
    session.add(channel)
    await session.flush()
    record(session, principal.actor, "channel.create", "notification_channel", channel.id, {"kind": channel.kind})
    return ChannelPublic.model_validate(channel)


@router.delete(
    "/channels/{channel_id}", operation_id="notifications:channel-delete", status_code=204, responses=NOT_FOUND
)
async def delete_channel(channel_id: uuid.UUID, principal: Admin, session: SessionDep) -> None:
    channel = await session.get(NotificationChannel, channel_id)
    if channel is None:
        raise NotFound(f"No channel {channel_id}")
    await session.delete(channel)
    record(session, principal.actor, "channel.delete", "notification_channel", channel_id)


@router.get("/deliveries", operation_id="notifications:deliveries", response_model=list[DeliveryPublic])
async def deliveries(
    principal: Admin,
    session: SessionDep,
    status: DeliveryStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[DeliveryPublic]:
    """Newest first; `status=dead` lists the dead letters."""
    stmt = select(Delivery).order_by(col(Delivery.created_at).desc()).limit(limit)
    if status:
        stmt = stmt.where(col(Delivery.status) == status.value)
    return [DeliveryPublic.model_validate(d) for d in (await session.execute(stmt)).scalars()]


@router.post(
    "/deliveries/{delivery_id}/retry",
    operation_id="notifications:retry",
    response_model=DeliveryPublic,
    responses=NOT_FOUND,
)
async def retry(delivery_id: uuid.UUID, principal: Admin, session: SessionDep) -> DeliveryPublic:
    """Send a dead (or failed) delivery again, with a fresh set of attempts."""
    delivery = await session.get(Delivery, delivery_id)
    if delivery is None:
        raise NotFound(f"No delivery {delivery_id}")
    delivery.status = DeliveryStatus.pending.value
    delivery.attempts = 0
    delivery.next_attempt_at = utcnow()
    jobs.enqueue(session, Job.deliver, str(delivery.id), job_id=f"deliver:{delivery.id}:retry:{utcnow():%H%M%S}")
    record(session, principal.actor, "delivery.retry", "delivery", delivery_id)
    return DeliveryPublic.model_validate(delivery)


@router.post("/test", operation_id="notifications:test", response_model=list[DeliveryPublic])
async def test(
    principal: Admin, session: SessionDep, event: Literal["test.ping"] = "test.ping"
) -> list[DeliveryPublic]:
    """Send a ping to every channel (to check URLs, secrets and SMTP)."""
    sent = await service.emit(
        session, event, {"text": "Tempo test notification", "subject": "Tempo test notification", "text_body": ""}
    )
    return [DeliveryPublic.model_validate(d) for d in sent]
