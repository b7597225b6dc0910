"""Support tickets."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, Column, Index, SmallInteger, text
from sqlmodel import Field, SQLModel

from app.core.enums import TicketStatus, values
from app.core.models import created_at, one_of, tz, updated_at, uuid_pk


class Ticket(SQLModel, table=True):
    __tablename__ = "ticket"
    __table_args__ = (
        one_of("status", values(TicketStatus), nullable=False),
        CheckConstraint("priority BETWEEN 1 AND 4", name="priority"),
        CheckConstraint("csat IS NULL OR csat BETWEEN 1 AND 5", name="csat"),
        Index("ix_ticket_account_opened", "account_id", "opened_at"),
        Index(
            "ix_ticket_open_by_account",
            "account_id",
            postgresql_where=text("status IN ('open', 'pending')"),
        ),
    )

    id: uuid.UUID = uuid_pk()
    source_id: str = Field(unique=True)
    account_id: uuid.UUID = Field(foreign_key="account.id", ondelete="CASCADE")
    # 1 = P1 (urgent) .. 4 = P4 (low)
    priority: int = Field(default=3, sa_column=Column(SmallInteger, nullable=False))
    status: str = TicketStatus.open.value
    opened_at: datetime = tz(nullable=False)
    first_response_at: datetime | None = tz()
    resolved_at: datetime | None = tz()
    escalated: bool = Field(default=False, sa_column_kwargs={"server_default": text("false")})
    # when it was escalated (unknown: counted from its opening)
    escalated_at: datetime | None = tz()
    sla_due_at: datetime | None = tz()
    csat: int | None = Field(default=None, sa_column=Column(SmallInteger))
    product_area: str | None = None
    subject: str | None = None
    created_at: datetime = created_at()
    updated_at: datetime = updated_at()
