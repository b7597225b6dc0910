"""Revenue jobs: the period rollups, rebuilt at most once per half minute of changes. (An
account's movements after subscription changes, and the nightly whole-book rebuild, are
``flows.revenue_rebuild``: renewals follow them.)"""

from __future__ import annotations

from typing import Any

from app.core.db import unit_of_work
from app.revenue import service


async def rebuild_revenue_rollups(ctx: dict[str, Any]) -> None:
    async with unit_of_work() as session:
        await service.rebuild_rollups(session)
