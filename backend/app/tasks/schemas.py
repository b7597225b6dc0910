"""Tasks as the API takes and shows them."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from app.core.enums import TaskStatus
from app.core.types import QueryDate


class TaskCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    account_id: uuid.UUID
    title: str = Field(min_length=1, max_length=300)
    due_date: QueryDate | None = None
    assignee_id: uuid.UUID | None = None


class TaskPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    account_id: uuid.UUID
    playbook_run_id: uuid.UUID | None
    title: str
    assignee_id: uuid.UUID | None
    due_date: date | None
    status: TaskStatus
    completed_at: datetime | None
    # in task lists across accounts (``tasks:list``)
    account_name: str | None = None


class TaskUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: TaskStatus
