"""Reading usage back: an account's weekly trend (the account picture's, for several accounts)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.schemas import WeekUsage
from app.core.models import utcnow
from app.usage import repository


async def weekly_trend(session: AsyncSession, ids: Sequence[uuid.UUID], weeks: int) -> dict[uuid.UUID, list[WeekUsage]]:
    """Events and minutes per week over the last ``weeks`` weeks (this one included), oldest first."""
    rows = await repository.weekly_usage_of(session, ids, utcnow().date(), weeks)
    return {a: [WeekUsage.model_validate(r) for r in found] for a, found in rows.items()}
