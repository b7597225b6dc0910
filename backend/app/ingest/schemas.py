"""Item shapes for ``POST /api/v1/ingest/{kind}`` (DESIGN section 5), and data-source freshness.

Items are validated one at a time so a bad item is reported with its index and field
paths while its neighbours go through. Real exports are messy, so the parsers accept
common variants (``P2``/``high``/``2`` for priorities, naive timestamps read as UTC,
``TRUE``/``True``/``yes`` booleans) and reject everything else with a reason.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)

from app.core.enums import (
    BillingInterval,
    ContactRole,
    InvoiceStatus,
    Sentiment,
    SurveyKind,
    TicketStatus,
    TouchpointKind,
)
from app.core.enums import Kind as Kind  # the item kinds, shared with unmatched records
from app.core.limits import INGEST_MAX_BYTES
from app.core.types import UNSTORABLE, Domain, Email, SignalDate, SignalDateTime, split_domains, unstorable
from app.identity import service as identity

MAX_ITEMS = 5000
MAX_BYTES = INGEST_MAX_BYTES  # the body limit BodyLimits also applies to these paths


def _utc(value: datetime) -> datetime:
    """Naive timestamps are read as UTC; aware ones are converted to UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _bool(value: Any) -> Any:
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in {"true", "t", "yes", "y", "1"}:
            return True
        if lowered in {"false", "f", "no", "n", "0", ""}:
            return False
    return value


_PRIORITY_WORDS = {"urgent": 1, "critical": 1, "high": 2, "normal": 3, "medium": 3, "low": 4}


def _priority(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _PRIORITY_WORDS:
            return _PRIORITY_WORDS[text]
        if text.startswith("p") and text[1:].isdigit():
            return int(text[1:])
        if text.isdigit():
            return int(text)
    return value


# Every date and time of an item lies from 1970-01-01 to 10 years after today (core.types):
# a year 1 or 9999 is refused with the item, never stored to break scoring later.
Timestamp = Annotated[SignalDateTime, BeforeValidator(_blank_to_none), AfterValidator(_utc)]
OptTimestamp = Annotated[
    SignalDateTime | None, BeforeValidator(_blank_to_none), AfterValidator(lambda v: _utc(v) if v else v)
]
OptDate = Annotated[SignalDate | None, BeforeValidator(_blank_to_none)]
Bool = Annotated[bool, BeforeValidator(_bool)]
Key = Annotated[str, Field(min_length=1, max_length=300)]
Text = Annotated[Annotated[str, Field(max_length=5000)] | None, BeforeValidator(_blank_to_none)]
ShortText = Annotated[Annotated[str, Field(max_length=300)] | None, BeforeValidator(_blank_to_none)]
Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=4)]
# counts are stored as PostgreSQL integers
MAX_INT = 2_147_483_647
OptCount = Annotated[Annotated[int, Field(ge=0, le=MAX_INT)] | None, BeforeValidator(_blank_to_none)]


def _storable(data: Any) -> Any:
    where = unstorable(data)
    if where is not None:
        raise ValueError(f"{'.'.join(map(str, where)) or 'item'}: {UNSTORABLE}")
    return data


