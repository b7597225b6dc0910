"""Alerts: one open alert per rule and subject (dedupe key), with a lifecycle."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Index, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from app.core.enums import AlertStatus, Severity, values
from app.core.models import one_of, tz, uuid_pk


class Alert(SQLModel, table=True):
    __tablename__ = "alert"
    __table_args__ = (
        one_of("severity", values(Severity), nullable=False),
        one_of("status", values(AlertStatus), nullable=False),
        Index(
            "uq_alert_dedupe_key_unresolved",
            "dedupe_key",
            unique=True,
            postgresql_where=text("status <> 'resolved'"),
        ),
        Index("ix_alert_account_status", "account_id", "status"),
        Index("ix_alert_status_opened", "status", "opened_at"),
    )

    id: uuid.UUID = uuid_pk()
    # NULL for alerts about something other than an account (e.g. a stale data source).
    account_id: uuid.UUID | None = Field(default=None, foreign_key="account.id", ondelete="CASCADE")
    rule: str
    severity: str
    status: str = AlertStatus.open.value
    dedupe_key: str
    title: str
    facts: dict[str, Any] = Field(default_factory=dict, sa_type=JSONB)
    opened_at: datetime = tz(nullable=False)
    signal_at: datetime | None = tz()
    acknowledged_at: datetime | None = tz()
    acknowledged_by_id: uuid.UUID | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    snoozed_until: datetime | None = tz()
    resolved_at: datetime | None = tz()
    resolved_reason: str | None = None
    last_evaluated_at: datetime | None = tz()
