"""Freshness watch: a source silent for longer than its threshold raises ``data_stale``.

One open alert per source (dedupe key ``data_stale:<source>``); it resolves itself when
the source sends again. Runs hourly and is safe to run twice.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from app.core.db import unit_of_work
from app.ingest.queries import sources

_OPEN = text("""
INSERT INTO alert (id, rule, severity, status, dedupe_key, title, facts, opened_at, signal_at, last_evaluated_at)
VALUES (gen_random_uuid(), 'data_stale', 'medium', 'open', :key, :title, CAST(:facts AS jsonb), now(),
        :last, now())
ON CONFLICT (dedupe_key) WHERE status <> 'resolved'
DO UPDATE SET facts = excluded.facts, last_evaluated_at = now()
""")
_RESOLVE = text("""
UPDATE alert SET status = 'resolved', resolved_at = now(), resolved_reason = 'source sent data again',
                 last_evaluated_at = now()
WHERE dedupe_key = :key AND status <> 'resolved'
""")


async def check_stale_sources(ctx: dict[str, Any]) -> dict[str, int]:
    import json

    opened = resolved = 0
    async with unit_of_work() as session:
        for source in await sources(session):
            key = f"data_stale:{source.key}"
            if source.stale:
                days = f"{source.age_hours / 24:.0f} days" if source.age_hours is not None else "ever"
                facts = {
                    "source": source.key,
                    "last_received_at": source.last_received_at.isoformat() if source.last_received_at else None,
                    "threshold_days": source.stale_after_days,
                    "owner_id": str(source.owner_id) if source.owner_id else None,
                }
                await session.execute(
                    _OPEN,
                    {
                        "key": key,
                        "title": f"{source.name} has sent nothing for {days}",
                        "facts": json.dumps(facts),
                        "last": source.last_received_at,
                    },
                )
                opened += 1
            else:
                result = await session.execute(_RESOLVE, {"key": key})
                resolved += getattr(result, "rowcount", 0) or 0
    return {"stale": opened, "resolved": resolved}
