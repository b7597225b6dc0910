"""Data sources, their freshness, and the log of ingest calls that feeds it."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import ARRAY, BigInteger, Column, Date, Index, SmallInteger, Uuid, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from app.core.models import created_at, tz, uuid_pk


class DataSource(SQLModel, table=True):
    __tablename__ = "data_source"

    id: uuid.UUID = uuid_pk()
    # e.g. "events", "tickets", "stripe", "segment", "import:subscriptions"
    key: str = Field(unique=True)
    name: str
    owner_id: uuid.UUID | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    stale_after_days: int = 10
    last_received_at: datetime | None = tz()
    items_received: int = 0
    created_at: datetime = created_at()


class IngestLog(SQLModel, table=True):
    """One row per accepted ingest call: which source, how many items, which accounts from when.

    Ingest only appends here (no row that concurrent calls fight over); the debounced
    rescore job folds the log into ``data_source`` freshness and ``rescore_request``.
    Readers add the unfolded rows, so freshness is exact at every moment.
    """

    __tablename__ = "ingest_log"

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    source: str
    items: int
    received_at: datetime = created_at()
    account_ids: list[uuid.UUID] = Field(default_factory=list, sa_type=ARRAY(Uuid))
    since: list[date] = Field(default_factory=list, sa_type=ARRAY(Date))
    # rescore priority of the touched accounts (see ``RescoreRequest.priority``)
    priority: int = Field(default=1, sa_column=Column(SmallInteger, nullable=False, server_default=text("1")))


class IngestRejection(SQLModel, table=True):
    """An item a source sent that Tempo could not store, and why: nothing is dropped unseen.

    Webhooks (Stripe, Segment) never read their answer's per-item results, and items that
    waited as unmatched records can fail when finally replayed, so every rejection from
    ingest, connectors and replays lands here, listed per source. Only the reference, the
    item id and the reasons are kept (no payload: it may hold personal data). Rows older
    than ``service.REJECTION_RETENTION_DAYS`` are pruned hourly.
    """

    __tablename__ = "ingest_rejection"
    __table_args__ = (Index("ix_ingest_rejection_source_received", "source", text("received_at DESC")),)

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    source: str
    kind: str | None = None
    item_id: str | None = None
    # what the sender calls the delivery: a Stripe event id, a Segment messageId, "replay"
    reference: str | None = None
    errors: list[dict[str, Any]] = Field(sa_type=JSONB)
    received_at: datetime = created_at()
