"""Subscription lines (ARR is derived from them) and invoices."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    Index,
    Numeric,
    SmallInteger,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel

from app.core.enums import BillingInterval, InvoiceStatus, values
from app.core.models import created_at, one_of, tz, updated_at, utcnow, uuid_pk


class SubscriptionLine(SQLModel, table=True):
    """One version of a line of a subscription: its product, plan, quantity and price during
    ``[start_date, end_date)``. A source's line id (``source_id``) keeps every version: a
    change of quantity, price or plan closes the current version on the change date and
    opens the next, so history is never rewritten (see ``ingest.writers``)."""

    __tablename__ = "subscription_line"
    __table_args__ = (
        UniqueConstraint("source", "source_id", "start_date"),
        one_of("interval", values(BillingInterval), nullable=False),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates_ordered"),
        CheckConstraint("quantity >= 0 AND unit_amount >= 0", name="non_negative"),
        Index("ix_subscription_line_account_start", "account_id", "start_date"),
        Index("ix_subscription_line_updated_at", "updated_at"),
    )

    id: uuid.UUID = uuid_pk()
    source: str = Field(default="api")
    source_id: str
    account_id: uuid.UUID = Field(foreign_key="account.id", ondelete="CASCADE")
    product: str
    plan: str | None = None
    quantity: Decimal = Field(default=Decimal(1), sa_type=Numeric(14, 4))
    # Price of one unit for one interval, in ``currency`` (NULL: the reporting currency).
    unit_amount: Decimal = Field(sa_type=Numeric(14, 4))
    currency: str | None = Field(default=None, max_length=3)
    interval: str = BillingInterval.month.value
    start_date: date
    # Exclusive; NULL while the line is live.
    end_date: date | None = None
    cancellation_reason: str | None = None
    # When the source's state this version reflects took effect (Stripe: the event's time);
    # an item describing an older state than the line's latest is ignored.
    state_at: datetime = Field(
        default_factory=utcnow,
        sa_type=DateTime(timezone=True),  # type: ignore[call-overload]
        sa_column_kwargs={"server_default": text("now()"), "nullable": False},
    )
    created_at: datetime = created_at()
    updated_at: datetime = updated_at()


class Invoice(SQLModel, table=True):
    __tablename__ = "invoice"
    __table_args__ = (
        UniqueConstraint("source", "source_id"),
        one_of("status", values(InvoiceStatus), nullable=False),
        Index(
            "ix_invoice_unpaid_by_account",
            "account_id",
            "due_at",
            postgresql_where=text("paid_at IS NULL AND status IN ('open', 'uncollectible')"),
        ),
    )

    id: uuid.UUID = uuid_pk()
    source: str = Field(default="api")
    source_id: str
    account_id: uuid.UUID = Field(foreign_key="account.id", ondelete="CASCADE", index=True)
    amount: Decimal = Field(sa_type=Numeric(14, 2))
    currency: str | None = Field(default=None, max_length=3)  # NULL: the reporting currency
    issued_at: datetime = tz(nullable=False)
    due_at: datetime | None = tz()
    paid_at: datetime | None = tz()
    status: str = InvoiceStatus.open.value
    created_at: datetime = created_at()
    updated_at: datetime = updated_at()


class ArrMovement(SQLModel, table=True):
    """One classified ARR change of an account on a day (see ``revenue.engine``); written by
    the revenue engine from subscription lines, never by hand."""

    __tablename__ = "arr_movement"
    __table_args__ = (
        one_of("kind", ["new", "expansion", "contraction", "churn", "reactivation", "fx"], nullable=False),
        one_of("detail", ["seat", "plan", "cross_sell", "voluntary", "involuntary", "gain", "loss"]),
        CheckConstraint("amount > 0", name="positive"),
        Index("ix_arr_movement_account_on", "account_id", "on"),
        Index("ix_arr_movement_on", "on"),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    account_id: uuid.UUID = Field(foreign_key="account.id", ondelete="CASCADE")
    on: date
    kind: str
    detail: str | None = None
    amount: Decimal = Field(sa_type=Numeric(20, 8))
    # the account's (bridged) ARR after the day's movements
    arr_after: Decimal = Field(sa_type=Numeric(20, 8))


class ArrMonth(SQLModel, table=True):
    """An account's ARR at the start of a month (only months where it is above zero):
    what period metrics and cohort curves read."""

    __tablename__ = "arr_month"
    __table_args__ = (Index("ix_arr_month_month", "month"),)

    account_id: uuid.UUID = Field(foreign_key="account.id", ondelete="CASCADE", primary_key=True)
    month: date = Field(primary_key=True)
    arr: Decimal = Field(sa_type=Numeric(20, 8))


class ArrRollup(SQLModel, table=True):
    """Period metrics by account group, rebuilt from ``arr_month`` and ``arr_movement`` after
    revenue changes, so leadership metrics for any segment/plan/ICP tier are sums of a few
    rows. ``kind`` is month, quarter or ttm (12 months, one per month)."""

    __tablename__ = "arr_rollup"
    __table_args__ = (
        one_of("kind", ["month", "quarter", "ttm"], nullable=False),
        Index("ix_arr_rollup_kind_start", "kind", "period_start"),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    kind: str
    period_start: date
    period_end: date  # exclusive
    segment: str | None = None
    plan: str | None = None
    icp_tier: str | None = None
    starting_arr: Decimal = Field(default=Decimal(0), sa_type=Numeric(20, 8))
    ending_arr: Decimal = Field(default=Decimal(0), sa_type=Numeric(20, 8))
    new: Decimal = Field(default=Decimal(0), sa_type=Numeric(20, 8))
    expansion_seat: Decimal = Field(default=Decimal(0), sa_type=Numeric(20, 8))
    expansion_plan: Decimal = Field(default=Decimal(0), sa_type=Numeric(20, 8))
    expansion_cross_sell: Decimal = Field(default=Decimal(0), sa_type=Numeric(20, 8))
    reactivation: Decimal = Field(default=Decimal(0), sa_type=Numeric(20, 8))
    contraction: Decimal = Field(default=Decimal(0), sa_type=Numeric(20, 8))
    churn_voluntary: Decimal = Field(default=Decimal(0), sa_type=Numeric(20, 8))
    churn_involuntary: Decimal = Field(default=Decimal(0), sa_type=Numeric(20, 8))
    fx: Decimal = Field(default=Decimal(0), sa_type=Numeric(20, 8))  # net: gains - losses
    # the period's cohort: accounts with ARR at its start
    cohort_accounts: int = 0
    cohort_churned_accounts: int = 0
    cohort_ending_arr: Decimal = Field(default=Decimal(0), sa_type=Numeric(20, 8))
    cohort_retained_arr: Decimal = Field(default=Decimal(0), sa_type=Numeric(20, 8))  # sum of min(end, start)
    cohort_contraction: Decimal = Field(default=Decimal(0), sa_type=Numeric(20, 8))
    cohort_churn_voluntary: Decimal = Field(default=Decimal(0), sa_type=Numeric(20, 8))
    cohort_churn_involuntary: Decimal = Field(default=Decimal(0), sa_type=Numeric(20, 8))
    accounts_end: int = 0  # accounts with ARR at the period's end


class RevenueState(SQLModel, table=True):
    """One row: when the period rollups were last rebuilt. Lines changed since then mean a
    rebuild is pending (every metrics answer says so)."""

    __tablename__ = "revenue_state"
    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)

    id: int = Field(default=1, sa_column=Column(SmallInteger, primary_key=True))
    rollups_built_at: datetime | None = tz()


class FxRate(SQLModel, table=True):
    """Units of ``currency`` per euro from ``day`` on (the ECB's convention): the bundled ECB
    reference rates (monthly, since 2015), and any a team adds. A conversion on a day reads
    the latest rates on or before it, crossed through the euro."""

    __tablename__ = "fx_rate"
    __table_args__ = (CheckConstraint("per_eur > 0", name="positive"),)

    currency: str = Field(primary_key=True, max_length=3)
    day: date = Field(primary_key=True)
    per_eur: Decimal = Field(sa_type=Numeric(20, 8))
    source: str = Field(default="api", sa_column_kwargs={"server_default": "api"})
