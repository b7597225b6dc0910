"""The audit log as the admin console reads it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class AuditEntry(BaseModel):
    id: int
    at: datetime
    actor: str = Field(description="'user:<id>', 'api_key:<id>', 'system', 'cli' or 'anonymous'")
    actor_label: str = Field(
        description="Who, in words: the user's email, the API key's name, or the actor itself (system, cli, anonymous)"
    )
    action: str = Field(description="What was done: 'user.update', 'ingest.events', 'feature.update'...")
    entity: str
    entity_id: str | None
    detail: dict[str, Any] | None
    ip: str | None


class AuditPage(BaseModel):
    items: list[AuditEntry]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the entries after these (null: there are no more)"
    )


class AuditFacets(BaseModel):
    """What the log's filters can choose from."""

    entities: list[str]
    actions: list[str]
