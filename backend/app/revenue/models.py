"""Subscription lines (ARR is derived from them) and invoices."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Index, Numeric, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from app.core.enums import BillingInterval, InvoiceStatus, values
from app.core.models import created_at, one_of, tz, updated_at, uuid_pk


class SubscriptionLine(SQLModel, table=True):
    __tablename__ = "subscription_line"
    __table_args__ = (
        UniqueConstraint("source", "source_id"),
        one_of("interval", values(BillingInterval), nullable=False),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates_ordered"),
        CheckConstraint("quantity >= 0 AND unit_amount >= 0", name="non_negative"),
        Index("ix_subscription_line_account_start", "account_id", "start_date"),
    )

    id: uuid.UUID = uuid_pk()
    source: str = Field(default="api")
    source_id: str
    account_id: uuid.UUID = Field(foreign_key="account.id", ondelete="CASCADE")
    product: str
    plan: str | None = None
    quantity: Decimal = Field(default=Decimal(1), sa_type=Numeric(14, 4))
    # Price of one unit for one interval, in the reporting currency.
    unit_amount: Decimal = Field(sa_type=Numeric(14, 4))
    interval: str = BillingInterval.month.value
    start_date: date
    # Exclusive; NULL while the line is live.
    end_date: date | None = None
    cancellation_reason: str | None = None
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
    issued_at: datetime = tz(nullable=False)
    due_at: datetime | None = tz()
    paid_at: datetime | None = tz()
    status: str = InvoiceStatus.open.value
    created_at: datetime = created_at()
    updated_at: datetime = updated_at()
