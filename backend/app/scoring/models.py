"""Scoring configuration versions, health snapshots, quadrant moves (placed by the scoring pass) and scoring runs."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, SmallInteger, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from app.core.enums import Band, Quadrant, RunCadence, RunKind, RunStatus, values
from app.core.models import created_at, one_of, tz, uuid_pk


class ScoringConfig(SQLModel, table=True):
    """Immutable: editing creates a new version; exactly one version is active."""

    __tablename__ = "scoring_config"
    __table_args__ = (
        Index(
            "uq_scoring_config_single_active",
            "is_active",
            unique=True,
            postgresql_where=text("is_active"),
        ),
    )

    version: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    name: str | None = None
    body: dict[str, Any] = Field(sa_type=JSONB)
    is_active: bool = Field(default=False, sa_column_kwargs={"server_default": text("false")})
    created_at: datetime = created_at()
    created_by_id: uuid.UUID | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    activated_at: datetime | None = tz()


class HealthSnapshot(SQLModel, table=True):
    __tablename__ = "health_snapshot"
    __table_args__ = (
        one_of("quadrant", values(Quadrant)),
        one_of("band", values(Band)),
        Index("ix_health_snapshot_as_of", "as_of"),
    )

    account_id: uuid.UUID = Field(foreign_key="account.id", ondelete="CASCADE", primary_key=True)
    as_of: date = Field(primary_key=True)
    config_version: int = Field(sa_column=Column(Integer, ForeignKey("scoring_config.version"), nullable=False))
    usage_score: float | None = None
    support_score: float | None = None
    sentiment_score: float | None = None
    relationship_score: float | None = None
    commercial_score: float | None = None
    usage_axis: float | None = None
    health_axis: float | None = None
    health_score: float | None = None
    band: str | None = None
    quadrant: str | None = None
    coverage: float = 0.0
    # ARR on the date (from subscription lines), for distributions by ARR over time.
    arr: float = Field(default=0.0, sa_column_kwargs={"server_default": text("0")})
    # Per component: each sub-metric's raw value and context columns. Mapped scores and
    # weights follow from these and the (immutable) config version.
    inputs: dict[str, Any] = Field(default_factory=dict, sa_type=JSONB)
    computed_at: datetime = created_at()


class AccountHealth(SQLModel, table=True):
    """Each account's latest snapshot, narrow, for the book and for hysteresis."""

    __tablename__ = "account_health"
    __table_args__ = (
        one_of("quadrant", values(Quadrant)),
        one_of("band", values(Band)),
        Index("ix_account_health_score", "health_score"),
    )

    account_id: uuid.UUID = Field(foreign_key="account.id", ondelete="CASCADE", primary_key=True)
    as_of: date
    config_version: int
    health_score: float | None = None
    band: str | None = None
    quadrant: str | None = None
    usage_axis: float | None = None
    health_axis: float | None = None
    coverage: float = 0.0
    # Book facts from the same snapshot's inputs, so the book filters and sorts on them
    # without reading snapshots: share of core features used, change in active user-days
    # (4 weeks vs the 4 before), open tickets, and the dates of the last touch and QBR.
    feature_adoption: float | None = None
    usage_change: float | None = None
    open_tickets: int | None = None
    last_touch_on: date | None = None
    last_qbr_on: date | None = None


class ScoringRun(SQLModel, table=True):
    __tablename__ = "scoring_run"
    __table_args__ = (
        one_of("kind", values(RunKind), nullable=False),
        one_of("status", values(RunStatus), nullable=False),
        one_of("cadence", values(RunCadence), nullable=False),
    )

    id: uuid.UUID = uuid_pk()
    kind: str
    status: str = RunStatus.queued.value
    date_from: date
    date_to: date
    # daily: every date; weekly: Mondays; history: weekly before the last 120 days, daily after.
    cadence: str = Field(default="daily", sa_column_kwargs={"server_default": text("'daily'")})
    config_version: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("scoring_config.version")))
    total_shards: int = 0
    done_shards: int = 0
    accounts_total: int = 0
    snapshots_written: int = 0
    error: str | None = None
    requested_by: str | None = None
    created_at: datetime = created_at()
    started_at: datetime | None = tz()
    finished_at: datetime | None = tz()


class ScoringRunShard(SQLModel, table=True):
    """A unit of a run (a slice of accounts for one date); written atomically."""

    __tablename__ = "scoring_run_shard"
    __table_args__ = (
        one_of("status", values(RunStatus), nullable=False),
        Index(
            "ix_scoring_run_shard_queued",
            "run_id",
            "account_bucket",
            "as_of",
            postgresql_where=text("status = 'queued'"),
        ),
    )

    run_id: uuid.UUID = Field(foreign_key="scoring_run.id", ondelete="CASCADE", primary_key=True)
    shard_no: int = Field(primary_key=True)
    # Dates from as_of to date_to (inclusive) on the run's cadence, scored in order so
    # hysteresis sees each previous date; a bucket's next date chunk waits for this one.
    as_of: date
    date_to: date
    account_bucket: int
    bucket_count: int
    status: str = RunStatus.queued.value
    attempts: int = 0
    snapshots_written: int = 0
    error: str | None = None
    finished_at: datetime | None = tz()


class RescoreRequest(SQLModel, table=True):
    """Accounts waiting for an incremental rescore, from ``since`` to today.

    Written in the same transaction as the signals that touched the account; drained by
    the debounced ``rescore_pending`` job, so a burst of signals costs one rescore.
    """

    __tablename__ = "rescore_request"

    account_id: uuid.UUID = Field(foreign_key="account.id", ondelete="CASCADE", primary_key=True)
    since: date
    requested_at: datetime = created_at()
    # 0: a signal that can raise an alert now (ticket, survey, touch, billing, account data);
    # 1: usage. Urgent requests are rescored first, so a P1 ticket does not queue behind a
    # stream of usage events.
    priority: int = Field(default=1, sa_column=Column(SmallInteger, nullable=False, server_default=text("1")))


class ChurnCalibration(SQLModel, table=True):
    """A logistic fit of churn on health from the book's outcomes (see ``scoring.calibration``)."""

    __tablename__ = "churn_calibration"

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    fitted_at: datetime = tz(nullable=False)
    horizon_days: int
    outcomes: int
    churned: int
    intercept: float
    slope: float
    # (health, probability) breakpoints every 10 points, read like the config's curve
    curve: list[list[float]] = Field(default_factory=list, sa_type=JSONB)
    # healthier accounts churn less (slope < 0); a fit that says otherwise is kept but not used
    usable: bool
    brier_default: float
    brier_calibrated: float


class QuadrantMove(SQLModel, table=True):
    __tablename__ = "quadrant_move"
    __table_args__ = (
        UniqueConstraint("account_id", "moved_on"),
        one_of("from_quadrant", values(Quadrant)),
        one_of("to_quadrant", values(Quadrant), nullable=False),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    account_id: uuid.UUID = Field(foreign_key="account.id", ondelete="CASCADE")
    moved_on: date = Field(index=True)
    from_quadrant: str | None = None
    to_quadrant: str
    config_version: int | None = None
    created_at: datetime = created_at()
