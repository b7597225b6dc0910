"""Transactional outbox: jobs written with the data they are about, sent after commit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Column
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from app.core.models import created_at


class JobOutbox(SQLModel, table=True):
    __tablename__ = "job_outbox"

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    function: str
    args: list[Any] = Field(default_factory=list, sa_type=JSONB)
    job_id: str | None = None
    defer_seconds: float = 0.0
    created_at: datetime = created_at()
    attempts: int = 0
    last_error: str | None = None
