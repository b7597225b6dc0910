"""SQL of cohort and product analytics (DESIGN §12). Each query reads the revenue engine's
tables (``arr_movement``, ``arr_month``), snapshots, usage rollups and renewals."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# How an account is grouped for cohort splits (fixed expressions, chosen by name).
SPLITS = {
    "none": "'all'",
    "segment": "coalesce(a.segment, 'unknown')",
    "plan": "coalesce(a.plan, 'unknown')",
    "channel": "coalesce(a.acquisition_channel, 'unknown')",
    "onboarding": "CASE WHEN a.onboarding_completed_at IS NOT NULL THEN 'onboarded' ELSE 'not onboarded' END",
}

COHORTS = """
WITH cohort AS (
    -- acquisition cohort: the month of the account's first ARR
    SELECT m.account_id, CAST(date_trunc('month', min(m."on")) AS date) AS cohort
    FROM arr_movement m WHERE m.kind = 'new' GROUP BY m.account_id
),
base AS (
    SELECT c.account_id, c.cohort, {split} AS grp, am.arr AS initial
    FROM cohort c JOIN account a ON a.id = c.account_id
    JOIN arr_month am ON am.account_id = c.account_id AND am.month = CAST(c.cohort + interval '1 month' AS date)
    WHERE c.cohort >= :first AND c.cohort <= :last
)
SELECT b.cohort, b.grp, k.age, count(*) AS size, sum(b.initial) AS initial_arr,
       count(am.account_id) AS retained, coalesce(sum(am.arr), 0) AS arr
FROM base b
CROSS JOIN generate_series(0, :max_age) AS k(age)
LEFT JOIN arr_month am ON am.account_id = b.account_id
     AND am.month = CAST(b.cohort + make_interval(months => k.age + 1) AS date)
