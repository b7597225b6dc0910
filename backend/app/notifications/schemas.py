"""API shapes of notification channels and deliveries."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

from app.core.enums import DeliveryChannel, DeliveryStatus
from app.core.types import Email


class ChannelCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    kind: DeliveryChannel
    target: str = Field(min_length=3, max_length=2000, description="URL (webhook, slack) or email address")
    secret: str | None = Field(default=None, min_length=16, max_length=200, description="Webhook signing secret")
    events: list[str] = Field(default_factory=list, max_length=50, description="Event types; empty = all")

    # The target's form depends on the kind, so it is checked here, while parsing: a bad one is a
    # 422 validation error like any other malformed field.
    @model_validator(mode="after")
    def _target(self) -> ChannelCreate:
        if self.kind == DeliveryChannel.email:
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
