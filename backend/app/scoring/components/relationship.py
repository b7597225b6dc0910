"""Relationship: how recently and how well the CSM team is in touch, and who we know.

Touches are calls, emails, meetings and QBRs (internal notes are not a touch). Stakeholder
coverage reads the contacts known on the date: since their ``since`` date (when the source
gives one), else since Tempo first heard of them.
"""

from __future__ import annotations

from app.scoring.components.base import Component, Metric

SQL = """
WITH t AS (
    SELECT t.account_id, t.kind, t.sentiment, CAST(t.occurred_at AT TIME ZONE 'UTC' AS date) AS day, t.occurred_at
    FROM touchpoint t
    WHERE t.account_id = ANY(CAST(:ids AS uuid[])) AND t.occurred_at < :d_end AND t.kind <> 'note'
),
last_touch AS (
    SELECT account_id, max(day) AS last_day, max(day) FILTER (WHERE kind = 'qbr') AS last_qbr
    FROM t GROUP BY account_id
),
last_sentiment AS (
    SELECT DISTINCT ON (account_id) account_id, sentiment
    FROM t WHERE sentiment IS NOT NULL
    ORDER BY account_id, occurred_at DESC
),
people AS (
    SELECT c.account_id,
           bool_or(c.role = 'executive_sponsor') AS has_sponsor,
           bool_or(c.role = 'champion') AS has_champion
    FROM contact c WHERE c.account_id = ANY(CAST(:ids AS uuid[]))
      AND coalesce(c.since, CAST(c.created_at AT TIME ZONE 'UTC' AS date)) <= :as_of
    GROUP BY c.account_id
)
SELECT a.id AS account_id,
       (:as_of - lt.last_day)::float8 AS days_since_touch,
       -- sentiment of the latest touch that recorded one: -1 negative, 0 neutral, 1 positive
       CASE ls.sentiment WHEN 'negative' THEN -1.0 WHEN 'neutral' THEN 0.0 WHEN 'positive' THEN 1.0 END
           AS touch_sentiment,
       (:as_of - lt.last_qbr)::float8 AS days_since_qbr,
       -- executive sponsor and champion known: 2, one of them: 1, none: 0
       (CASE WHEN p.has_sponsor THEN 1 ELSE 0 END + CASE WHEN p.has_champion THEN 1 ELSE 0 END)::float8
           AS stakeholder_coverage
FROM account a
LEFT JOIN last_touch lt ON lt.account_id = a.id
LEFT JOIN last_sentiment ls ON ls.account_id = a.id
LEFT JOIN people p ON p.account_id = a.id
WHERE a.id = ANY(CAST(:ids AS uuid[]))
"""

COMPONENT = Component(
    name="relationship",
    label="Relationship",
    sql=SQL,
    metrics=(
        Metric("days_since_touch", "Days since last touch", "days", "Days since the last call, email, meeting or QBR"),
        Metric(
            "touch_sentiment",
            "Last touch sentiment",
            "level",
            "Sentiment of the latest touch (-1 negative, 0 neutral, 1 positive)",
        ),
        Metric("days_since_qbr", "Days since last QBR", "days", "Days since the last QBR (none scores 0)"),
        Metric(
            "stakeholder_coverage",
            "Stakeholder coverage",
            "count",
            "Executive sponsor and champion known (2), one of them (1), none (0)",
        ),
    ),
)
