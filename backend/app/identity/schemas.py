"""API shapes for aliases and unmatched records, and ``Kind``, the item kinds an unmatched record holds."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field


class AliasCreate(BaseModel):
    source: Annotated[str, Field(min_length=1, max_length=50, pattern=r"^[A-Za-z0-9_:\-.]+$")]
    key: Annotated[str, Field(min_length=1, max_length=300)]


class AliasPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    account_id: uuid.UUID
    source: str
    key: str
    created_at: datetime


class AliasCreated(BaseModel):
    alias: AliasPublic
    replayed: int = Field(description="Unmatched records this alias resolved and stored")
    rejected: int = Field(
        0, description="Records it resolved that could not be stored (kept: /api/v1/unmatched?status=rejected)"
    )


class LinkRequest(BaseModel):
    account_id: uuid.UUID


class UnmatchedStatus(StrEnum):
    pending = "pending"
    resolved = "resolved"
    rejected = "rejected"


class RecordError(BaseModel):
    loc: list[str | int]
    msg: str


class UnmatchedRecordPublic(BaseModel):
    id: uuid.UUID
    kind: str
    item_id: str
    account_key_type: str
    account_key: str
    source: str | None
    received_at: datetime
    attempts: int
    resolved_at: datetime | None
    resolved_account_id: uuid.UUID | None
    status: UnmatchedStatus
    errors: list[RecordError] | None = Field(None, description="Why a rejected record could not be stored")
    payload: dict[str, Any]


class UnmatchedPage(BaseModel):
    items: list[UnmatchedRecordPublic]
    total: int
    page: int
    page_size: int
