"""Freshness watch: a source silent for longer than its threshold raises ``data_stale``
(one open alert per source, resolved when the source sends again, sent to the notification
channels when it opens; Today shows the open ones to admins and leaders); rejections older than
the retention are pruned. Hourly; safe to run twice."""

from __future__ import annotations

import logging
from typing import Any

from app.alerts import service as alerts
from app.core.db import unit_of_work
from app.ingest import service as ingest
from app.notifications import service as notifications

log = logging.getLogger(__name__)


async def check_stale_sources(ctx: dict[str, Any]) -> dict[str, int]:
    opened = resolved = 0
    async with unit_of_work() as session:
        for source in await ingest.sources(session):
            if source.stale:
                days = f"{source.age_hours / 24:.0f} days" if source.age_hours is not None else "ever"
                facts = {
                    "source": source.key,
                    "last_received_at": source.last_received_at.isoformat() if source.last_received_at else None,
                    "threshold_days": source.stale_after_days,
                    "owner_id": str(source.owner_id) if source.owner_id else None,
                }
                title = f"{source.name} has sent nothing for {days}"
                new = await alerts.raise_data_stale(session, source.key, title, facts, source.last_received_at)
                if new is not None:  # it reaches the notification channels once, when it opens
                    await notifications.emit(session, "alert.opened", notifications.alert_payload(new, None))
                opened += 1
                log.info("source %s is stale: %s", source.key, title, extra={"source": source.key})
            else:
                resolved += await alerts.clear_data_stale(session, source.key)
        pruned = await ingest.prune_rejections(session)
    return {"stale": opened, "resolved": resolved, "rejections_pruned": pruned}
