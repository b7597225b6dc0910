"""Support: open and urgent tickets, their age, volume against the account's own baseline,
and escalations. A ticket is open at the date when it was opened before the date ended and
not resolved by then (a closed ticket without a resolution time counts as resolved).
Counts are always data: no tickets is a real zero.
"""

from __future__ import annotations

from app.scoring.components.base import Component, Metric

SQL = """
WITH t AS (
    SELECT t.account_id, t.priority, t.opened_at,
           -- escalated by the date (when unknown, from its opening)
           t.escalated AND coalesce(t.escalated_at, t.opened_at) < :d_end AS escalated,
           (t.resolved_at >= :d_end OR (t.resolved_at IS NULL AND t.status IN ('open', 'pending'))) AS is_open
    FROM ticket t
    WHERE t.account_id = ANY(CAST(:ids AS uuid[])) AND t.opened_at < :d_end
      AND (t.opened_at >= :d_end - interval '104 days' OR t.resolved_at >= :d_end
           OR (t.resolved_at IS NULL AND t.status IN ('open', 'pending')))
),
agg AS (
    SELECT account_id,
           count(*) FILTER (WHERE is_open AND priority <= 2 AND opened_at <= :d_end - interval '24 hours') AS urgent,
           count(*) FILTER (WHERE is_open) AS open_count,
           min(opened_at) FILTER (WHERE is_open) AS oldest_open,
           count(*) FILTER (WHERE opened_at >= :d_end - interval '14 days') AS recent_14d,
           count(*) FILTER (WHERE opened_at >= :d_end - interval '104 days'
                              AND opened_at < :d_end - interval '14 days') AS prior_90d,
           count(*) FILTER (WHERE escalated AND opened_at >= :d_end - interval '90 days') AS escalations
    FROM t GROUP BY account_id
)
SELECT a.id AS account_id,
       -- open P1/P2 tickets older than 24 hours
       coalesce(g.urgent, 0)::float8 AS urgent_open,
       coalesce(g.open_count, 0)::float8 AS open_tickets,
       -- age in days of the oldest open ticket (0 when none is open)
       coalesce(:as_of - CAST(g.oldest_open AT TIME ZONE 'UTC' AS date), 0)::float8 AS oldest_open_days,
       -- tickets in the last 14 days / the account's 14-day average over the 90 days before
       CASE WHEN g.prior_90d > 0 THEN g.recent_14d / (g.prior_90d / (90.0 / 14)) END AS ticket_volume,
       coalesce(g.escalations, 0)::float8 AS escalations,
       coalesce(g.recent_14d, 0) AS tickets_14d,
       coalesce(g.prior_90d, 0) AS tickets_prior_90d
FROM account a LEFT JOIN agg g ON g.account_id = a.id
WHERE a.id = ANY(CAST(:ids AS uuid[]))
"""

COMPONENT = Component(
    name="support",
    label="Support",
    sql=SQL,
    metrics=(
        Metric("urgent_open", "P1/P2 open > 24 h", "count", "Open P1/P2 tickets older than 24 hours"),
        Metric("open_tickets", "Open tickets", "count", "Tickets open at the date"),
        Metric("oldest_open_days", "Oldest open ticket", "days", "Age in days of the oldest open ticket"),
        Metric(
            "ticket_volume",
            "Ticket volume vs baseline",
            "ratio",
            "Tickets in the last 14 days vs the account's 14-day average over the prior 90 days",
        ),
        Metric("escalations", "Escalations (90 d)", "count", "Escalated tickets opened in the last 90 days"),
    ),
    context=("tickets_14d", "tickets_prior_90d"),
)
