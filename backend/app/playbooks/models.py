"""Playbooks (trigger, steps, email template) and their runs."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Text, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field, SQLModel

from app.core.enums import PlaybookRunStatus, TriggerType, values
from app.core.models import created_at, one_of, tz, updated_at, uuid_pk


class Playbook(SQLModel, table=True):
    __tablename__ = "playbook"
    __table_args__ = (one_of("trigger_type", values(TriggerType), nullable=False),)

    id: uuid.UUID = uuid_pk()
    key: str = Field(unique=True)
    name: str
    description: str | None = None
    trigger_type: str = TriggerType.manual.value
    # Rule name, "from->to" quadrant move, or days before renewal, per trigger_type.
    trigger_value: str | None = None
    # Health bands the account must be in when the trigger fires (empty: any): the renewal
    # review is for healthy accounts, the rescue for those at risk.
    trigger_bands: list[str] = Field(
        default_factory=list, sa_type=ARRAY(Text), sa_column_kwargs={"server_default": "{}"}
    )
    # [{"title": str, "due_offset_days": int, "assignee_role": str}]
    steps: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSONB)
    email_subject_template: str | None = None
    email_body_template: str | None = None
    is_active: bool = Field(default=True, sa_column_kwargs={"server_default": text("true")})
    is_builtin: bool = Field(default=False, sa_column_kwargs={"server_default": text("false")})
    created_at: datetime = created_at()
    updated_at: datetime = updated_at()
    # When a person last edited it (None: a built-in play as the library wrote it, which
    # follows the library's current version)
    edited_at: datetime | None = tz()


class PlaybookRun(SQLModel, table=True):
    __tablename__ = "playbook_run"
    __table_args__ = (one_of("status", values(PlaybookRunStatus), nullable=False),)

    id: uuid.UUID = uuid_pk()
    playbook_id: uuid.UUID = Field(foreign_key="playbook.id", ondelete="CASCADE", index=True)
    account_id: uuid.UUID = Field(foreign_key="account.id", ondelete="CASCADE", index=True)
    alert_id: uuid.UUID | None = Field(default=None, foreign_key="alert.id", ondelete="SET NULL")
    status: str = PlaybookRunStatus.active.value
    outcome: str | None = None
    started_by_id: uuid.UUID | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    started_at: datetime = created_at()
    completed_at: datetime | None = tz()
    health_at_start: float | None = None
    quadrant_at_start: str | None = None
    # The email as drafted at start: {"subject": ..., "body": ...}
    email_draft: dict[str, Any] | None = Field(default=None, sa_type=JSONB)
