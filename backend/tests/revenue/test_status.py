"""Account status follows billing: churned once ARR reached zero and the 30-day bridge has
passed, active again when ARR returns; the account picture shows the history."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from app.accounts.models import Account
from app.core.enums import Role
from app.core.models import utcnow
from app.revenue import service as revenue
from app.revenue.models import SubscriptionLine
from tests.factories import bearer, make_account


def line(account, source_id, start, end=None, reason=None):
    return SubscriptionLine(
        source_id=source_id, account_id=account.id, product="core", quantity=Decimal(1), unit_amount=Decimal(100),
        interval="month", start_date=start, end_date=end, cancellation_reason=reason,
    )  # fmt: skip


async def test_status_is_derived_from_billing_with_its_history(client, session):
    today = utcnow().date()
    gone = await make_account(session, name="Gone")  # last line ended 95 days ago
    pausing = await make_account(session, name="Pausing")  # ARR 0 for 10 days: may still be bridged
    back = await make_account(session, name="Back")  # churned, reactivated 20 days ago
    no_lines = await make_account(session, name="CRM only", status="active")
    session.add_all(
        [
            line(gone, "g1", today - timedelta(days=400), today - timedelta(days=95), "payment_failed"),
            line(pausing, "p1", today - timedelta(days=300), today - timedelta(days=10)),
            line(back, "b1", today - timedelta(days=500), today - timedelta(days=200)),
            line(back, "b2", today - timedelta(days=20)),
        ]
    )
    await session.flush()
    await revenue.rebuild_accounts(session, [gone.id, pausing.id, back.id, no_lines.id])
    for a in (gone, pausing, back, no_lines):
        await session.refresh(a)
    assert [(a.name, a.status) for a in (gone, pausing, back, no_lines)] == [
        ("Gone", "churned"),
        ("Pausing", "active"),
        ("Back", "active"),
        ("CRM only", "active"),
    ]

    h = await bearer(session, Role.viewer)
    picture = (await client.get(f"/api/v1/accounts/{back.id}", headers=h)).json()
    assert [(s["on"], s["event"], s["status"], s["confirmed"]) for s in picture["status_history"]] == [
        ((today - timedelta(days=500)).isoformat(), "new", "active", True),
        ((today - timedelta(days=200)).isoformat(), "churn", "churned", True),
        ((today - timedelta(days=20)).isoformat(), "reactivation", "active", True),
    ]
    pause = (await client.get(f"/api/v1/accounts/{pausing.id}", headers=h)).json()
    assert [(s["event"], s["confirmed"]) for s in pause["status_history"]] == [("new", True), ("churn", False)]

    # the churned account leaves the book's active accounts
    active = (await client.get("/api/v1/accounts", params={"filter": "status=active"}, headers=h)).json()
    assert "Gone" not in [i["name"] for i in active["items"]]
    assert isinstance(gone, Account)
