"""Delivery jobs: send one delivery; every minute, send those due (retries, lost jobs)."""

from __future__ import annotations

import uuid
from typing import Any

from app.core.db import unit_of_work
from app.notifications import service


async def deliver(ctx: dict[str, Any], delivery_id: str) -> str | None:
    return await service.deliver(uuid.UUID(delivery_id))


async def deliver_due(ctx: dict[str, Any]) -> int:
    async with unit_of_work() as session:
        ids = await service.due(session)
    for delivery_id in ids:
        await service.deliver(delivery_id)
    return len(ids)
