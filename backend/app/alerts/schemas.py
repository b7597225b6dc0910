"""API shapes of alerts."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

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


def as_utc(value: datetime) -> datetime:
    """Naive times are read as UTC; aware ones keep their instant."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


class SnoozeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # A time without a zone is read as UTC, as everywhere else in the API (ingest, imports).
    until: Annotated[datetime, AfterValidator(as_utc)] = Field(
        description="Snoozed until this time (must be in the future, at most a year ahead); "
        "a time without a zone (no Z or offset) is read as UTC"
    )


class ResolveRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(default=None, max_length=500)
