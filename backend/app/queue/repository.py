"""SQL of the priority queue: the active alerts it ranks, with their accounts, and the plays
already running on them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import RowMapping, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.repository import WORKS_ON_SQL

ACTIVE_ALERTS = text(
    f"""
    SELECT al.id AS alert_id, al.rule, al.severity, al.status AS alert_status, al.title, al.opened_at, al.facts,
           coalesce(al.last_evaluated_at, al.opened_at) AS seen_at,
           a.id, a.name, a.owner_id, u.email AS owner_email, a.segment,
           coalesce(a.current_arr, a.declared_arr, 0)::float8 AS arr,
           h.health_score, h.band, h.quadrant,
           -- the next term renewal (a monthly cycle is none: docs/metrics.md, Renewals)
           CASE WHEN a.renewal_term <> 'monthly' AND a.next_renewal_date >= CAST(:today AS date)
                THEN a.next_renewal_date END AS renewal_date
    FROM alert al
    JOIN account a ON a.id = al.account_id
    LEFT JOIN "user" u ON u.id = a.owner_id
    LEFT JOIN account_health h ON h.account_id = a.id
    WHERE (al.status IN ('open', 'acknowledged') OR (al.status = 'snoozed' AND al.snoozed_until <= now()))
      AND a.status = 'active'
      AND (CAST(:owner AS uuid) IS NULL OR a.owner_id = :owner)
      AND {WORKS_ON_SQL}
    """  # noqa: S608 - WORKS_ON_SQL is a constant; values are bound
)


async def active_alerts(
    session: AsyncSession, today: date, owner_id: uuid.UUID | None, scope: dict[str, Any]
) -> Sequence[RowMapping]:
    """One row per active alert (a snoozed one whose snooze is over counts) on an active account,
    with the account, its owner's email, its health and its next open renewal from ``today``;
    ``owner_id``: that CSM's accounts only; ``scope``: what the caller reads
    (``app.accounts.access.ReadScope.params``)."""
    params = {"today": today, "owner": owner_id, **scope}
    return (await session.execute(ACTIVE_ALERTS, params)).mappings().all()


async def active_run_id(session: AsyncSession, playbook_id: uuid.UUID, account_id: uuid.UUID) -> uuid.UUID | None:
    """The playbook's active run on the account, if any."""
    running: uuid.UUID | None = await session.scalar(
        text("SELECT id FROM playbook_run WHERE playbook_id = :p AND account_id = :a AND status = 'active'"),
        {"p": playbook_id, "a": account_id},
    )
    return running
