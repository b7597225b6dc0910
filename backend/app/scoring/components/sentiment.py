"""Sentiment: what customers say in NPS and CSAT surveys."""

from __future__ import annotations

from app.scoring.components.base import Component, Metric

SQL = """
WITH s AS (
    SELECT r.account_id, r.kind, r.score, r.responded_at,
           coalesce(r.contact_id::text, lower(r.contact_email), r.id::text) AS respondent
    FROM survey_response r
    WHERE r.account_id = ANY(CAST(:ids AS uuid[]))
      AND r.responded_at < :d_end AND r.responded_at >= :d_end - interval '180 days'
),
latest AS (
    SELECT DISTINCT ON (account_id, respondent) account_id, score
    FROM s WHERE kind = 'nps'
    ORDER BY account_id, respondent, responded_at DESC
),
nps AS (SELECT account_id, avg(score)::float8 AS nps, count(*) AS respondents FROM latest GROUP BY account_id),
agg AS (
    SELECT account_id,
           avg(score) FILTER (WHERE kind = 'nps' AND responded_at >= :d_end - interval '90 days') AS nps_90d,
           avg(score) FILTER (WHERE kind = 'nps' AND responded_at < :d_end - interval '90 days') AS nps_prior_90d,
           avg(score) FILTER (WHERE kind = 'csat' AND responded_at >= :d_end - interval '90 days') AS csat,
           count(*) FILTER (WHERE kind = 'csat' AND responded_at >= :d_end - interval '90 days') AS csat_responses,
           -- for alerts: NPS detractors (0-6) answered in the last 30 days
           count(*) FILTER (WHERE kind = 'nps' AND score <= 6 AND responded_at >= :d_end - interval '30 days')
               AS detractors_30d,
           min(score) FILTER (WHERE kind = 'nps' AND responded_at >= :d_end - interval '30 days') AS lowest_nps_30d
    FROM s GROUP BY account_id
)
SELECT a.id AS account_id,
       -- latest NPS of each respondent within 180 days, averaged
       n.nps,
       -- mean NPS of the last 90 days minus the mean of the 90 days before
       (g.nps_90d - g.nps_prior_90d)::float8 AS nps_trend,
       -- mean CSAT (1-5) over the last 90 days
       g.csat::float8 AS csat,
       coalesce(n.respondents, 0) AS nps_respondents,
       coalesce(g.csat_responses, 0) AS csat_responses,
       coalesce(g.detractors_30d, 0) AS detractors_30d,
       g.lowest_nps_30d
FROM account a
LEFT JOIN nps n ON n.account_id = a.id
LEFT JOIN agg g ON g.account_id = a.id
WHERE a.id = ANY(CAST(:ids AS uuid[]))
"""

COMPONENT = Component(
    name="sentiment",
    label="Sentiment",
    sql=SQL,
    metrics=(
        Metric("nps", "NPS", "score", "Latest NPS answer of each respondent within 180 days, averaged (0-10)"),
        Metric("nps_trend", "NPS trend", "score", "Mean NPS of the last 90 days minus the 90 days before"),
        Metric("csat", "CSAT (90 d)", "score", "Mean CSAT (1-5) over the last 90 days"),
    ),
    context=("nps_respondents", "csat_responses", "detractors_30d", "lowest_nps_30d"),
)
