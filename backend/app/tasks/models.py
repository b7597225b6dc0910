"""The ``task`` table: a piece of work on an account, standalone or a step of a play."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Index
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
