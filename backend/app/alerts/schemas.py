"""API shapes of alerts."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.core.enums import AlertStatus, Severity


class AlertPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    account_id: uuid.UUID | None
    account_name: str | None = None
    owner_id: uuid.UUID | None = None
    arr: float | None = None
    rule: str
    severity: Severity
    status: AlertStatus
    title: str
    facts: dict[str, Any]
    opened_at: datetime
    acknowledged_at: datetime | None
    snoozed_until: datetime | None
    resolved_at: datetime | None
    resolved_reason: str | None
    last_evaluated_at: datetime | None


class AlertsPage(BaseModel):
    items: list[AlertPublic]
    total: int
    page: int
    page_size: int


class SnoozeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    until: datetime = Field(description="Snoozed until this time (must be in the future, at most a year ahead)")


class ResolveRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(default=None, max_length=500)
