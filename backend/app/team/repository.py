"""SQL of the team view: who owns which active accounts of a list's scope, and what each
owner's accounts carry (ARR, touches, overdue tasks, active alerts, health of 30 days ago).
Every statement keeps to the scope (``IN_SCOPE_SQL``: ``app.accounts.access.ListScope.params``)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.repository import IN_SCOPE_SQL

_SCOPE_ACCOUNTS = text(
    f"""
    SELECT a.id, a.owner_id FROM account a
    WHERE a.status = 'active' AND {IN_SCOPE_SQL}
    """  # noqa: S608 - IN_SCOPE_SQL is a constant; values are bound
)


async def scope_accounts(session: AsyncSession, scope: dict[str, Any]) -> dict[uuid.UUID, uuid.UUID | None]:
    """Each active account of the scope, with its owner (None: nobody)."""
    rows = await session.execute(_SCOPE_ACCOUNTS, scope)
    return {account_id: owner_id for account_id, owner_id in rows.all()}


_PEOPLE = text(
    """
    SELECT u.id, u.name, u.email, u.role, u.is_active, u.lead_id,
           coalesce(l.name, l.email) AS lead_name
    FROM "user" u
    LEFT JOIN "user" l ON l.id = u.lead_id
    WHERE (u.role = 'csm' AND u.is_active
           AND (CAST(:every AS boolean) OR u.id = ANY(CAST(:listed AS uuid[]))))
       OR u.id = ANY(CAST(:owners AS uuid[]))
    ORDER BY lower(coalesce(u.name, u.email)), u.id
    """
)


async def people(
    session: AsyncSession, every_csm: bool, listed: Sequence[uuid.UUID], owners: Sequence[uuid.UUID]
) -> list[dict[str, Any]]:
    """The active CSMs (all of them with ``every_csm``, else those of ``listed``), and whoever
    else is in ``owners`` (people owning accounts of the scope whatever their role or state),
    by name, with their lead."""
    params = {"every": every_csm, "listed": list(listed), "owners": list(owners)}
    return [dict(r) for r in (await session.execute(_PEOPLE, params)).mappings()]


# Per owner (NULL: nobody) of the scope's active accounts: how many, their ARR, how many had a
# touchpoint (by anyone) in the 30 days up to :now and in the 30 days before those.
_BOOKS = text(
    f"""
    SELECT a.owner_id,
           count(*) AS accounts,
           coalesce(sum(coalesce(a.current_arr, a.declared_arr, 0)), 0)::float8 AS arr,
           count(*) FILTER (WHERE EXISTS (
               SELECT 1 FROM touchpoint t WHERE t.account_id = a.id
                 AND t.occurred_at > CAST(:now AS timestamptz) - interval '30 days'
                 AND t.occurred_at <= CAST(:now AS timestamptz))) AS touched,
           count(*) FILTER (WHERE EXISTS (
               SELECT 1 FROM touchpoint t WHERE t.account_id = a.id
                 AND t.occurred_at > CAST(:now AS timestamptz) - interval '60 days'
                 AND t.occurred_at <= CAST(:now AS timestamptz) - interval '30 days')) AS touched_before
    FROM account a
    WHERE a.status = 'active' AND {IN_SCOPE_SQL}
    GROUP BY a.owner_id
    """  # noqa: S608 - IN_SCOPE_SQL is a constant; values are bound
)


async def books(session: AsyncSession, now: datetime, scope: dict[str, Any]) -> list[dict[str, Any]]:
    """Per owner of the scope's active accounts: accounts, ARR, accounts touched in the last 30
    days (``touched``) and in the 30 days before (``touched_before``)."""
    return [dict(r) for r in (await session.execute(_BOOKS, {"now": now, **scope})).mappings()]


_OVERDUE = text(
    f"""
    SELECT a.owner_id, count(*) AS overdue
    FROM task t JOIN account a ON a.id = t.account_id
    WHERE t.status = 'open' AND t.due_date < CAST(:today AS date)
      AND a.status = 'active' AND {IN_SCOPE_SQL}
    GROUP BY a.owner_id
    """  # noqa: S608 - IN_SCOPE_SQL is a constant; values are bound
)


async def overdue_tasks(session: AsyncSession, today: date, scope: dict[str, Any]) -> dict[uuid.UUID | None, int]:
    """Per owner: open tasks due before ``today`` on the scope's active accounts they own
    (whoever the task is assigned to)."""
    rows = await session.execute(_OVERDUE, {"today": today, **scope})
    return {owner: int(n) for owner, n in rows.all()}


# Active as the queue reads them: open or acknowledged, or snoozed with the snooze over.
_ALERTS = text(
    f"""
    SELECT a.owner_id, count(*) AS alerts
    FROM alert al JOIN account a ON a.id = al.account_id
    WHERE (al.status IN ('open', 'acknowledged') OR (al.status = 'snoozed' AND al.snoozed_until <= now()))
      AND a.status = 'active' AND {IN_SCOPE_SQL}
    GROUP BY a.owner_id
    """  # noqa: S608 - IN_SCOPE_SQL is a constant; values are bound
)


async def active_alerts(session: AsyncSession, scope: dict[str, Any]) -> dict[uuid.UUID | None, int]:
    """Per owner: active alerts on the scope's active accounts they own."""
    rows = await session.execute(_ALERTS, scope)
    return {owner: int(n) for owner, n in rows.all()}


# Each active account of the scope as it stood on :then: its latest health score on or before
# that day (none: unscored), and days from then to its next renewal then (the earliest renewal
# record dated that day or later; none, or a monthly cycle: no term renewal ahead).
_AS_OF = text(
    f"""
    SELECT a.id, a.owner_id, coalesce(a.current_arr, a.declared_arr, 0)::float8 AS arr,
           s.health_score,
           CASE WHEN nr.term <> 'monthly' THEN nr.renewal_date - CAST(:then AS date) END AS days_to_renewal
    FROM account a
    LEFT JOIN LATERAL (
        SELECT hs.health_score FROM health_snapshot hs
        WHERE hs.account_id = a.id AND hs.as_of <= CAST(:then AS date)
        ORDER BY hs.as_of DESC LIMIT 1
    ) s ON true
    LEFT JOIN LATERAL (
        SELECT r.renewal_date, r.term FROM renewal r
        WHERE r.account_id = a.id AND r.renewal_date >= CAST(:then AS date)
        ORDER BY r.renewal_date LIMIT 1
    ) nr ON true
    WHERE a.status = 'active' AND {IN_SCOPE_SQL}
    """  # noqa: S608 - IN_SCOPE_SQL is a constant; values are bound
)


async def risk_inputs_as_of(session: AsyncSession, then: date, scope: dict[str, Any]) -> list[dict[str, Any]]:
    """The scope's active accounts (today's, with today's owner and ARR) with their health
    score and days to the next renewal as of ``then``."""
    return [dict(r) for r in (await session.execute(_AS_OF, {"then": then, **scope})).mappings()]
