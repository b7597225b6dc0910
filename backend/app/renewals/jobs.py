"""Renewal jobs: keep accounts' next renewals in step after a CRM sends their dates."""

from __future__ import annotations

import uuid
from typing import Any

from app.core.db import unit_of_work
from app.renewals import service


async def sync_renewals(ctx: dict[str, Any], account_ids: list[str]) -> int:
    """Queued by ingest when accounts arrive (their contract renewal date may have changed)."""
    async with unit_of_work() as session:
        return await service.sync(session, [uuid.UUID(a) for a in account_ids])
