"""Product usage: the feature catalogue, raw events and the daily rollups scoring reads.

Distinct-user counting uses ``usage_user_activity``: one row per account, user and
month with a 31-bit mask of active days. It answers both "active user-days in a window"
(popcount of the masked bits) and "distinct users in a window" (rows whose masked bits
are non-zero) exactly, is updated with ``active_days | new_bits`` (idempotent and safe
under concurrent sends), and is ~15x smaller than one row per user and day.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import ARRAY, BigInteger, Column, ForeignKey, Index, Integer, SmallInteger, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from app.core.models import tz

UNATTRIBUTED_FEATURE_ID = 0


class Feature(SQLModel, table=True):
    __tablename__ = "feature"

    id: int | None = Field(default=None, sa_column=Column(SmallInteger, primary_key=True))
    key: str = Field(unique=True)
    name: str
    is_core: bool = Field(default=False, sa_column_kwargs={"server_default": text("false")})
    # Plans on which the feature is available; empty means every plan.
    plans: list[str] = Field(default_factory=list, sa_type=ARRAY(Text), sa_column_kwargs={"server_default": "{}"})
    # Optional regular expression on event names that maps events to this feature.
    event_pattern: str | None = None


class UsageEvent(SQLModel, table=True):
    """Raw events, kept for ``usage_event_retention_days`` for dedupe and drill-down."""

    __tablename__ = "usage_event"
    __table_args__ = (Index("ix_usage_event_account_occurred", "account_id", "occurred_at"),)

    event_id: str = Field(primary_key=True)
    account_id: uuid.UUID = Field(foreign_key="account.id", ondelete="CASCADE")
    user_hash: int | None = Field(default=None, sa_type=BigInteger)
    event: str
    feature_id: int = Field(
        default=UNATTRIBUTED_FEATURE_ID,
        sa_column=Column(SmallInteger, ForeignKey("feature.id"), nullable=False),
    )
    occurred_at: datetime = tz(nullable=False, index=True)
    duration_seconds: float | None = None
    properties: dict[str, Any] | None = Field(default=None, sa_type=JSONB)
    received_at: datetime = tz(nullable=False)


class UsageDaily(SQLModel, table=True):
    __tablename__ = "usage_daily"
    __table_args__ = (Index("ix_usage_daily_day", "day"),)

    account_id: uuid.UUID = Field(foreign_key="account.id", ondelete="CASCADE", primary_key=True)
    day: date = Field(primary_key=True)
    feature_id: int = Field(sa_column=Column(SmallInteger, ForeignKey("feature.id"), primary_key=True))
    events: int = Field(default=0, sa_type=Integer)
    active_users: int = Field(default=0, sa_type=Integer)
    # None: no durations were measured that day (time in product is unknown, not zero)
    minutes: float | None = None
    api_calls: int = Field(default=0, sa_type=BigInteger)


class UsageUserActivity(SQLModel, table=True):
    __tablename__ = "usage_user_activity"
    # Scoring reads two or three whole months across all accounts.
    __table_args__ = (Index("ix_usage_user_activity_month", "month"),)

    account_id: uuid.UUID = Field(foreign_key="account.id", ondelete="CASCADE", primary_key=True)
    month: date = Field(primary_key=True)
    user_hash: int = Field(sa_type=BigInteger, primary_key=True)
    # Bit (d - 1) is set when the user was active on day d of the month.
    active_days: int = Field(default=0, sa_type=Integer)


class UsageUserFeatureDay(SQLModel, table=True):
    """Which users used a feature on a day, kept only as long as raw events.

    Inserting ``ON CONFLICT DO NOTHING`` tells exactly which (user, feature, day) pairs
    are new, so ``usage_daily.active_users`` can be incremented without recounting and
    stays exact under concurrent and repeated sends.
    """

    __tablename__ = "usage_user_feature_day"

    account_id: uuid.UUID = Field(foreign_key="account.id", ondelete="CASCADE", primary_key=True)
    day: date = Field(primary_key=True, index=True)
    feature_id: int = Field(sa_column=Column(SmallInteger, ForeignKey("feature.id"), primary_key=True))
    user_hash: int = Field(sa_type=BigInteger, primary_key=True)
