"""The ``saved_view`` table: a named query on the book, built-in, a user's own, or shared."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Index, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from app.core.models import created_at, uuid_pk


class SavedView(SQLModel, table=True):
    __tablename__ = "saved_view"
    __table_args__ = (Index("uq_saved_view_owner_name", "owner_id", "name", unique=True),)

    id: uuid.UUID = uuid_pk()
    # NULL owner: a built-in view.
    owner_id: uuid.UUID | None = Field(default=None, foreign_key="user.id", ondelete="CASCADE")
    # Built-in views have a stable key (seeded once, by key).
    key: str | None = Field(default=None, unique=True)
    name: str
    # The book's query parameters: {"filter": ..., "sort": ..., "q": ...}.
    query: dict[str, Any] = Field(default_factory=dict, sa_type=JSONB)
    is_builtin: bool = Field(default=False, sa_column_kwargs={"server_default": text("false")})
    # Shared views are listed for everyone; only their owner changes them.
    shared: bool = Field(default=False, sa_column_kwargs={"server_default": text("false")})
    created_at: datetime = created_at()
