"""API shapes of touchpoints a person logs in Tempo (those a CRM sends come in through ingest)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from app.core.enums import Sentiment, TouchpointKind
from app.core.models import utcnow
from app.core.types import SignalDateTime


def _not_ahead(value: datetime | None) -> datetime | None:
    """A touch is logged once it happened (a minute of clock skew is forgiven)."""
    if value is not None and value.timestamp() > utcnow().timestamp() + 60:
        raise ValueError("must not be in the future: log a touch once it happened")
    return value


class TouchCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: TouchpointKind
    occurred_at: Annotated[SignalDateTime | None, AfterValidator(_not_ahead)] = Field(
        default=None, description="When it happened (default: now); a time without a zone is read as UTC"
    )
    sentiment: Sentiment | None = None
    summary: str | None = Field(default=None, max_length=5000)


class TouchpointPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    account_id: uuid.UUID
    source_id: str = Field(description="tempo:<uuid> for touches logged in Tempo; the source's id otherwise")
    kind: TouchpointKind
    occurred_at: datetime
    sentiment: Sentiment | None
    summary: str | None
    csm_id: uuid.UUID | None
    csm_email: str | None
    created_at: datetime
