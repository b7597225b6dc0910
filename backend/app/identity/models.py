"""Identity resolution: aliases that point source keys at accounts, and records that matched none."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Index, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from app.core.models import created_at, tz, uuid_pk


class AccountAlias(SQLModel, table=True):
    __tablename__ = "account_alias"
    __table_args__ = (UniqueConstraint("source", "key"),)

    id: uuid.UUID = uuid_pk()
    account_id: uuid.UUID = Field(foreign_key="account.id", ondelete="CASCADE", index=True)
    source: str
    key: str
    created_at: datetime = created_at()


class UnmatchedRecord(SQLModel, table=True):
    """An ingested item whose account key resolved to nothing; replayed when it can be."""

    __tablename__ = "unmatched_record"
    __table_args__ = (
        UniqueConstraint("kind", "item_id"),
        Index(
            "ix_unmatched_record_pending_key",
            "account_key_type",
            "account_key",
            postgresql_where=text("status = 'pending'"),
        ),
        CheckConstraint("status IN ('pending', 'resolved', 'rejected')", name="status"),
    )

    id: uuid.UUID = uuid_pk()
    kind: str
    item_id: str
    account_key_type: str
    account_key: str
    payload: dict[str, Any] = Field(sa_type=JSONB)
    source: str | None = None
    received_at: datetime = created_at()
    attempts: int = 0
    resolved_at: datetime | None = tz()
    resolved_account_id: uuid.UUID | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL")
    # pending: waits for its account; resolved: stored; rejected: its account was found but
    # the item could not be stored (``errors`` say why) -- it stays listed, never dropped
    status: str = Field(default="pending", sa_column_kwargs={"server_default": "pending"})
    errors: list[dict[str, Any]] | None = Field(default=None, sa_type=JSONB)
