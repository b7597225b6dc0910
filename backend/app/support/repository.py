"""SQL of support tickets as the CSM's context reads them: the open ones of some accounts."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# Most urgent first (P1 before P2...), then the oldest; with how many are open in all.
_OPEN_TICKETS = text(
    """
    SELECT * FROM (
        SELECT t.account_id, t.id, t.source_id, t.subject, t.priority, t.opened_at, t.escalated,
               GREATEST(CAST(:today AS date) - CAST(t.opened_at AT TIME ZONE 'UTC' AS date), 0) AS age_days,
               row_number() OVER (PARTITION BY t.account_id ORDER BY t.priority, t.opened_at, t.id) AS n,
               count(*) OVER (PARTITION BY t.account_id) AS open_count
        FROM ticket t
        WHERE t.account_id = ANY(CAST(:ids AS uuid[])) AND t.status NOT IN ('solved', 'closed')
    ) ranked
    WHERE n <= :per_account
    ORDER BY account_id, n
    """
)


async def open_tickets(
    session: AsyncSession, account_ids: list[uuid.UUID], today: date, per_account: int = 5
) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """Per account, its open tickets (up to ``per_account``), each with ``age_days`` on
    ``today`` and ``open_count`` (all open tickets of the account)."""
    rows = await session.execute(_OPEN_TICKETS, {"ids": account_ids, "today": today, "per_account": per_account})
    out: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    for r in rows.mappings():
        out[r["account_id"]].append(dict(r))
    return out
