"""API shapes of notification channels and deliveries."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, ValidationInfo, field_validator

from app.core import outbound
from app.core.enums import DeliveryChannel, DeliveryStatus
from app.core.errors import field_errors
from app.core.types import Email


class ChannelCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    kind: DeliveryChannel
    target: str = Field(
        min_length=3,
        max_length=2000,
        description=(
            "URL (webhook, slack) or email address. URLs must be https (http only if the server "
            "allows it), without credentials, and resolve only to public addresses unless the "
            "server's outbound allow-list (TEMPO_OUTBOUND_ALLOW) lists the host or network"
        ),
    )
    secret: str | None = Field(default=None, min_length=16, max_length=200, description="Webhook signing secret")
    events: list[str] = Field(default_factory=list, max_length=50, description="Event types; empty = all")

    # The target's form depends on the kind (declared before it, so already parsed), so it is
    # checked here, while parsing: a bad one is a 422 on ``target`` like any other malformed
    # field. URLs get the outbound policy's checks that need no DNS (scheme, credentials); the
    # service then resolves the host and refuses private, loopback and metadata addresses.
    @field_validator("target")
    @classmethod
    def _target(cls, value: str, info: ValidationInfo) -> str:
        kind = info.data.get("kind")
        if kind is None:  # the kind itself is invalid: that error is enough
            return value
        if kind == DeliveryChannel.email:
            try:
                return TypeAdapter(Email).validate_python(value)
            except ValidationError as exc:
                raise ValueError(field_errors(exc)[0].msg) from None
        try:
            outbound.check_url(value)
        except outbound.OutboundRefused as exc:
            raise ValueError(str(exc)) from None
        return value


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


class DigestChannel(BaseModel):
    """A channel as leads see it to send a test digest: where it goes, not its full URL (a
    Slack or webhook URL is a credential; admins see it in the channel list)."""

    id: uuid.UUID
    name: str
    kind: DeliveryChannel
    destination: str = Field(description="The email address, or the host of the URL")
    takes_digest: bool = Field(description="Subscribed to digest.weekly (or to every event)")
    is_active: bool
