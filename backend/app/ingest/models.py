"""Data sources and their freshness."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from app.core.models import created_at, tz, uuid_pk


class DataSource(SQLModel, table=True):
    __tablename__ = "data_source"

    id: uuid.UUID = uuid_pk()
    # e.g. "events", "tickets", "stripe", "segment", "import:subscriptions"
    key: str = Field(unique=True)
    name: str
    owner_id: uuid.UUID | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    stale_after_days: int = 10
    last_received_at: datetime | None = tz()
    items_received: int = 0
    created_at: datetime = created_at()
