"""SQL of survey responses beyond ingest's writes: the book-level NPS and CSAT of a list's
scope (the leadership overview)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.repository import IN_SCOPE_SQL

# Two windows ending at ``:now``: ``current`` (the last 90 days) and ``previous`` (the 90 days
# before). NPS counts each respondent's latest answer in a window: a respondent is the contact
# (by id, else by email; a response naming neither is its own respondent) on one account, as
# the sentiment score reads them. CSAT counts every response. Accounts of any status, within
# the scope (``IN_SCOPE_SQL``: ``app.accounts.access.ListScope.params``).
_BOOK_SENTIMENT = text(
    f"""
    WITH w AS (
        SELECT r.account_id, r.kind, r.score, r.responded_at,
               coalesce(r.contact_id::text, lower(r.contact_email), r.id::text) AS respondent,
               CASE WHEN r.responded_at > CAST(:now AS timestamptz) - interval '90 days'
                    THEN 'current' ELSE 'previous' END AS period
        FROM survey_response r
        JOIN account a ON a.id = r.account_id
        WHERE r.responded_at <= CAST(:now AS timestamptz)
          AND r.responded_at > CAST(:now AS timestamptz) - interval '180 days'
          AND {IN_SCOPE_SQL}
    ),
    latest AS (
        SELECT DISTINCT ON (period, account_id, respondent) period, score
        FROM w WHERE kind = 'nps'
        ORDER BY period, account_id, respondent, responded_at DESC
    ),
    nps AS (
        SELECT period, count(*) AS respondents,
               count(*) FILTER (WHERE score >= 9) AS promoters,
               count(*) FILTER (WHERE score <= 6) AS detractors
        FROM latest GROUP BY period
    ),
    csat AS (
        SELECT period, avg(score)::float8 AS mean, count(*) AS responses
        FROM w WHERE kind = 'csat' GROUP BY period
    )
    SELECT p.period,
           coalesce(n.respondents, 0) AS nps_respondents,
           coalesce(n.promoters, 0) AS promoters,
           coalesce(n.detractors, 0) AS detractors,
           c.mean AS csat_mean,
           coalesce(c.responses, 0) AS csat_responses
    FROM (VALUES ('current'), ('previous')) AS p(period)
    LEFT JOIN nps n ON n.period = p.period
    LEFT JOIN csat c ON c.period = p.period
    """  # noqa: S608 - IN_SCOPE_SQL is a constant; values are bound
)


async def book_sentiment(session: AsyncSession, now: datetime, scope: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per window (``current``: the 90 days up to ``now``; ``previous``: the 90 before): NPS
    respondents, promoters (9-10) and detractors (0-6) among each respondent's latest answer,
    and the CSAT mean and response count, over the accounts of ``scope``
    (``app.accounts.access.ListScope.params``)."""
    rows = await session.execute(_BOOK_SENTIMENT, {"now": now, **scope})
    return {r["period"]: dict(r) for r in rows.mappings()}
