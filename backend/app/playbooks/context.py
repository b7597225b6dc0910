"""The numbers a playbook template sees for one account (real ones, from its latest snapshot)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import NotFound
from app.playbooks import repository


async def account_context(
    session: AsyncSession, account_id: uuid.UUID, today: date, alert: dict[str, Any] | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the template context, facts the run records: owner, health and quadrant at start)."""
    row = await repository.account_context_row(session, account_id, today)
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
