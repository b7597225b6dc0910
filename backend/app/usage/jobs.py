"""Usage housekeeping: raw events are kept for the retention window only (default 35 days).

Late events older than the window still count in the daily rollups, but their distinct
users can no longer be told apart from earlier ones of that day.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from app.core.config import get_settings
from app.core.db import unit_of_work
from app.core.models import utcnow
from app.usage.repository import purge_before


async def purge_raw_usage(ctx: dict[str, Any]) -> dict[str, int]:
    cutoff = utcnow() - timedelta(days=get_settings().usage_event_retention_days)
    async with unit_of_work() as session:
        events, pairs = await purge_before(session, cutoff)
    return {"events": events, "pairs": pairs}
