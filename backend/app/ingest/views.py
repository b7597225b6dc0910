from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel


class DataSourcePublic(BaseModel):
    key: str
    name: str
    owner_id: uuid.UUID | None
    stale_after_days: int
    last_received_at: datetime | None
    items_received: int
    age_hours: float | None
    stale: bool


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
    payload: dict[str, Any]


class UnmatchedPage(BaseModel):
    items: list[UnmatchedRecordPublic]
    total: int
    page: int
    page_size: int
