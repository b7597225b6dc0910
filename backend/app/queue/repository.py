"""SQL of the priority queue: the active alerts it ranks, with their accounts, and the plays
already running on them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import RowMapping, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.repository import IN_SCOPE_SQL

ACTIVE_ALERTS = text(
    f"""
    SELECT al.id AS alert_id, al.rule, al.severity, al.status AS alert_status, al.title, al.opened_at, al.facts,
           coalesce(al.last_evaluated_at, al.opened_at) AS seen_at,
           a.id, a.name, a.owner_id, u.name AS owner_name, u.email AS owner_email, a.segment,
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
      AND {IN_SCOPE_SQL}
    """  # noqa: S608 - IN_SCOPE_SQL is a constant; values are bound
)


async def active_alerts(
    session: AsyncSession, today: date, owner_id: uuid.UUID | None, scope: dict[str, Any]
) -> Sequence[RowMapping]:
    """One row per active alert (a snoozed one whose snooze is over counts) on an active account,
    with the account, its owner's email, its health and its next open renewal from ``today``;
    ``owner_id``: that CSM's accounts only; ``scope``: the list's scope
    (``app.accounts.access.ListScope.params``)."""
    params = {"today": today, "owner": owner_id, **scope}
    return (await session.execute(ACTIVE_ALERTS, params)).mappings().all()


# The active runs on some accounts with their progress: tasks done (cancelled ones left out)
# and the first open task by due date.
_RUNS = text(
    """
    SELECT r.id AS run_id, r.playbook_id, r.account_id, r.started_at,
           count(t.id) FILTER (WHERE t.status = 'done') AS tasks_done,
           count(t.id) FILTER (WHERE t.status <> 'cancelled') AS tasks_total,
           nxt.title AS next_task, nxt.due_date AS next_due
    FROM playbook_run r
    LEFT JOIN task t ON t.playbook_run_id = r.id
    LEFT JOIN LATERAL (
        SELECT title, due_date FROM task
        WHERE playbook_run_id = r.id AND status NOT IN ('done', 'cancelled')
        ORDER BY due_date NULLS LAST, created_at LIMIT 1
    ) nxt ON true
    WHERE r.account_id = ANY(CAST(:ids AS uuid[])) AND r.status = 'active'
    GROUP BY r.id, nxt.title, nxt.due_date
    """
)


async def active_runs(session: AsyncSession, account_ids: list[uuid.UUID]) -> dict[tuple[Any, Any], dict[str, Any]]:
    """The active runs on these accounts, by (playbook, account), with their progress."""
    rows = await session.execute(_RUNS, {"ids": account_ids})
    return {(r["playbook_id"], r["account_id"]): dict(r) for r in rows.mappings()}


# The people: primary contact first, then the champion, then those with a title.
_PEOPLE = text(
    """
    SELECT * FROM (
        SELECT c.account_id, c.id, c.name, c.email, c.title, c.role, c.is_primary,
               row_number() OVER (
                   PARTITION BY c.account_id
                   ORDER BY c.is_primary DESC, (c.role = 'champion') DESC NULLS LAST, c.title IS NULL, c.name, c.id
               ) AS n
        FROM contact c WHERE c.account_id = ANY(CAST(:ids AS uuid[]))
    ) ranked WHERE n <= 4 ORDER BY account_id, n
    """
)

_TOUCHES = text(
    """
    SELECT * FROM (
        SELECT t.account_id, t.kind, t.occurred_at, t.summary, t.sentiment,
               coalesce(u.name, u.email, t.csm_email) AS by,
               row_number() OVER (PARTITION BY t.account_id ORDER BY t.occurred_at DESC, t.id) AS n
        FROM touchpoint t LEFT JOIN "user" u ON u.id = t.csm_id
        WHERE t.account_id = ANY(CAST(:ids AS uuid[]))
    ) ranked WHERE n <= 3 ORDER BY account_id, n
    """
)

# Active users (the 28-day count the usage score reads) at the last snapshot of each of the
# last 12 ISO weeks, and the account's contract.
_USAGE_AND_CONTRACT = text(
    """
    SELECT a.id AS account_id, a.plan, coalesce(a.current_arr, a.declared_arr, 0)::float8 AS arr,
           a.contract_start, a.next_renewal_date AS renewal_date, a.renewal_term, a.seats_purchased, a.seat_limit,
           (cur.inputs->'usage'->>'user_days')::float8 AS user_days,
           (cur.inputs->'usage'->>'prev_user_days')::float8 AS prev_user_days,
           w.weeks
    FROM account a
    LEFT JOIN account_health ah ON ah.account_id = a.id
    LEFT JOIN health_snapshot cur ON cur.account_id = a.id AND cur.as_of = ah.as_of
    LEFT JOIN LATERAL (
        SELECT json_agg(json_build_object('week', wk, 'users', users) ORDER BY wk) AS weeks FROM (
            SELECT DISTINCT ON (date_trunc('week', s.as_of))
                   CAST(date_trunc('week', s.as_of) AS date) AS wk,
                   coalesce((s.inputs->'usage'->>'active_users')::float8, 0) AS users
            FROM health_snapshot s
            WHERE s.account_id = a.id AND s.as_of > CAST(:today AS date) - 84 AND s.as_of <= :today
            ORDER BY date_trunc('week', s.as_of), s.as_of DESC
        ) per_week
    ) w ON true
    WHERE a.id = ANY(CAST(:ids AS uuid[]))
    """
)


async def context_rows(
    session: AsyncSession, account_ids: list[uuid.UUID], today: date
) -> tuple[dict[Any, list[dict[str, Any]]], dict[Any, list[dict[str, Any]]], dict[Any, dict[str, Any]]]:
    """For the accounts of a queue page: (their people, their last touches, their usage trend
    and contract), each by account."""
    people: dict[Any, list[dict[str, Any]]] = {i: [] for i in account_ids}
    touches: dict[Any, list[dict[str, Any]]] = {i: [] for i in account_ids}
    for r in (await session.execute(_PEOPLE, {"ids": account_ids})).mappings():
        people[r["account_id"]].append(dict(r))
    for r in (await session.execute(_TOUCHES, {"ids": account_ids})).mappings():
        touches[r["account_id"]].append(dict(r))
    params = {"ids": account_ids, "today": today}
    rest = {r["account_id"]: dict(r) for r in (await session.execute(_USAGE_AND_CONTRACT, params)).mappings()}
    return people, touches, rest
