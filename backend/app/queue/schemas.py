"""API shapes of the priority queue."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from app.core.enums import AlertStatus, Band, Quadrant, Severity


class QueueAlert(BaseModel):
    id: uuid.UUID
    rule: str
    severity: Severity
    status: AlertStatus
    title: str
    opened_at: datetime
    facts: dict[str, Any] = Field(default_factory=dict, description="What fired the alert (the rule's numbers)")


class QueueAccount(BaseModel):
    id: uuid.UUID
    name: str
    owner_id: uuid.UUID | None
    owner_name: str | None = None
    owner_email: str | None
    segment: str | None
    arr: float
    health_score: float | None
    band: Band | None
    quadrant: Quadrant | None
    renewal_date: date | None
    days_to_renewal: int | None


class RunProgress(BaseModel):
    """A play already running on the account: how far it is."""

    run_id: uuid.UUID
    started_at: datetime
    tasks_done: int
    tasks_total: int
    next_task: str | None = Field(description="The first open task, by due date")
    next_due: date | None


class SuggestedPlay(BaseModel):
    playbook_id: uuid.UUID
    key: str
    name: str
    alert_id: uuid.UUID | None = Field(default=None, description="The alert of the item this play answers")
    tasks: list[str]
    task_assignees: list[str | None] = Field(default_factory=list, description="Who each task goes to, by name")
    email_subject: str | None
    email_body: str | None
    email_to: str | None = Field(default=None, description="The contact the email is written to (their address)")
    email_to_name: str | None = None
    running: RunProgress | None = Field(default=None, description="This play's active run on the account, if any")
    running_run_id: uuid.UUID | None = Field(default=None, description="This play's active run on the account")


class ContextTicket(BaseModel):
    id: uuid.UUID
    source_id: str
    subject: str | None
    priority: int
    opened_at: datetime
    age_days: int
    escalated: bool


class ContextPerson(BaseModel):
    id: uuid.UUID
    name: str | None
    email: str | None
    title: str | None
    role: str | None
    is_primary: bool


class ContextTouch(BaseModel):
    kind: str
    occurred_at: datetime
    summary: str | None
    sentiment: str | None
    by: str | None = Field(description="Who logged it (name or email)")


class ContextContract(BaseModel):
    plan: str | None
    arr: float
    contract_start: date | None
    renewal_date: date | None
    renewal_term: str | None
    seats_purchased: int | None
    seat_limit: int | None


class ContextUsage(BaseModel):
    weeks: list[date] = Field(description="Monday of each of the last 12 weeks with a health snapshot, oldest first")
    active_users: list[int] = Field(description="Active users (the 28-day count the usage score reads) that week")
    change: float | None = Field(
        description="Active user-days of the last 4 weeks vs the 4 before, as a fraction (-0.4 = down 40%)"
    )


class QueueContext(BaseModel):
    """What DESIGN §9 attaches to an item: the account's context, so nobody has to open it."""

    open_tickets: int
    tickets: list[ContextTicket] = Field(description="The open tickets, most urgent and oldest first (up to 5)")
    stakeholders: list[ContextPerson] = Field(description="Primary contact first, then by title (up to 4)")
    last_touches: list[ContextTouch] = Field(description="Newest first (up to 3)")
    usage: ContextUsage
    contract: ContextContract


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
    play: SuggestedPlay | None = Field(
        default=None, description="The play of the most severe alert that has one, drafted for the account"
    )
    context: QueueContext | None = Field(default=None, description="The account's context (items of the page shown)")


class QueuePage(BaseModel):
    items: list[QueueItem]
    total: int
    total_at_stake: float = Field(description="Σ ARR at stake of the queue's risk items (every page)")
    total_expansion: float = Field(
        default=0.0, description="Σ expected expansion ARR of the queue's opportunity items (every page)"
    )
    page: int
    page_size: int
    # "calibrated": churn probability fitted on the book's own outcomes; "default": the config's curve
    probability_source: Literal["calibrated", "default"] = "default"
    scope: Literal["mine", "team", "all"] = Field(default="all", description="The scope the queue applied")
