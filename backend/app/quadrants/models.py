"""Quadrant moves: a row each time an account's quadrant changes."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.enums import Quadrant, values
from app.core.models import created_at, one_of


class QuadrantMove(SQLModel, table=True):
    __tablename__ = "quadrant_move"
    __table_args__ = (
        UniqueConstraint("account_id", "moved_on"),
        one_of("from_quadrant", values(Quadrant)),
        one_of("to_quadrant", values(Quadrant), nullable=False),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    account_id: uuid.UUID = Field(foreign_key="account.id", ondelete="CASCADE")
    moved_on: date = Field(index=True)
    from_quadrant: str | None = None
    to_quadrant: str
    config_version: int | None = None
    created_at: datetime = created_at()