WHERE CAST(b.cohort + make_interval(months => k.age + 1) AS date) <= :cap
GROUP BY b.cohort, b.grp, k.age
ORDER BY b.cohort, b.grp, k.age
"""


async def cohort_ages(session: AsyncSession, split: str, first: date, last: date, max_age: int, cap: date) -> list[Any]:
    sql = COHORTS.format(split=SPLITS[split])  # SPLITS values are fixed expressions
    rows = await session.execute(text(sql), {"first": first, "last": last, "max_age": max_age, "cap": cap})
    return list(rows.mappings())


CHURN_DRIVERS = """
WITH churns AS (
    SELECT m.account_id, m."on", m.amount, m.detail FROM arr_movement m
    WHERE m.kind = 'churn' AND m."on" >= :since
),
described AS (
    SELECT c.*, a.segment, a.plan,
           (SELECT coalesce(nullif(s.cancellation_reason, ''), 'not given') FROM subscription_line s
            WHERE s.account_id = c.account_id AND s.end_date = c."on"
            ORDER BY s.cancellation_reason NULLS LAST LIMIT 1) AS reason,
           (SELECT h.quadrant FROM health_snapshot h WHERE h.account_id = c.account_id AND h.as_of < c."on"
            ORDER BY h.as_of DESC LIMIT 1) AS quadrant
    FROM churns c JOIN account a ON a.id = c.account_id
)
SELECT 'reason' AS dimension, coalesce(reason, 'not given') AS driver, count(*) AS churns, sum(amount) AS lost_arr
FROM described GROUP BY 2
UNION ALL SELECT 'kind', detail, count(*), sum(amount) FROM described GROUP BY 2
UNION ALL SELECT 'quadrant', coalesce(quadrant, 'not scored'), count(*), sum(amount) FROM described GROUP BY 2
UNION ALL SELECT 'segment', coalesce(segment, 'unknown'), count(*), sum(amount) FROM described GROUP BY 2
UNION ALL SELECT 'plan', coalesce(plan, 'unknown'), count(*), sum(amount) FROM described GROUP BY 2
ORDER BY 1, 4 DESC, 3 DESC
"""


async def churn_drivers(session: AsyncSession, since: date) -> list[Any]:
    return list((await session.execute(text(CHURN_DRIVERS), {"since": since})).mappings())


TIME_TO_VALUE = text(
    """
    SELECT coalesce(a.segment, 'unknown') AS segment, count(*) AS accounts,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY a.first_value_at::date - a.signup_date) AS median_days,
           percentile_cont(0.25) WITHIN GROUP (ORDER BY a.first_value_at::date - a.signup_date) AS p25_days,
           percentile_cont(0.75) WITHIN GROUP (ORDER BY a.first_value_at::date - a.signup_date) AS p75_days,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY a.onboarding_completed_at::date - a.signup_date)
               FILTER (WHERE a.onboarding_completed_at IS NOT NULL) AS median_onboarding_days
    FROM account a
    WHERE a.signup_date IS NOT NULL AND a.first_value_at IS NOT NULL AND a.first_value_at::date >= a.signup_date
    GROUP BY 1 ORDER BY 1
    """
)


async def time_to_value(session: AsyncSession) -> list[Any]:
    return list((await session.execute(TIME_TO_VALUE)).mappings())


ADOPTION_BEFORE_RENEWAL = text(
    """
    WITH r AS (
        SELECT account_id, renewal_date, CASE WHEN outcome = 'churned' THEN 'churned' ELSE 'renewed' END AS result
        FROM renewal WHERE outcome IS NOT NULL AND renewal_date >= :since AND term <> 'monthly'
    ),
    w AS (SELECT r.*, o.days_before FROM r CROSS JOIN (VALUES (30), (60), (90)) AS o(days_before)),
    used AS (
        -- one row per renewal, window and feature used in the 4 weeks ending days_before it
        SELECT DISTINCT w.result, w.days_before, w.account_id, w.renewal_date, d.feature_id
        FROM w JOIN usage_daily d ON d.account_id = w.account_id
             AND d.day >= w.renewal_date - w.days_before - 28 AND d.day < w.renewal_date - w.days_before
        WHERE d.events > 0 AND d.feature_id <> 0
    ),
    agg AS (SELECT result, days_before, feature_id, count(*) AS users FROM used GROUP BY 1, 2, 3),
    totals AS (SELECT result, days_before, count(*) AS renewals FROM w GROUP BY 1, 2)
    SELECT f.key, f.name, f.is_core, t.result, t.days_before, t.renewals, coalesce(a.users, 0) AS users
    FROM feature f CROSS JOIN totals t
    LEFT JOIN agg a ON a.feature_id = f.id AND a.result = t.result AND a.days_before = t.days_before
    WHERE f.id <> 0
    ORDER BY f.name, t.days_before, t.result
    """
)


async def adoption_before_renewal(session: AsyncSession, since: date) -> list[Any]:
    return list((await session.execute(ADOPTION_BEFORE_RENEWAL, {"since": since})).mappings())


FEATURES_BY_QUADRANT = text(
    """
    WITH q AS (SELECT account_id, quadrant FROM account_health WHERE quadrant IS NOT NULL),
    sizes AS (SELECT quadrant, count(*) AS accounts FROM q GROUP BY quadrant),
    used AS (
        SELECT d.account_id, d.feature_id, sum(d.events) AS events
        FROM usage_daily d
        WHERE d.day > CAST(:today AS date) - 28 AND d.day <= :today AND d.feature_id <> 0 AND d.events > 0
        GROUP BY d.account_id, d.feature_id
    ),
    agg AS (
        SELECT u.feature_id, q.quadrant, count(*) AS users, sum(u.events) AS events
        FROM used u JOIN q ON q.account_id = u.account_id GROUP BY 1, 2
    )
    SELECT f.key, f.name, f.is_core, s.quadrant, s.accounts, coalesce(a.users, 0) AS users,
           coalesce(a.events, 0) AS events
    FROM feature f CROSS JOIN sizes s
    LEFT JOIN agg a ON a.feature_id = f.id AND a.quadrant = s.quadrant
    WHERE f.id <> 0
    ORDER BY f.name, s.quadrant
    """
)


async def features_by_quadrant(session: AsyncSession, today: date) -> list[Any]:
    return list((await session.execute(FEATURES_BY_QUADRANT, {"today": today})).mappings())


QUADRANT_MONTHS = text(
    """
    SELECT h.as_of, h.quadrant, count(*) AS accounts, sum(h.arr) AS arr
    FROM health_snapshot h
    WHERE h.quadrant IS NOT NULL AND h.as_of IN (
        SELECT max(as_of) FROM health_snapshot WHERE as_of >= :since GROUP BY date_trunc('month', as_of))
    GROUP BY h.as_of, h.quadrant ORDER BY h.as_of, h.quadrant
    """
)


async def quadrant_months(session: AsyncSession, since: date) -> list[Any]:
    """The quadrant distribution on the last scored date of each month."""
    return list((await session.execute(QUADRANT_MONTHS, {"since": since})).mappings())


COMPLAINT_TO_FIX = text(
    """
    SELECT coalesce(product_area, 'unassigned') AS product_area, count(*) AS raised,
           count(shipped_at) AS shipped, count(confirmed_at) AS confirmed,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM shipped_at - raised_at) / 86400)
               FILTER (WHERE shipped_at IS NOT NULL) AS median_days_to_ship,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM confirmed_at - shipped_at) / 86400)
               FILTER (WHERE confirmed_at IS NOT NULL AND shipped_at IS NOT NULL) AS median_days_to_confirm,
           max(extract(epoch FROM CAST(:now AS timestamptz) - raised_at) / 86400)
               FILTER (WHERE shipped_at IS NULL) AS oldest_open_days
    FROM product_feedback WHERE raised_at >= :since
    GROUP BY 1 ORDER BY 2 DESC
    """
)


async def complaint_to_fix(session: AsyncSession, since: date, now: Any) -> list[Any]:
    return list((await session.execute(COMPLAINT_TO_FIX, {"since": since, "now": now})).mappings())
