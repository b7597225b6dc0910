"""The CSM's own records: tasks, notes and saved views on the book."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Index, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from app.core.enums import TaskStatus, values
from app.core.models import created_at, one_of, tz, updated_at, uuid_pk


class Task(SQLModel, table=True):
    __tablename__ = "task"
    __table_args__ = (
        one_of("status", values(TaskStatus), nullable=False),
        Index("ix_task_assignee_status_due", "assignee_id", "status", "due_date"),
    )

    id: uuid.UUID = uuid_pk()
    account_id: uuid.UUID = Field(foreign_key="account.id", ondelete="CASCADE", index=True)
    playbook_run_id: uuid.UUID | None = Field(
        default=None, foreign_key="playbook_run.id", ondelete="CASCADE", index=True
    )
    title: str
    description: str | None = None
    assignee_id: uuid.UUID | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    due_date: date | None = None
    status: str = TaskStatus.open.value
    completed_at: datetime | None = tz()
    completed_by_id: uuid.UUID | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_by_id: uuid.UUID | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = created_at()
    updated_at: datetime = updated_at()


class Note(SQLModel, table=True):
    __tablename__ = "note"
    __table_args__ = (Index("ix_note_account_created", "account_id", "created_at"),)

    id: uuid.UUID = uuid_pk()
    account_id: uuid.UUID = Field(foreign_key="account.id", ondelete="CASCADE")
    author_id: uuid.UUID | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    body: str
    created_at: datetime = created_at()
    updated_at: datetime = updated_at()


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
