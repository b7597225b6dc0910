"""Usage: how much and how broadly the account uses the product (the quadrant's usage axis).

Usage sub-metrics are "no data" until the account has any usage on or before the date;
after that, no activity is a real zero. Time in product is also "no data" when the last
four weeks' usage carried no durations (events without ``duration_seconds``, usage rows
without ``minutes``): a source that does not measure time says nothing about it.

Windows are four whole weeks (28 days) rather than DESIGN's 30: a 30-day window holds two
weekdays five times, so every weekend it lost about 1.5 points of usage on average and
accounts near a cutoff flapped quadrants every Saturday. User-days are scaled by 30/28 so
the login curve keeps its "per 30 days" meaning.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from app.scoring.components.base import Component, Metric

WINDOW_DAYS = 28


def _month_masks(as_of: date) -> dict[str, Any]:
    """Day bitmasks of the last 28 days and the 28 before, per month they touch.

    ``usage_user_activity.active_days`` sets bit ``d - 1`` for day-of-month ``d``.
    """
    cur = (as_of - timedelta(days=WINDOW_DAYS - 1), as_of)
    prev = (as_of - timedelta(days=2 * WINDOW_DAYS - 1), as_of - timedelta(days=WINDOW_DAYS))
    months: list[date] = []
    day = prev[0].replace(day=1)
    while day <= as_of:
        months.append(day)
        day = (day + timedelta(days=32)).replace(day=1)

    def mask(month: date, lo: date, hi: date) -> int:
        nxt = (month + timedelta(days=32)).replace(day=1)
        lo, hi = max(lo, month), min(hi, nxt - timedelta(days=1))
        if lo > hi:
            return 0
        return ((1 << hi.day) - 1) & ~((1 << (lo.day - 1)) - 1)

    return {
        "months": months,
        "cur_masks": [mask(m, *cur) for m in months],
        "prev_masks": [mask(m, *prev) for m in months],
        "window": WINDOW_DAYS,
    }


SQL = """
WITH acc0 AS (
    -- plan and limits as they were on the date (the account's revisions; without any, its values now)
    SELECT a.id,
           CASE WHEN r.account_id IS NULL THEN a.seats_purchased ELSE r.seats_purchased END AS seats_purchased,
           CASE WHEN r.account_id IS NULL THEN a.seat_limit ELSE r.seat_limit END AS seat_limit,
           CASE WHEN r.account_id IS NULL THEN a.api_call_limit ELSE r.api_call_limit END AS api_call_limit,
           CASE WHEN r.account_id IS NULL THEN a.plan ELSE r.plan END AS plan,
           (SELECT max(d0.day) FROM usage_daily d0 WHERE d0.account_id = a.id AND d0.day <= :as_of) AS last_day
    FROM account a
    LEFT JOIN LATERAL (
        SELECT * FROM account_revision r0 WHERE r0.account_id = a.id AND r0.valid_from <= :as_of
        ORDER BY r0.valid_from DESC LIMIT 1
    ) r ON true
    WHERE a.id = ANY(CAST(:ids AS uuid[]))
),
acc AS (SELECT *, last_day IS NOT NULL AS has_usage FROM acc0),
m AS (
    SELECT * FROM unnest(CAST(:months AS date[]), CAST(:cur_masks AS int[]), CAST(:prev_masks AS int[]))
        AS t(month, cur, prev)
),
users AS (
    -- distinct users and user-days from the monthly day bitmasks, masked to each window
    SELECT u.account_id,
           sum(bit_count(CAST(u.active_days & m.cur AS bit(32)))) AS user_days,
           sum(bit_count(CAST(u.active_days & m.prev AS bit(32)))) AS prev_user_days,
           count(DISTINCT u.user_hash) FILTER (WHERE u.active_days & m.cur <> 0) AS active_users,
           count(DISTINCT u.user_hash) FILTER (WHERE u.active_days & m.prev <> 0) AS prev_active_users
    FROM m JOIN usage_user_activity u ON u.month = m.month
    WHERE u.account_id = ANY(CAST(:ids AS uuid[]))
    GROUP BY u.account_id
),
per_feature AS (
    SELECT d.account_id, d.feature_id, sum(d.minutes) AS minutes, sum(d.events) AS events,
           sum(d.api_calls) AS api_calls
    FROM usage_daily d
    WHERE d.account_id = ANY(CAST(:ids AS uuid[])) AND d.day > :as_of - CAST(:window AS int) AND d.day <= :as_of
    GROUP BY d.account_id, d.feature_id
),
daily AS (
    SELECT pf.account_id, sum(pf.minutes) AS minutes, sum(pf.api_calls) AS api_calls,
           count(*) FILTER (
               WHERE pf.events > 0 AND f.is_core AND (coalesce(cardinality(f.plans), 0) = 0 OR a.plan = ANY(f.plans))
           ) AS core_used
    FROM per_feature pf
    JOIN feature f ON f.id = pf.feature_id
    JOIN acc a ON a.id = pf.account_id
    GROUP BY pf.account_id
),
available AS (
    SELECT a.id AS account_id, count(f.id) AS core_available
    FROM acc a
    JOIN feature f ON f.is_core AND (coalesce(cardinality(f.plans), 0) = 0 OR a.plan = ANY(f.plans))
    GROUP BY a.id
)
SELECT a.id AS account_id,
       -- active user-days per 30 days (the 4-week window scaled by 30/28) per purchased seat
       CASE WHEN a.has_usage AND a.seats_purchased > 0
            THEN coalesce(us.user_days, 0)::float8 * 30 / CAST(:window AS int) / a.seats_purchased END AS login_frequency,
       -- share of the plan's core features used in the last 4 weeks
       CASE WHEN a.has_usage AND av.core_available > 0
            THEN coalesce(dl.core_used, 0)::float8 / av.core_available END AS feature_adoption,
       -- minutes per active user per week over the last 4 weeks; unknown when the window's
       -- usage carried no durations at all (sources that do not measure time)
       CASE WHEN a.has_usage AND us.active_users > 0 AND (dl.account_id IS NULL OR dl.minutes IS NOT NULL)
            THEN coalesce(dl.minutes, 0) / us.active_users / (CAST(:window AS int) / 7.0) END AS time_in_platform,
       -- change in active users over the last 4 weeks vs the 4 weeks before
       CASE WHEN a.has_usage AND us.prev_active_users > 0
            THEN (coalesce(us.active_users, 0) - us.prev_active_users)::float8 / us.prev_active_users END AS user_growth,
       CASE WHEN a.has_usage THEN coalesce(us.user_days, 0) END AS user_days,
       CASE WHEN a.has_usage THEN coalesce(us.active_users, 0) END AS active_users,
       CASE WHEN a.has_usage THEN coalesce(us.prev_active_users, 0) END AS prev_active_users,
       a.seats_purchased AS seats,
       CASE WHEN a.has_usage THEN coalesce(dl.core_used, 0) END AS core_used,
       av.core_available,
       CASE WHEN a.has_usage AND (dl.account_id IS NULL OR dl.minutes IS NOT NULL) THEN coalesce(dl.minutes, 0) END
           AS minutes,
       -- for alerts: the 4 weeks before, days since any activity, limits
       CASE WHEN a.has_usage THEN coalesce(us.prev_user_days, 0) END AS prev_user_days,
       :as_of - a.last_day AS days_since_activity,
       CASE WHEN a.has_usage THEN coalesce(dl.api_calls, 0) END AS api_calls,
       a.seat_limit, a.api_call_limit
FROM acc a
LEFT JOIN users us ON us.account_id = a.id
LEFT JOIN daily dl ON dl.account_id = a.id
LEFT JOIN available av ON av.account_id = a.id
"""

COMPONENT = Component(
    name="usage",
    label="Usage",
    sql=SQL,
    params=_month_masks,
    metrics=(
        Metric(
            "login_frequency",
            "Logins per seat",
            "per_seat",
            "Active user-days per 30 days (last 4 weeks x 30/28) per purchased seat",
        ),
        Metric(
            "feature_adoption",
            "Core feature adoption",
            "fraction",
            "Share of the core features on the plan used in the last 4 weeks",
        ),
        Metric(
            "time_in_platform",
            "Time in product",
            "minutes",
            "Minutes per active user per week over the last 4 weeks",
        ),
        Metric("user_growth", "Active user growth", "fraction", "Active users in the last 4 weeks vs the 4 before"),
    ),
    context=(
        "user_days",
        "active_users",
        "prev_active_users",
        "seats",
        "core_used",
        "core_available",
        "minutes",
        "prev_user_days",
        "days_since_activity",
        "api_calls",
        "seat_limit",
        "api_call_limit",
    ),
)
