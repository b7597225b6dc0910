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


def _once_each(value: list[uuid.UUID]) -> list[uuid.UUID]:
    """A contact took part once: repeats are dropped, the order kept."""
    return list(dict.fromkeys(value))


# How many of the account's people one touch may name.
MAX_CONTACTS = 50


class TouchCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: TouchpointKind
    occurred_at: Annotated[SignalDateTime | None, AfterValidator(_not_ahead)] = Field(
        default=None, description="When it happened (default: now); a time without a zone is read as UTC"
    )
    sentiment: Sentiment | None = None
    summary: str | None = Field(default=None, max_length=5000)
    contact_ids: Annotated[list[uuid.UUID], AfterValidator(_once_each)] = Field(
        default_factory=list,
        max_length=MAX_CONTACTS,
        description="The account's contacts who took part (each must be a contact of this account)",
    )


class TouchpointPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    account_id: uuid.UUID
    source_id: str = Field(description="tempo:<uuid> for touches logged in Tempo; the source's id otherwise")
    kind: TouchpointKind
    occurred_at: datetime
    sentiment: Sentiment | None
    summary: str | None
    contact_ids: list[uuid.UUID] = Field(description="The account's contacts who took part")
    csm_id: uuid.UUID | None
    csm_email: str | None
    created_at: datetime
