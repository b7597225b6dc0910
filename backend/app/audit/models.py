"""Audit log: who changed what, for every write."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, Index, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from app.core.models import created_at


class AuditLog(SQLModel, table=True):
    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_entity", "entity", "entity_id"),
        # the log newest first, page by page (``audit.repository.page``), and one actor's entries
        Index("ix_audit_log_at_id", text("at DESC"), text("id DESC")),
        Index("ix_audit_log_actor_at_id", "actor", text("at DESC"), text("id DESC")),
        # the distinct actions for the filter (skipped through, not scanned)
        Index("ix_audit_log_action", "action"),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    at: datetime = created_at()
    # "user:<uuid>", "api_key:<uuid>", "system", "cli"
    actor: str
    action: str
    entity: str
    entity_id: str | None = None
    detail: dict[str, object] | None = Field(default=None, sa_type=JSONB)
    ip: str | None = None
