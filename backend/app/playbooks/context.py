"""The numbers a playbook template sees for one account (real ones, from its latest snapshot),
and the people its steps go to."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import get_settings
from app.core.errors import NotFound
from app.playbooks import repository
from app.support import repository as support_tickets


async def account_context(
    session: AsyncSession,
    account_id: uuid.UUID,
    today: date,
    alert: dict[str, Any] | None = None,
    open_tickets: list[dict[str, Any]] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the template context, facts the run records: health, band and quadrant at start, and
    who does each step: ``assignees`` by step role). ``open_tickets``: the account's, as
    ``app.support.repository.open_tickets`` gives them, when the caller read them already."""
    row = await repository.account_context_row(session, account_id, today, get_settings().support_lead_email)
    if row is None:
        raise NotFound(f"No account {account_id}")
    tickets = [
        {
            "id": t["source_id"],
            "subject": t["subject"],
            "priority": f"P{t['priority']}",
            "age_days": t["age_days"],
            "escalated": t["escalated"],
        }
        for t in (
            open_tickets
            if open_tickets is not None
            else (await support_tickets.open_tickets(session, [account_id], today)).get(account_id, [])
        )
    ]
    lead = {"name": row["lead_name"] or row["lead_email"] or "your team lead", "email": row["lead_email"]}
    support_lead = (
        {"name": row["support_lead_name"] or row["support_lead_email"], "email": row["support_lead_email"]}
        if row["support_lead_id"]
        else {**lead}
    )
    inputs = row["inputs"] or {}
    usage, support, sentiment = inputs.get("usage", {}), inputs.get("support", {}), inputs.get("sentiment", {})
    minutes, users = usage.get("minutes"), usage.get("active_users")
    contact = row["contact_name"]
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
            # the open tickets, most urgent and oldest first (``worst`` is the first, or None)
            "tickets": tickets,
            "worst": tickets[0] if tickets else None,
        },
        "sentiment": {"nps": sentiment.get("nps"), "csat": sentiment.get("csat")},
        "alert": alert,
        # no contact on record: tasks say "the main contact", emails open with "Hi there"
        "contact": {
            "name": contact or "the main contact",
            "first_name": contact.split()[0] if contact else "there",
            "email": row["contact_email"],
        },
        "csm": {"name": row["owner_name"] or "Your customer success team", "email": row["owner_email"]},
        "lead": lead,
        "support_lead": support_lead,
    }, {
        "owner_id": row["owner_id"],
        "health": row["health_score"],
        "band": row["band"],
        "quadrant": row["quadrant"],
        "contact_name": row["contact_name"],
        "contact_email": row["contact_email"],
        # who does a step, by its assignee_role (a lead-less owner's lead steps go to a leader)
        "assignees": {
            "owner": row["owner_id"],
            "csm": row["owner_id"],
            "leader": row["lead_id"],
            "support_lead": row["support_lead_id"] or row["lead_id"],
            "admin": row["admin_id"],
        },
        "names": {
            "owner": row["owner_name"] or row["owner_email"],
            "csm": row["owner_name"] or row["owner_email"],
            "leader": row["lead_name"] or row["lead_email"],
            "support_lead": support_lead["name"],
            "admin": row["admin_name"],
        },
    }
