"""API shapes of an account: its row in the book, the whole picture, notes."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.core.enums import (
    AccountStatus,
    AlertStatus,
    Band,
    ContactRole,
    Flag,
    Quadrant,
    RenewalSource,
    RenewalTerm,
    Role,
    Severity,
    TaskStatus,
)


class OwnerRef(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    name: str | None


class AccountSummary(BaseModel):
    """One row of the book."""

    id: uuid.UUID
    external_id: str
    name: str
    segment: str | None
    plan: str | None
    icp_tier: str | None
    region: str | None
    owner: OwnerRef | None
    arr: float
    # the next renewal (docs/metrics.md): the CRM's contract date, else the next billing cycle
    renewal_date: date | None
    renewal_term: RenewalTerm | None = None
    status: AccountStatus
    flag: Flag | None
    health_score: float | None
    band: Band | None
    quadrant: Quadrant | None
    # Book facts from the latest snapshot (see ``AccountHealth``) and the open alerts now.
    feature_adoption: float | None = None
    usage_change: float | None = None
    open_tickets: int | None = None
    last_touch_on: date | None = None
    last_qbr_on: date | None = None
    open_alerts: int = 0


class ContactPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str | None
    email: str | None
    title: str | None
    role: ContactRole | None
    is_primary: bool


class ArrPoint(BaseModel):
    date: date
    arr: float


class SubscriptionPublic(BaseModel):
    product: str
    plan: str | None
    quantity: float
    unit_amount: float
    interval: str
    currency: str = Field(description="the line's own currency; unit_amount is in it")
    arr: float = Field(description="in the reporting currency, at today's rate")
    start_date: date
    end_date: date | None
    cancellation_reason: str | None


class HealthDay(BaseModel):
    as_of: date
    health_score: float | None
    usage_axis: float | None
    health_axis: float | None
    band: Band | None
    quadrant: Quadrant | None
    config_version: int
    active_users: float | None
    feature_adoption: float | None
    user_days: float | None


class ComponentScore(BaseModel):
    name: str
    score: float | None
    weight: float | None


class ComponentsNow(BaseModel):
    as_of: date
    config_version: int
    coverage: float
    items: list[ComponentScore]


class QuadrantMoveView(BaseModel):
    moved_on: date
    from_: Quadrant | None = Field(alias="from")
    to: Quadrant

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)


class FeatureUse(BaseModel):
    key: str
    name: str
    is_core: bool
    events: float
    user_days: float
    minutes: float


class WeekUsage(BaseModel):
    week: date
    events: float
    minutes: float


class ActiveWeek(BaseModel):
    ending: date = Field(description="the last day of the 7-day window")
    users: int = Field(description="distinct users active in the 7 days ending then")


class ActiveUsers(BaseModel):
    """Distinct users active in the product (from usage events; days are UTC dates), counted up
    to yesterday: today is not over."""

    as_of: date = Field(description="the last day counted (yesterday, UTC)")
    dau: int = Field(description="users active on as_of")
    wau: int = Field(description="users active in the 7 days ending as_of")
    mau: int = Field(description="users active in the 30 days ending as_of")
    average_dau: float = Field(description="mean daily active users over those 30 days")
    dau_mau_ratio: float | None = Field(
        description="stickiness: average daily active users over the 30 days / MAU (1 = everyone every day); "
        "null when nobody was active"
    )
    weeks: list[ActiveWeek] = Field(
        description="the 12 weekly windows ending as_of and every 7 days before, oldest first (the last is wau)"
    )


class OpenTicket(BaseModel):
    id: uuid.UUID
    source_id: str
    priority: int
    status: str
    subject: str | None
    product_area: str | None
    opened_at: datetime
    age_days: int
    escalated: bool
    sla_due_at: datetime | None
    sla_breached: bool


class SurveyView(BaseModel):
    kind: str
    score: int
    responded_at: datetime
    contact_email: str | None
    comment: str | None


class TouchView(BaseModel):
    kind: str
    occurred_at: datetime
    sentiment: str | None
    summary: str | None
    csm_email: str | None


class RenewalView(BaseModel):
    id: uuid.UUID
    renewal_date: date
    arr_up_for_renewal: float
    forecast: str | None
    suggested_forecast: str | None
    outcome: str | None
    closed_at: datetime | None
    days_to_renewal: int
    term: RenewalTerm
    source: RenewalSource


class InvoiceView(BaseModel):
    id: uuid.UUID
    source_id: str
    amount: float
    currency: str = Field(description="the currency the amount is in")
    status: str
    issued_at: datetime
    due_at: datetime | None
    paid_at: datetime | None
    days_overdue: int | None


class UnpaidSummary(BaseModel):
    count: int
    amount: float
    oldest_due_at: datetime | None


class AlertView(BaseModel):
    id: uuid.UUID
    rule: str
    severity: Severity
    status: AlertStatus
    title: str
    facts: dict[str, Any]
    opened_at: datetime
    snoozed_until: datetime | None


class TaskView(BaseModel):
    id: uuid.UUID
    account_id: uuid.UUID
    playbook_run_id: uuid.UUID | None
    title: str
    assignee_id: uuid.UUID | None
    due_date: date | None
    status: TaskStatus
    completed_at: datetime | None


class NoteView(BaseModel):
    id: uuid.UUID
    body: str
    created_at: datetime
    author_id: uuid.UUID | None
    author: str | None


class RunView(BaseModel):
    id: uuid.UUID
    playbook_id: uuid.UUID
    playbook_name: str
    status: str
    outcome: str | None
    started_at: datetime
    completed_at: datetime | None
    health_at_start: float | None
    tasks_open: int
    tasks_total: int


class TimelineEvent(BaseModel):
    at: datetime
    kind: str
    title: str
    tone: Literal["good", "neutral", "bad"]


class StatusChange(BaseModel):
    """When billing made the account a customer, lost it, or won it back (see docs/metrics.md:
    a churn is confirmed once the 30-day bridge has passed)."""

    on: date
    event: Literal["new", "churn", "reactivation"]
    status: AccountStatus
    confirmed: bool


class TeamMemberRef(BaseModel):
    """Someone on the account team, as the picture names them."""

    user_id: uuid.UUID
    email: str
    name: str | None
    role: str | None = Field(description="What they do on the account (free text)")


class AccountDetail(AccountSummary):
    """The account picture (DESIGN §10): profile, ARR and its trend, health now and over 90
    days, quadrant moves, usage, tickets, surveys, touches, stakeholders, renewals,
    invoices, open alerts, tasks, notes, playbook runs and a merged timeline; the account
    team, and whether the caller may change the account (DESIGN §16)."""

    domains: list[str]
    industry: str | None
    acquisition_channel: str | None
    signup_date: date | None
    onboarding_completed_at: datetime | None
    seats_purchased: int | None
    seat_limit: int | None
    api_call_limit: int | None
    contract_start: date | None
    tags: list[str]
    contacts: list[ContactPublic]
    arr_trend: list[ArrPoint] = []
    status_history: list[StatusChange] = []
    subscriptions: list[SubscriptionPublic] = []
    components: ComponentsNow | None = None
    health_history: list[HealthDay] = []
    quadrant_moves: list[QuadrantMoveView] = []
    top_features: list[FeatureUse] = []
    weekly_usage: list[WeekUsage] = []
    active_users: ActiveUsers | None = Field(
        default=None, description="DAU, WAU and MAU with stickiness (the picture always computes them)"
    )
    tickets: list[OpenTicket] = []  # open ones, by priority then age
    surveys: list[SurveyView] = []
    touches: list[TouchView] = []
    renewals: list[RenewalView] = []
    invoices: list[InvoiceView] = []
    unpaid: UnpaidSummary | None = None
    alerts: list[AlertView] = []
    tasks: list[TaskView] = []
    notes: list[NoteView] = []
    playbook_runs: list[RunView] = []
    timeline: list[TimelineEvent] = []
    team: list[TeamMemberRef] = Field(
        default=[], description="Who works the account besides its owner (like the owner, they may change it)"
    )
    can_edit: bool = Field(
        description="Whether the caller may change this account: its flag, notes, tasks, alerts, plays, "
        "renewal forecasts (admins and leaders: every account; a CSM: those they own or are on the team of)"
    )


class AccountUpdate(BaseModel):
    """What a CSM changes on an account in Tempo itself (the rest comes from sources)."""

    model_config = ConfigDict(extra="forbid")

    flag: Flag | None = None
    owner_id: uuid.UUID | None = None
    tags: list[Annotated[str, StringConstraints(min_length=1, max_length=50, strip_whitespace=True)]] | None = Field(
        default=None, max_length=30
    )


class NoteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: Annotated[str, StringConstraints(min_length=1, max_length=10_000, strip_whitespace=True)]


class TeamMemberIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: uuid.UUID
    role: Annotated[str, StringConstraints(min_length=1, max_length=50, strip_whitespace=True)] | None = Field(
        default=None, description="What they do on the account, e.g. 'Solutions engineer' (free text)"
    )


class TeamUpdate(BaseModel):
    """The whole team (it replaces the one before); the owner need not be listed."""

    model_config = ConfigDict(extra="forbid")

    members: list[TeamMemberIn] = Field(max_length=50)


class TeamMemberPublic(BaseModel):
    """Someone besides the owner who works the account: like the owner, they may change it."""

    user_id: uuid.UUID
    email: str
    name: str | None
    user_role: Role = Field(description="The person's role in Tempo")
    role: str | None = Field(description="What they do on the account (free text)")
    added_at: datetime
