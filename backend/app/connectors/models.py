"""Tables owned by the connectors: which Segment group (account key) each end user belongs to."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, Index
from sqlmodel import Field, SQLModel

from app.core.models import created_at, tz, updated_at


class SegmentUserBinding(SQLModel, table=True):
    """The latest Segment ``group`` call per end user.

    ``user_hash`` is ``app.ingest.writers.user_hash`` of the Segment ``userId`` or
    ``anonymousId``; the raw id is never stored. ``group_id`` is the Segment ``groupId``
    (an account key, not personal data). ``bound_at`` is the message's own timestamp, so a
    late, older ``group`` call never overrides a newer one.
    """

    __tablename__ = "segment_user_binding"

    user_hash: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    group_id: str
    bound_at: datetime = tz(nullable=False)
    updated_at: datetime = updated_at()


class StripeUsageItem(SQLModel, table=True):
    """A Stripe subscription item with no fixed price (metered usage, or tiers).

    Its subscription events say who pays and for what, but not how much; the invoice lines
    that bill it do. Tempo keeps what the subscription said here and values the line from
    each finalized invoice (``app.connectors.stripe``).
    """

    __tablename__ = "stripe_usage_item"

    item_id: str = Field(primary_key=True)  # si_...
    account_key_type: str
    account_key: str
    product: str
    plan: str | None = None
    currency: str | None = None
    start_date: date
    end_date: date | None = None
    cancellation_reason: str | None = None
    updated_at: datetime = updated_at()


class StripeEvent(SQLModel, table=True):
    """Every Stripe event Tempo has received about a subscription, invoice or customer, by id
    (``app.connectors.stripe``): a redelivered event is answered from here and changes
    nothing, and an event older (by ``created``) than one processed for the same object never
    overwrites what that newer one said.

    ``outcome`` is ``processed`` (applied) or ``stale`` (older than a processed event about the
    same object: not applied); only ``processed`` rows order later events. Events of types
    Tempo ignores are not recorded (``ignored`` is not written today). A row is written in the
    same transaction as what the event ingests. Rows are kept indefinitely for now (small;
    Stripe resends for 3 days and lists events for 30, so older rows could be purged: a
    follow-up)."""

    __tablename__ = "stripe_event"
    __table_args__ = (Index("ix_stripe_event_object_created", "object_id", "created"),)

    id: str = Field(primary_key=True)  # evt_...
    type: str
    object_id: str | None = None  # sub_..., in_..., cus_...
    created: datetime = tz(nullable=False)  # the event's own time (Stripe's ``created``)
    outcome: str  # processed | stale | ignored
    received_at: datetime = created_at()