class _Item(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _no_unstorable_text(cls, data: Any) -> Any:
        return _storable(data)


class AccountRef(_Item):
    """Items refer to their account by a key (external id by default)."""

    account: Key
    account_key_type: Annotated[str, Field(min_length=1, max_length=50)] = "external_id"

    @property
    def account_key(self) -> tuple[str, str]:
        return identity.normalise(self.account_key_type, self.account)


class SourceItem(AccountRef):
    id: Key


class AliasIn(_Item):
    source: Annotated[str, Field(min_length=1, max_length=50)]
    key: Key


class AccountItem(_Item):
    external_id: Key
    name: Annotated[str, Field(min_length=1, max_length=300)]
    domains: Annotated[list[Domain], BeforeValidator(split_domains)] = []
    owner_email: Annotated[Email | None, BeforeValidator(_blank_to_none)] = None
    segment: ShortText = None
    icp_tier: ShortText = None
    plan: ShortText = None
    industry: ShortText = None
    region: ShortText = None
    acquisition_channel: ShortText = None
    signup_date: OptDate = None
    onboarding_completed_at: OptTimestamp = None
    first_value_at: OptTimestamp = None
    seats_purchased: OptCount = None
    seat_limit: OptCount = None
    api_call_limit: OptCount = None
    contract_start: OptDate = None
    renewal_date: OptDate = None
    aliases: list[AliasIn] = []
    arr: Money | None = None

    @property
    def item_id(self) -> str:
        return self.external_id

    # when changed plan, seats or limits took effect (default: when Tempo receives them);
    # scores for earlier dates keep the values before
    changed_at: OptTimestamp = None


class ContactItem(SourceItem):
    name: ShortText = None
    email: Annotated[Email | None, BeforeValidator(_blank_to_none)] = None
    title: ShortText = None
    role: ContactRole | None = None
    is_primary: Bool = False
    # since when the person is a stakeholder (scores before it do not count them)
    since: OptDate = None


class EventItem(SourceItem):
    user_id: Annotated[Annotated[str, Field(max_length=300)] | None, BeforeValidator(_blank_to_none)] = None
    event: Annotated[str, Field(min_length=1, max_length=200)]
    feature: Annotated[Annotated[str, Field(max_length=100)] | None, BeforeValidator(_blank_to_none)] = None
    timestamp: Timestamp
    duration_seconds: Annotated[Annotated[float, Field(ge=0, le=86_400)] | None, BeforeValidator(_blank_to_none)] = None
    properties: dict[str, Any] | None = None


class UsageDailyItem(AccountRef):
    date: SignalDate
    feature: Annotated[Annotated[str, Field(max_length=100)] | None, BeforeValidator(_blank_to_none)] = None
    events: Annotated[int, Field(ge=0, le=MAX_INT)] = 0
    active_users: Annotated[int, Field(ge=0, le=MAX_INT)] = 0
    # absent: not measured (time in product is unknown, not zero)
    minutes: Annotated[Annotated[float, Field(ge=0)] | None, BeforeValidator(_blank_to_none)] = None
    api_calls: Annotated[int, Field(ge=0, le=9_223_372_036_854_775_807)] = 0

    @property
    def item_id(self) -> str:
        return f"{self.account}|{self.date.isoformat()}|{self.feature or ''}"


class TicketItem(SourceItem):
    priority: Annotated[int, BeforeValidator(_priority), Field(ge=1, le=4)] = 3
    status: TicketStatus = TicketStatus.open
    opened_at: Timestamp
    first_response_at: OptTimestamp = None
    resolved_at: OptTimestamp = None
    escalated: Bool = False
    # when it was escalated (default: when Tempo first hears it is; at its opening if it
    # arrives escalated)
    escalated_at: OptTimestamp = None
    sla_due_at: OptTimestamp = None
    csat: Annotated[Annotated[int, Field(ge=1, le=5)] | None, BeforeValidator(_blank_to_none)] = None
    product_area: ShortText = None
    subject: Text = None


class SurveyItem(SourceItem):
    kind: SurveyKind
    score: int
    contact_email: Annotated[Email | None, BeforeValidator(_blank_to_none)] = None
    responded_at: Timestamp
    comment: Text = None

    @model_validator(mode="after")
    def _score_in_range(self) -> SurveyItem:
        low, high = (0, 10) if self.kind == SurveyKind.nps else (1, 5)
        if not low <= self.score <= high:
            raise ValueError(f"score must be between {low} and {high} for {self.kind.value}")
        return self


def _id_list(value: Any) -> Any:
    """A list of ids as a file's cell holds it: ``"id1, id2"`` or ``"id1; id2"``; blank: none."""
    if isinstance(value, str):
        return [part for part in re.split(r"[\s,;]+", value) if part]
    return [] if value is None else value


class TouchpointItem(SourceItem):
    kind: TouchpointKind
    csm_email: Annotated[Email | None, BeforeValidator(_blank_to_none)] = None
    occurred_at: Timestamp
    sentiment: Sentiment | None = None
    summary: Text = None
    # Tempo ids of the account's contacts who took part; ids of no contact of the account are
    # dropped with a warning. Omitted: a stored touch keeps its contacts.
    contact_ids: Annotated[list[uuid.UUID], BeforeValidator(_id_list), Field(max_length=50)] = []


class SubscriptionItem(SourceItem):
    product: Annotated[str, Field(min_length=1, max_length=200)] = "default"
    plan: ShortText = None
    quantity: Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=4)] = Decimal(1)
    unit_amount: Money | None = None
    mrr: Money | None = None
    arr: Money | None = None
    interval: BillingInterval | None = None
    currency: Annotated[str | None, BeforeValidator(_blank_to_none)] = None
    start_date: SignalDate
    end_date: OptDate = None
    cancellation_reason: ShortText = None
    # When this state took effect (default: when Tempo receives it). A change of product,
    # plan, quantity or price opens a new version of the line on this date; a state older
    # than the line's latest is ignored.
    changed_at: OptTimestamp = None

    @model_validator(mode="after")
    def _one_amount(self) -> SubscriptionItem:
        given = [n for n in ("unit_amount", "mrr", "arr") if getattr(self, n) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of unit_amount, mrr or arr")
        if self.end_date is not None and self.end_date < self.start_date:
            raise ValueError("end_date is before start_date")
        return self

    def normalised(self) -> tuple[Decimal, str]:
        """(unit amount per interval, interval)."""
        if self.unit_amount is not None:
            return self.unit_amount, (self.interval or BillingInterval.month).value
        total, interval = (self.mrr, "month") if self.mrr is not None else (self.arr, "year")
        assert total is not None
        unit = total / self.quantity if self.quantity else total
        return unit, interval


class InvoiceItem(SourceItem):
    amount: Money
    currency: Annotated[str | None, BeforeValidator(_blank_to_none)] = None
    issued_at: Timestamp
    due_at: OptTimestamp = None
    paid_at: OptTimestamp = None
    status: InvoiceStatus = InvoiceStatus.open


ITEM_MODELS: dict[Kind, type[_Item]] = {
    Kind.accounts: AccountItem,
    Kind.contacts: ContactItem,
    Kind.events: EventItem,
    Kind.usage_daily: UsageDailyItem,
    Kind.tickets: TicketItem,
    Kind.surveys: SurveyItem,
    Kind.touchpoints: TouchpointItem,
    Kind.subscriptions: SubscriptionItem,
    Kind.invoices: InvoiceItem,
}


class ItemError(BaseModel):
    loc: list[str | int]
    msg: str


class Rejected(BaseModel):
    index: int
    id: str | None = None
    errors: list[ItemError]


class ItemWarning(BaseModel):
    index: int
    id: str | None = None
    message: str


class IngestResult(BaseModel):
    accepted: int = 0
    updated: int = 0
    duplicates: int = 0
    unmatched: int = 0
    rejected: list[Rejected] = []
    warnings: list[ItemWarning] = []
    replayed: int = Field(0, description="Previously unmatched records that this call resolved and stored")
    replay_rejected: int = Field(
        0,
        description="Previously unmatched records this call resolved that could not be stored "
        "(kept: GET /api/v1/unmatched?status=rejected)",
    )


class DataSourcePublic(BaseModel):
    key: str
    name: str
    owner_id: uuid.UUID | None
    owner_email: str | None = Field(None, description="Who looks after the source (told when it goes stale)")
    owner_name: str | None = None
    stale_after_days: int = Field(description="Days without data after which the source counts as stale")
    last_received_at: datetime | None
    items_received: int
    rejected: int = Field(0, description="Items refused in the last 90 days (GET /api/v1/sources/{key}/rejections)")
    age_hours: float | None
    stale: bool


class DataSourceUpdate(BaseModel):
    """Send only what changes; ``owner_id: null`` leaves the source without an owner."""

    model_config = ConfigDict(extra="forbid")

    stale_after_days: int | None = Field(
        None, ge=1, le=365, description="Days without data after which the source counts as stale (1 to 365)"
    )
    owner_id: uuid.UUID | None = Field(None, description="An active user who looks after the source (null: nobody)")


class RejectionPublic(BaseModel):
    """An item a source sent that was not stored, and why."""

    id: int
    source: str
    kind: str | None
    item_id: str | None
    reference: str | None = Field(description="The delivery: a Stripe event id, a Segment messageId, or 'replay'")
    errors: list[ItemError]
    received_at: datetime


class RejectionPage(BaseModel):
    items: list[RejectionPublic]
    total: int
    page: int
    page_size: int
