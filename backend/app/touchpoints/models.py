"""CSM touchpoints: calls, emails, meetings, QBRs and notes."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import UUID as PgUUID
from sqlmodel import Field, SQLModel

from app.core.enums import Sentiment, TouchpointKind, values
from app.core.models import created_at, one_of, tz, uuid_pk


class Touchpoint(SQLModel, table=True):
    __tablename__ = "touchpoint"
    __table_args__ = (
        one_of("kind", values(TouchpointKind), nullable=False),
        one_of("sentiment", values(Sentiment)),
        Index("ix_touchpoint_account_occurred", "account_id", "occurred_at"),
    )

    id: uuid.UUID = uuid_pk()
    source_id: str = Field(unique=True)
    account_id: uuid.UUID = Field(foreign_key="account.id", ondelete="CASCADE")
    kind: str
    csm_id: uuid.UUID | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    csm_email: str | None = None
    occurred_at: datetime = tz(nullable=False)
    sentiment: str | None = None
    summary: str | None = None
    # The account's contacts who took part (``contact.id``); a contact deleted later stays listed.
    contact_ids: list[uuid.UUID] = Field(
        default_factory=list, sa_type=ARRAY(PgUUID(as_uuid=True)), sa_column_kwargs={"server_default": "{}"}
    )
    created_at: datetime = created_at()
