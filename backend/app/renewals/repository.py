"""SQL of renewals: each account's next renewal (CRM date, else billing), keeping records and
the accounts' mirror in step, the list (with each account's health now), and outcomes
from revenue data."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.repository import IN_SCOPE_SQL

# A renewal as the list shows it: its account, owner and current health. The list keeps to a
# scope (``IN_SCOPE_SQL``: ``app.accounts.access.ListScope.params``).
ROW = """
    SELECT r.id, r.account_id, a.name AS account_name, a.external_id, a.segment, u.email AS owner_email,
           u.name AS owner_name,
           r.renewal_date, r.renewal_date - CAST(:today AS date) AS days_to_renewal, r.term, r.source,
           r.arr_up_for_renewal::float8 AS arr_up_for_renewal, r.forecast, r.outcome, r.closed_at, r.owner_notes,
           h.health_score, h.band, h.quadrant
    FROM renewal r
    JOIN account a ON a.id = r.account_id
    LEFT JOIN "user" u ON u.id = a.owner_id
    LEFT JOIN account_health h ON h.account_id = r.account_id"""
# ``:status``: all, open (no outcome yet) or closed.
STATUS = """(CAST(:status AS text) = 'all'
           OR (CAST(:status AS text) = 'open' AND r.outcome IS NULL)
           OR (CAST(:status AS text) = 'closed' AND r.outcome IS NOT NULL))"""

LIST = text(
    f"""{ROW}
    WHERE (CAST(:within AS int) IS NULL
           OR (r.renewal_date >= CAST(:today AS date) AND r.renewal_date <= CAST(:today AS date) + CAST(:within AS int)))
      AND {STATUS}
      AND r.term = ANY(CAST(:terms AS text[]))
      AND (CAST(:forecast AS text) IS NULL OR r.forecast = CAST(:forecast AS text))
      AND (CAST(:segment AS text) IS NULL OR a.segment = CAST(:segment AS text))
      AND (CAST(:owner AS uuid) IS NULL OR a.owner_id = CAST(:owner AS uuid))
      AND (CAST(:id AS uuid) IS NULL OR r.id = CAST(:id AS uuid))
      AND {IN_SCOPE_SQL}
    ORDER BY r.renewal_date, r.arr_up_for_renewal DESC, r.id
    LIMIT :limit
    """
)


async def rows(session: AsyncSession, params: dict[str, Any]) -> list[Any]:
    return list((await session.execute(LIST, params)).mappings())


async def record_outcomes(session: AsyncSession, settled_before: date, bridge: int) -> int:
    """Open renewals dated before ``settled_before`` get their outcome from the account's
    (bridged) ARR before the renewal date vs ``bridge`` days after it, when a churn can no
    longer be bridged: churned (0), expanded, contracted or renewed."""
    result = await session.execute(
        text(
            """
            WITH due AS (
                SELECT r.id, r.account_id, r.renewal_date,
                       (SELECT arr_after FROM arr_movement m WHERE m.account_id = r.account_id
                          AND m."on" < r.renewal_date ORDER BY m."on" DESC, m.id DESC LIMIT 1) AS before,
                       (SELECT arr_after FROM arr_movement m WHERE m.account_id = r.account_id
                          AND m."on" <= r.renewal_date + CAST(:bridge AS int) ORDER BY m."on" DESC, m.id DESC LIMIT 1)
                           AS after
                FROM renewal r WHERE r.outcome IS NULL AND r.renewal_date < CAST(:settled AS date)
            )
            UPDATE renewal r SET
                outcome = CASE WHEN coalesce(d.after, 0) = 0 THEN 'churned'
                               WHEN d.after > coalesce(d.before, 0) THEN 'expanded'
                               WHEN d.after < d.before THEN 'contracted' ELSE 'renewed' END,
                closed_at = now(), updated_at = now()
            FROM due d WHERE r.id = d.id AND d.before IS NOT NULL
            """
        ),
        {"settled": settled_before, "bridge": bridge},
    )
    return int(getattr(result, "rowcount", 0) or 0)


# The next renewal of each account (docs/metrics.md, "Renewals"): the CRM's contract date
# while it is today or later, else the next billing cycle of the live lines: the end of a
# yearly term when it is set (multi_year beyond 18 months), else the next anniversary of
# the line's first version; for monthly lines, the next monthly cycle.
_NEXT_RENEWALS = text(
    """
    WITH scope AS (
        -- a churned account's CRM date is a stale one: it renews nothing
        SELECT a.id, CASE WHEN a.status <> 'churned' THEN a.renewal_date END AS crm_date, a.contract_start,
               coalesce(a.current_arr, a.declared_arr, 0) AS arr
        FROM account a
        WHERE CAST(:every AS boolean) OR a.id = ANY(CAST(:ids AS uuid[]))
    ),
    live AS (
        SELECT s.account_id, s.interval, s.end_date,
               s.quantity * s.unit_amount * CASE s.interval WHEN 'month' THEN 12 ELSE 1 END
                   * fx_to_reporting(s.currency, CAST(:today AS date), :reporting) AS arr,
               (SELECT min(v.start_date) FROM subscription_line v
                WHERE v.source = s.source AND v.source_id = s.source_id) AS first_start
        FROM subscription_line s JOIN scope ON scope.id = s.account_id
        WHERE s.start_date <= CAST(:today AS date) AND (s.end_date IS NULL OR s.end_date > CAST(:today AS date))
    ),
    cycles AS (
        SELECT account_id, arr,
               CASE WHEN interval = 'year' THEN 0 ELSE 1 END AS monthly,
               CASE
                   WHEN interval = 'year' AND end_date IS NOT NULL THEN end_date
                   WHEN interval = 'year' THEN CAST(first_start + make_interval(years => greatest(1,
                        CAST(extract(year FROM age(CAST(:today AS date), first_start)) AS int)
                        + CASE WHEN first_start + make_interval(years => CAST(extract(year FROM
                               age(CAST(:today AS date), first_start)) AS int)) >= CAST(:today AS date)
                          THEN 0 ELSE 1 END)) AS date)
                   ELSE least(coalesce(end_date, DATE 'infinity'), CAST(first_start + make_interval(months => greatest(1,
                        CAST(extract(year FROM age(CAST(:today AS date), first_start)) * 12
                             + extract(month FROM age(CAST(:today AS date), first_start)) AS int)
                        + CASE WHEN first_start + make_interval(months => CAST(
                               extract(year FROM age(CAST(:today AS date), first_start)) * 12
                               + extract(month FROM age(CAST(:today AS date), first_start)) AS int))
                               >= CAST(:today AS date) THEN 0 ELSE 1 END)) AS date))
               END AS due,
               CASE WHEN interval = 'year' AND end_date IS NOT NULL AND end_date > first_start + interval '18 months'
                    THEN 'multi_year' WHEN interval = 'year' THEN 'annual' ELSE 'monthly' END AS term
        FROM live
    ),
    billing AS (
        -- term lines first: a monthly add-on does not make a yearly contract a monthly one
        SELECT DISTINCT ON (account_id) account_id, due, term,
               sum(arr) OVER (PARTITION BY account_id, monthly, due) AS arr
        FROM cycles ORDER BY account_id, monthly, due
    )
    SELECT scope.id AS account_id,
           CASE WHEN scope.crm_date >= CAST(:today AS date) THEN scope.crm_date ELSE b.due END AS renewal_date,
           CASE WHEN scope.crm_date >= CAST(:today AS date) THEN
                    CASE WHEN scope.contract_start IS NULL THEN 'contract'
                         WHEN scope.crm_date > scope.contract_start + interval '18 months' THEN 'multi_year'
                         WHEN scope.crm_date >= scope.contract_start + interval '10 months' THEN 'annual'
                         ELSE 'contract' END
                ELSE b.term END AS term,
           CASE WHEN scope.crm_date >= CAST(:today AS date) THEN 'crm' ELSE 'billing' END AS source,
           CASE WHEN scope.crm_date >= CAST(:today AS date) THEN scope.arr ELSE b.arr END AS arr
    FROM scope LEFT JOIN billing b ON b.account_id = scope.id
    WHERE scope.crm_date >= CAST(:today AS date) OR b.due IS NOT NULL
    """
)
_UPCOMING = text(
    """
    SELECT id, account_id, renewal_date FROM renewal
    WHERE outcome IS NULL AND renewal_date >= CAST(:today AS date)
      AND (CAST(:every AS boolean) OR account_id = ANY(CAST(:ids AS uuid[])))
    ORDER BY account_id, renewal_date
    """
)


async def next_renewals(
    session: AsyncSession, today: date, ids: Sequence[uuid.UUID] | None, reporting: str
) -> list[Any]:
    """(account_id, renewal_date, term, source, arr) of every account in scope that has one."""
    params = {"today": today, "every": ids is None, "ids": list(ids or []), "reporting": reporting}
    return list((await session.execute(_NEXT_RENEWALS, params)).mappings())


async def upcoming_open(session: AsyncSession, today: date, ids: Sequence[uuid.UUID] | None) -> list[Any]:
    """Open renewal records dated today or later, by account and date."""
    params = {"today": today, "every": ids is None, "ids": list(ids or [])}
    return list((await session.execute(_UPCOMING, params)).mappings())


async def apply_renewals(
    session: AsyncSession,
    delete: list[uuid.UUID],
    update: list[dict[str, Any]],
    insert: list[dict[str, Any]],
) -> None:
    """Remove records that no longer describe a renewal, move or refresh the kept ones, add new ones."""
    if delete:
        await session.execute(text("DELETE FROM renewal WHERE id = ANY(CAST(:ids AS uuid[]))"), {"ids": delete})
    if update:
        await session.execute(
            text(
                """
                UPDATE renewal r SET renewal_date = u.d, term = u.t, source = u.s, arr_up_for_renewal = u.arr,
                                     updated_at = now()
                FROM unnest(CAST(:id AS uuid[]), CAST(:d AS date[]), CAST(:t AS text[]), CAST(:s AS text[]),
                            CAST(:arr AS numeric[])) AS u(id, d, t, s, arr)
                WHERE r.id = u.id
                  AND (r.renewal_date, r.term, r.source, r.arr_up_for_renewal) IS DISTINCT FROM (u.d, u.t, u.s, u.arr)
                """
            ),
            {
                "id": [u["id"] for u in update],
                "d": [u["renewal_date"] for u in update],
                "t": [u["term"] for u in update],
                "s": [u["source"] for u in update],
                "arr": [u["arr"] for u in update],
            },
        )
    if insert:
        await session.execute(
            text(
                """
                INSERT INTO renewal (id, account_id, renewal_date, term, source, arr_up_for_renewal, created_at,
                                     updated_at)
                SELECT gen_random_uuid(), a, d, t, s, arr, now(), now()
                FROM unnest(CAST(:a AS uuid[]), CAST(:d AS date[]), CAST(:t AS text[]), CAST(:s AS text[]),
                            CAST(:arr AS numeric[])) AS x(a, d, t, s, arr)
                ON CONFLICT (account_id, renewal_date) DO UPDATE SET term = excluded.term, source = excluded.source,
                    arr_up_for_renewal = excluded.arr_up_for_renewal, updated_at = now()
                """
            ),
            {
                "a": [i["account_id"] for i in insert],
                "d": [i["renewal_date"] for i in insert],
                "t": [i["term"] for i in insert],
                "s": [i["source"] for i in insert],
                "arr": [i["arr"] for i in insert],
            },
        )


async def mirror_on_accounts(session: AsyncSession, today: date, ids: Sequence[uuid.UUID] | None) -> None:
    """Each account's next renewal date and term, from its earliest upcoming open record
    (what the book filters and sorts on)."""
    await session.execute(
        text(
            """
            UPDATE account a SET next_renewal_date = n.renewal_date, renewal_term = n.term
            FROM (
                SELECT a0.id, r.renewal_date, r.term FROM account a0
                LEFT JOIN LATERAL (
                    SELECT renewal_date, term FROM renewal
                    WHERE account_id = a0.id AND outcome IS NULL AND renewal_date >= CAST(:today AS date)
                    ORDER BY renewal_date LIMIT 1
                ) r ON true
                WHERE CAST(:every AS boolean) OR a0.id = ANY(CAST(:ids AS uuid[]))
            ) n
            WHERE a.id = n.id
              AND (a.next_renewal_date, a.renewal_term) IS DISTINCT FROM (n.renewal_date, n.term)
            """
        ),
        {"today": today, "every": ids is None, "ids": list(ids or [])},
    )


_AT_RISK = text(
    """
    SELECT a.name, r.renewal_date, r.arr_up_for_renewal::float8 AS arr, h.health_score
    FROM renewal r JOIN account a ON a.id = r.account_id
    LEFT JOIN account_health h ON h.account_id = a.id
    WHERE r.outcome IS NULL AND r.renewal_date BETWEEN :d AND CAST(:d AS date) + CAST(:days AS int)
      AND r.term = ANY(CAST(:terms AS text[])) AND h.health_score < :below
    ORDER BY r.arr_up_for_renewal DESC LIMIT :limit
    """
)


async def at_risk(
    session: AsyncSession, day: date, terms: Sequence[str], days: int = 90, below: float = 60, limit: int = 10
) -> list[dict[str, Any]]:
    """Open renewals of ``terms`` due within ``days`` whose account's health is below ``below``,
    biggest first."""
    params = {"d": day, "days": days, "below": below, "limit": limit, "terms": list(terms)}
    return [dict(r) for r in (await session.execute(_AT_RISK, params)).mappings()]


_OF_ACCOUNTS = text(
    f"""{ROW}
    WHERE r.account_id = ANY(CAST(:ids AS uuid[]))
      AND {STATUS}
    ORDER BY r.account_id, r.renewal_date DESC, r.id
    """
)


async def rows_of_accounts(
    session: AsyncSession, ids: Sequence[uuid.UUID], status: str, today: date
) -> dict[uuid.UUID, list[Any]]:
    """The renewals of several accounts (every term), newest first: ``rows`` without the
    caller's scope (the accounts were read under it)."""
    out: dict[uuid.UUID, list[Any]] = {i: [] for i in ids}
    if ids:
        for row in (
            await session.execute(_OF_ACCOUNTS, {"ids": list(ids), "status": status, "today": today})
        ).mappings():
            out[row["account_id"]].append(row)
    return out
