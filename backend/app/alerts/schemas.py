"""API shapes of alerts."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

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
    until: Annotated[datetime, AfterValidator(as_utc)] | None = Field(
        default=None,
        description="Snoozed until this time (must be in the future, at most a year ahead); "
        "a time without a zone (no Z or offset) is read as UTC. Absent: for the rule's snooze days "
        "of the active scoring config (alerts.snooze_days, else alerts.snooze_default_days); the "
        "answer's snoozed_until says until when",
    )


class ResolveRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(default=None, max_length=500)


class RulePrecision(BaseModel):
    rule: str
    kind: Literal["risk", "opportunity"] = Field(
        description="risk: followed by a churn, a contraction or a health drop; opportunity: by an expansion"
    )
    firings: int = Field(description="Onsets: snapshots where the rule fired and had not on the previous one")
    followed: int = Field(description="Firings followed within follow_days by what the rule warns about")
    precision: float | None = Field(description="followed / firings; null when the rule never fired")
    # Risk rules only (null for opportunity rules); a firing may count in more than one.
    churned: int | None = Field(description="Risk firings followed by a churn")
    contracted: int | None = Field(description="Risk firings followed by a contraction")
    health_dropped: int | None = Field(
        description="Risk firings followed by health at least health_drop_points below its value at the firing"
    )
    lift: float | None = Field(
        description="precision / the base rate of its kind: 1 means the rule knows no more than chance"
    )


class AlertPrecision(BaseModel):
    """Each account rule back-tested on the health history (see ``app.alerts.precision``)."""

    as_of: date = Field(description="The day the report is for")
    window_start: date = Field(description="Firings on snapshots from this date…")
    window_end: date = Field(description="…to this one (follow_days before as_of, so their aftermath is known)")
    follow_days: int
    config_version: int = Field(description="The scoring config whose alert thresholds were back-tested")
    health_drop_points: float = Field(description="A drop at least this large counts as followed (risk rules)")
    accounts: int = Field(description="Accounts with a snapshot in the window")
    snapshots: int = Field(description="Snapshots evaluated in the window")
    computed_at: datetime = Field(description="When this report was computed (it is kept for the day)")
    base_rate_risk: float | None = Field(
        description="Share of all snapshots in the window followed by a churn, contraction or health drop"
    )
    base_rate_opportunity: float | None = Field(description="Share of all snapshots followed by an expansion")
    rules: list[RulePrecision]
