"""Product feedback raised by CS, for complaint-to-fix analytics."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from app.core.models import created_at, tz, uuid_pk


class ProductFeedback(SQLModel, table=True):
    __tablename__ = "product_feedback"

    id: uuid.UUID = uuid_pk()
    account_id: uuid.UUID | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL", index=True)
    ticket_id: uuid.UUID | None = Field(default=None, foreign_key="ticket.id", ondelete="SET NULL")
    product_area: str | None = None
    title: str
    raised_at: datetime = tz(nullable=False)
    shipped_at: datetime | None = tz()
    confirmed_at: datetime | None = tz()
    created_at: datetime = created_at()
