"""Outbound notification channels and every delivery attempt made to them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ARRAY, Index, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from app.core.enums import DeliveryChannel, DeliveryStatus, values
from app.core.models import created_at, one_of, tz, uuid_pk


class NotificationChannel(SQLModel, table=True):
    __tablename__ = "notification_channel"
    __table_args__ = (one_of("kind", values(DeliveryChannel), nullable=False),)

    id: uuid.UUID = uuid_pk()
    name: str
    kind: str
    # URL for webhook/slack, address for email.
    target: str
    # HMAC signing secret for webhooks.
    secret: str | None = None
    # Event types delivered here (alert.opened, digest.weekly, ...); empty = all.
    events: list[str] = Field(default_factory=list, sa_type=ARRAY(Text), sa_column_kwargs={"server_default": "{}"})
    is_active: bool = Field(default=True, sa_column_kwargs={"server_default": text("true")})
    created_at: datetime = created_at()


class Delivery(SQLModel, table=True):
    __tablename__ = "delivery"
    __table_args__ = (
        one_of("channel", values(DeliveryChannel), nullable=False),
        one_of("status", values(DeliveryStatus), nullable=False),
        Index("ix_delivery_status_next_attempt", "status", "next_attempt_at"),
    )

    id: uuid.UUID = uuid_pk()
    channel_id: uuid.UUID | None = Field(default=None, foreign_key="notification_channel.id", ondelete="SET NULL")
    channel: str
    target: str
    event_type: str
    payload: dict[str, Any] = Field(sa_type=JSONB)
    status: str = DeliveryStatus.pending.value
    attempts: int = 0
    next_attempt_at: datetime | None = tz()
    last_error: str | None = None
    last_status_code: int | None = None
    created_at: datetime = created_at()
    delivered_at: datetime | None = tz()
