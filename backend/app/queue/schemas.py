"""API shapes of the priority queue."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from app.core.enums import AlertStatus, Band, Quadrant, Severity


class QueueAlert(BaseModel):
    id: uuid.UUID
    rule: str
    severity: Severity
    status: AlertStatus
    title: str
    opened_at: datetime


class QueueAccount(BaseModel):
    id: uuid.UUID
    name: str
    owner_id: uuid.UUID | None
    owner_email: str | None
    segment: str | None
    arr: float
    health_score: float | None
    band: Band | None
    quadrant: Quadrant | None
    renewal_date: date | None
    days_to_renewal: int | None


class SuggestedPlay(BaseModel):
    playbook_id: uuid.UUID
    key: str
    name: str
    tasks: list[str]
    email_subject: str | None
    email_body: str | None
    running_run_id: uuid.UUID | None = Field(default=None, description="This play's active run on the account")


class QueueItem(BaseModel):
    kind: Literal["risk", "opportunity"]
    rank: int
    value: float = Field(description="risk: ARR at stake if we act now; opportunity: expected expansion ARR")
    churn_probability: float
    saveable_fraction: float
    reason: str = Field(description="Why it is here, in one line")
    account: QueueAccount
    alerts: list[QueueAlert]
    freshest_signal_at: datetime
    play: SuggestedPlay | None = Field(default=None, description="The play the top alert triggers, drafted")


class QueuePage(BaseModel):
    items: list[QueueItem]
    total: int
    total_at_stake: float
    page: int
    page_size: int
    # "calibrated": churn probability fitted on the book's own outcomes; "default": the config's curve
    probability_source: Literal["calibrated", "default"] = "default"
