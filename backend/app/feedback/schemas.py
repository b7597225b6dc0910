"""Product feedback as the API takes and shows it."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from app.core.types import SignalDateTime


class FeedbackCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=300)
    product_area: str | None = Field(default=None, max_length=100)
    account_id: uuid.UUID | None = None
    ticket_id: uuid.UUID | None = None
    raised_at: SignalDateTime | None = None


class FeedbackUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    shipped_at: SignalDateTime | None = None
    confirmed_at: SignalDateTime | None = None


class FeedbackPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    title: str
    product_area: str | None
    account_id: uuid.UUID | None
    ticket_id: uuid.UUID | None
    raised_at: datetime
    shipped_at: datetime | None
    confirmed_at: datetime | None
