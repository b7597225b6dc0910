"""Renewal records: one per account and renewal date (see docs/metrics.md, Renewals)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Numeric, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.enums import Forecast, RenewalOutcome, RenewalSource, RenewalTerm, values
from app.core.models import created_at, one_of, tz, updated_at, uuid_pk


class Renewal(SQLModel, table=True):
    __tablename__ = "renewal"
    __table_args__ = (
        UniqueConstraint("account_id", "renewal_date"),
        one_of("forecast", values(Forecast)),
        one_of("suggested_forecast", values(Forecast)),
        one_of("outcome", values(RenewalOutcome)),
        one_of("term", values(RenewalTerm), nullable=False),
        one_of("source", values(RenewalSource), nullable=False),
    )

    id: uuid.UUID = uuid_pk()
    account_id: uuid.UUID = Field(foreign_key="account.id", ondelete="CASCADE", index=True)
    renewal_date: date = Field(index=True)
    arr_up_for_renewal: Decimal = Field(default=Decimal(0), sa_type=Numeric(14, 2))
    term: str = Field(default=RenewalTerm.annual.value, sa_column_kwargs={"server_default": "annual"})
    source: str = Field(default=RenewalSource.billing.value, sa_column_kwargs={"server_default": "billing"})
    forecast: str | None = None
    suggested_forecast: str | None = None
    outcome: str | None = None
    closed_at: datetime | None = tz()
    owner_notes: str | None = None
    created_at: datetime = created_at()
    updated_at: datetime = updated_at()
