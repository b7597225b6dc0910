"""SQL of renewals: the list (with each account's health now), outcomes from revenue data,
and records derived from yearly subscription lines."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

LIST = text(
    """
    SELECT r.id, r.account_id, a.name AS account_name, a.external_id, a.segment, u.email AS owner_email,
           r.renewal_date, r.renewal_date - CAST(:today AS date) AS days_to_renewal,
           r.arr_up_for_renewal::float8 AS arr_up_for_renewal, r.forecast, r.outcome, r.closed_at, r.owner_notes,
           h.health_score, h.band, h.quadrant
    FROM renewal r
    JOIN account a ON a.id = r.account_id
    LEFT JOIN "user" u ON u.id = a.owner_id
    LEFT JOIN account_health h ON h.account_id = r.account_id
    WHERE (CAST(:within AS int) IS NULL
           OR (r.renewal_date >= CAST(:today AS date) AND r.renewal_date <= CAST(:today AS date) + CAST(:within AS int)))
      AND (CAST(:status AS text) = 'all'
           OR (CAST(:status AS text) = 'open' AND r.outcome IS NULL)
           OR (CAST(:status AS text) = 'closed' AND r.outcome IS NOT NULL))
      AND (CAST(:forecast AS text) IS NULL OR r.forecast = CAST(:forecast AS text))
      AND (CAST(:segment AS text) IS NULL OR a.segment = CAST(:segment AS text))
      AND (CAST(:owner AS uuid) IS NULL OR a.owner_id = CAST(:owner AS uuid))
      AND (CAST(:id AS uuid) IS NULL OR r.id = CAST(:id AS uuid))
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


async def derive_from_lines(session: AsyncSession, today: date) -> int:
    """Accounts on yearly lines without an upcoming renewal record get one: at the end of
    their live yearly lines' term when it is set, else at the next anniversary of the
    earliest one, for the ARR of their yearly lines. Records that exist (from a CRM) win."""
    result = await session.execute(
        text(
            """
            INSERT INTO renewal (id, account_id, renewal_date, arr_up_for_renewal, created_at, updated_at)
            SELECT gen_random_uuid(), x.account_id, x.next_date, x.arr, now(), now()
            FROM (
                SELECT s.account_id,
                       coalesce(min(s.end_date), CAST(min(s.start_date) + make_interval(years =>
                           greatest(1, ceil(extract(epoch FROM (CAST(:today AS timestamp) - min(s.start_date)))
                                            / (365.25 * 86400))::int)) AS date)) AS next_date,
                       sum(s.quantity * s.unit_amount) AS arr
                FROM subscription_line s
                WHERE s.interval = 'year' AND s.start_date <= :today AND (s.end_date IS NULL OR s.end_date > :today)
                GROUP BY s.account_id
            ) x
            WHERE x.next_date > CAST(:today AS date)
              AND NOT EXISTS (SELECT 1 FROM renewal r WHERE r.account_id = x.account_id
                              AND r.renewal_date >= CAST(:today AS date))
            ON CONFLICT (account_id, renewal_date) DO NOTHING
            """
        ),
        {"today": today},
    )
    return int(getattr(result, "rowcount", 0) or 0)


_AT_RISK = text(
    """
    SELECT a.name, r.renewal_date, r.arr_up_for_renewal::float8 AS arr, h.health_score
    FROM renewal r JOIN account a ON a.id = r.account_id
    LEFT JOIN account_health h ON h.account_id = a.id
    WHERE r.outcome IS NULL AND r.renewal_date BETWEEN :d AND CAST(:d AS date) + CAST(:days AS int) AND h.health_score < :below
    ORDER BY r.arr_up_for_renewal DESC LIMIT :limit
    """
)


async def at_risk(
    session: AsyncSession, day: date, days: int = 90, below: float = 60, limit: int = 10
) -> list[dict[str, Any]]:
    """Open renewals due within ``days`` whose account's health is below ``below``, biggest first."""
    params = {"d": day, "days": days, "below": below, "limit": limit}
    return [dict(r) for r in (await session.execute(_AT_RISK, params)).mappings()]
