"""Commercial: paying on time, and ARR growing or shrinking over a year.

ARR at a date is the sum of subscription lines live on it (start <= date < end), yearly
amounts as they are and monthly ones times 12, in the reporting currency. Both ends of the
12-month change are converted at the scored date's rates, so exchange rates moving do not
read as an account growing or shrinking.
"""

from __future__ import annotations

from app.core.config import get_settings
from app.scoring.components.base import Component, Metric

SQL = """
WITH inv AS (
    SELECT i.account_id,
           max(:as_of - CAST(i.due_at AT TIME ZONE 'UTC' AS date))
               FILTER (WHERE i.due_at < :d_end AND (i.paid_at IS NULL OR i.paid_at >= :d_end)
                       AND NOT (i.status = 'paid' AND i.paid_at IS NULL)) AS overdue_days,
           count(*) FILTER (WHERE (i.paid_at IS NULL OR i.paid_at >= :d_end)
                              AND NOT (i.status = 'paid' AND i.paid_at IS NULL)) AS unpaid
    FROM invoice i
    WHERE i.account_id = ANY(CAST(:ids AS uuid[])) AND i.issued_at < :d_end AND i.status NOT IN ('draft', 'void')
    GROUP BY i.account_id
),
arr AS (
    SELECT s.account_id,
           sum(s.quantity * s.unit_amount * CASE s.interval WHEN 'month' THEN 12 ELSE 1 END
               * fx_to_reporting(s.currency, :as_of, :reporting))
               FILTER (WHERE s.start_date <= :as_of AND (s.end_date IS NULL OR s.end_date > :as_of)) AS arr_now,
           sum(s.quantity * s.unit_amount * CASE s.interval WHEN 'month' THEN 12 ELSE 1 END
               * fx_to_reporting(s.currency, :as_of, :reporting))
               FILTER (WHERE s.start_date <= :as_of - 365 AND (s.end_date IS NULL OR s.end_date > :as_of - 365))
               AS arr_year_ago
    FROM subscription_line s
    WHERE s.account_id = ANY(CAST(:ids AS uuid[])) AND s.start_date <= :as_of
    GROUP BY s.account_id
)
SELECT a.id AS account_id,
       -- days overdue of the oldest unpaid invoice (0 when nothing is overdue; no data without invoices)
       CASE WHEN i.account_id IS NOT NULL THEN greatest(coalesce(i.overdue_days, 0), 0)::float8 END
           AS invoice_overdue_days,
       -- ARR now vs 12 months ago, as a fraction (no data without ARR a year ago)
       CASE WHEN r.arr_year_ago > 0 THEN ((r.arr_now - r.arr_year_ago) / r.arr_year_ago)::float8 END
           AS arr_change_12m,
       -- accounts without subscription lines keep the ARR they declared at ingest
       coalesce(r.arr_now, CASE WHEN r.account_id IS NULL THEN a.declared_arr END, 0)::float8 AS arr,
       r.arr_year_ago::float8 AS arr_year_ago,
       coalesce(i.unpaid, 0) AS unpaid_invoices,
       -- a customer on the date: a live subscription line, or (without any lines) active and
       -- signed up by then, or (no signup date either) with a first signal on or before it
       CASE WHEN EXISTS (SELECT 1 FROM subscription_line s0 WHERE s0.account_id = a.id)
            THEN coalesce(r.arr_now, 0) > 0
            WHEN a.signup_date IS NOT NULL THEN a.status = 'active' AND a.signup_date <= :as_of
            ELSE a.status = 'active' AND (
                EXISTS (SELECT 1 FROM usage_daily u WHERE u.account_id = a.id AND u.day <= :as_of)
                OR EXISTS (SELECT 1 FROM ticket t WHERE t.account_id = a.id AND t.opened_at < :d_end)
                OR EXISTS (SELECT 1 FROM survey_response v WHERE v.account_id = a.id AND v.responded_at < :d_end)
                OR EXISTS (SELECT 1 FROM touchpoint p WHERE p.account_id = a.id AND p.occurred_at < :d_end))
       END AS is_customer
FROM account a
LEFT JOIN inv i ON i.account_id = a.id
LEFT JOIN arr r ON r.account_id = a.id
WHERE a.id = ANY(CAST(:ids AS uuid[]))
"""

COMPONENT = Component(
    name="commercial",
    label="Commercial",
    sql=SQL,
    params=lambda _d: {"reporting": get_settings().reporting_currency},
    metrics=(
        Metric(
            "invoice_overdue_days",
            "Days overdue",
            "days",
            "Days overdue of the oldest unpaid invoice",
        ),
        Metric("arr_change_12m", "ARR change (12 mo)", "fraction", "ARR now vs 12 months ago"),
    ),
    context=("arr", "arr_year_ago", "unpaid_invoices"),
)
