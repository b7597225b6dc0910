"""The numbers a playbook template sees for one account (real ones, from its latest snapshot)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import NotFound

ACCOUNT = text(
    """
    SELECT a.id, a.name, a.plan, a.segment, coalesce(a.current_arr, a.declared_arr, 0)::float8 AS arr,
           a.owner_id, u.name AS owner_name, u.email AS owner_email,
           s.as_of, s.health_score, s.band, s.quadrant, s.usage_score, s.support_score, s.sentiment_score,
           s.relationship_score, s.commercial_score, s.inputs,
           r.renewal_date,
           c.name AS contact_name
    FROM account a
    LEFT JOIN "user" u ON u.id = a.owner_id
    LEFT JOIN account_health h ON h.account_id = a.id
    LEFT JOIN health_snapshot s ON s.account_id = a.id AND s.as_of = h.as_of
    LEFT JOIN LATERAL (
        SELECT renewal_date FROM renewal WHERE account_id = a.id AND outcome IS NULL AND renewal_date >= :today
        ORDER BY renewal_date LIMIT 1
    ) r ON true
    LEFT JOIN LATERAL (
        SELECT name FROM contact WHERE account_id = a.id
        ORDER BY (role = 'champion') DESC NULLS LAST, is_primary DESC, name LIMIT 1
    ) c ON true
    WHERE a.id = :id
    """
)


async def account_context(
    session: AsyncSession, account_id: uuid.UUID, today: date, alert: dict[str, Any] | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the template context, facts the run records: owner, health and quadrant at start)."""
    row = (await session.execute(ACCOUNT, {"id": account_id, "today": today})).mappings().first()
    if row is None:
        raise NotFound(f"No account {account_id}")
    inputs = row["inputs"] or {}
    usage, support, sentiment = inputs.get("usage", {}), inputs.get("support", {}), inputs.get("sentiment", {})
    minutes, users = usage.get("minutes"), usage.get("active_users")
    contact = row["contact_name"] or "there"
    renewal: date | None = row["renewal_date"]
    return {
        "account": {
            "name": row["name"],
            "arr": row["arr"],
            "plan": row["plan"],
            "segment": row["segment"],
            "renewal_date": renewal.isoformat() if renewal else None,
            "days_to_renewal": (renewal - today).days if renewal else None,
        },
        "health": {
            "score": row["health_score"],
            "band": row["band"],
            "quadrant": (row["quadrant"] or "").replace("_", " ") or None,
            "usage": row["usage_score"],
            "support": row["support_score"],
            "sentiment": row["sentiment_score"],
            "relationship": row["relationship_score"],
            "commercial": row["commercial_score"],
        },
        "usage": {
            "active_users": users,
            "seats": usage.get("seats"),
            "user_days": usage.get("user_days"),
            "feature_adoption": usage.get("feature_adoption"),
            "core_used": usage.get("core_used"),
            "core_available": usage.get("core_available"),
            "minutes_per_user_week": (minutes / users / 4) if minutes is not None and users else None,
            "user_growth": usage.get("user_growth"),
        },
        "support": {
            "open_tickets": support.get("open_tickets"),
            "urgent_open": support.get("urgent_open"),
            "oldest_open_days": support.get("oldest_open_days"),
        },
        "sentiment": {"nps": sentiment.get("nps"), "csat": sentiment.get("csat")},
        "alert": alert,
        "contact": {"name": contact, "first_name": contact.split()[0]},
        "csm": {"name": row["owner_name"] or "Your customer success team", "email": row["owner_email"]},
    }, {"owner_id": row["owner_id"], "health": row["health_score"], "quadrant": row["quadrant"]}
