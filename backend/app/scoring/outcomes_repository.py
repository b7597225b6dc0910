"""SQL of the backtest and calibration: outcomes with point-in-time snapshots, and the fits kept."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.scoring.models import ChurnCalibration

OUTCOMES_SQL = """
WITH renewals AS (
    SELECT r.account_id, r.renewal_date AS event_date, (r.outcome = 'churned') AS churned
    FROM renewal r WHERE r.outcome IS NOT NULL AND r.renewal_date <= CAST(:today AS date) AND r.term <> 'monthly'
),
line_ends AS (
    -- accounts without renewal records: every ended subscription line is an outcome, churned
    -- when nothing of the account is live on its end date or starts within 30 days after
    SELECT s.account_id, s.end_date AS event_date,
           NOT EXISTS (
               SELECT 1 FROM subscription_line n
               WHERE n.account_id = s.account_id AND n.id <> s.id
                 AND n.start_date <= s.end_date + 30 AND (n.end_date IS NULL OR n.end_date > s.end_date)
           ) AS churned
    FROM subscription_line s
    WHERE s.end_date IS NOT NULL AND s.end_date <= CAST(:today AS date)
      AND NOT EXISTS (SELECT 1 FROM renewal r WHERE r.account_id = s.account_id AND r.term <> 'monthly')
      -- a version closed by a change of terms is not an end: the line goes on
      AND NOT EXISTS (SELECT 1 FROM subscription_line v
                      WHERE v.source = s.source AND v.source_id = s.source_id AND v.start_date > s.start_date)
),
final_churn AS (
    -- accounts with renewal records whose subscriptions all ended without a churned renewal
    SELECT s.account_id, max(s.end_date) AS event_date, true AS churned
    FROM subscription_line s
    WHERE EXISTS (SELECT 1 FROM renewal r WHERE r.account_id = s.account_id AND r.term <> 'monthly')
    GROUP BY s.account_id
    HAVING bool_and(s.end_date IS NOT NULL) AND max(s.end_date) <= CAST(:today AS date)
),
events AS (
    SELECT * FROM renewals
    UNION ALL
    SELECT DISTINCT ON (account_id, event_date) * FROM line_ends
    UNION ALL
    SELECT c.* FROM final_churn c
    WHERE NOT EXISTS (
        SELECT 1 FROM renewals r WHERE r.account_id = c.account_id AND r.churned
          AND abs(r.event_date - c.event_date) <= 45)
)
SELECT e.account_id, e.event_date, e.churned, s.health_score, s.usage_score, s.support_score,
       s.sentiment_score, s.relationship_score, s.commercial_score, s.band, s.quadrant
FROM events e
JOIN LATERAL (
    SELECT * FROM health_snapshot hs
    WHERE hs.account_id = e.account_id
      AND hs.as_of <= e.event_date - CAST(:horizon AS int)
      AND hs.as_of >= e.event_date - CAST(:horizon AS int) - CAST(:tolerance AS int)
    ORDER BY hs.as_of DESC LIMIT 1
) s ON true
WHERE s.health_score IS NOT NULL
"""


# How much earlier than the horizon a snapshot may be (history beyond 120 days is weekly).
MATCH_TOLERANCE_DAYS = 14


async def outcome_rows(
    session: AsyncSession, today: date, horizon_days: int, tolerance_days: int = MATCH_TOLERANCE_DAYS
) -> list[Any]:
    """Each outcome up to ``today`` with the account's latest snapshot dated at least ``horizon_days``
    and at most ``horizon_days + tolerance_days`` before it."""
    result = await session.execute(
        text(OUTCOMES_SQL), {"today": today, "horizon": horizon_days, "tolerance": tolerance_days}
    )
    return list(result.mappings().all())


async def latest_calibration(session: AsyncSession) -> ChurnCalibration | None:
    found = await session.execute(select(ChurnCalibration).order_by(col(ChurnCalibration.fitted_at).desc()).limit(1))
    return found.scalar_one_or_none()
