"""Point in time: a score for a past date reads the plan and seats, the stakeholders and the
escalations of that date, and there is no score before an account's first line or signal."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from app.core.enums import Role
from app.flows import scoring_pass
from app.revenue.models import SubscriptionLine
from app.scoring import service as scoring
from app.scoring.repository import fetch_inputs
from tests.factories import bearer, make_account


async def ingest(client, headers, kind, *items):
    r = await client.post(f"/api/v1/ingest/{kind}", json={"items": list(items)}, headers=headers)
    assert r.status_code == 200 and not r.json()["rejected"], r.text
    return r.json()


async def test_seats_plan_contacts_and_escalations_as_of_the_scored_date(client, session):
    h = await bearer(session, Role.admin)
    today = scoring.today()
    before, after = today - timedelta(days=60), today - timedelta(days=10)
    await ingest(client, h, "accounts", {"external_id": "pit", "name": "PIT", "plan": "Starter", "seats_purchased": 10})
    # 10 -> 50 seats on Growth, 20 days ago
    await ingest(
        client, h, "accounts",
        {"external_id": "pit", "name": "PIT", "plan": "Growth", "seats_purchased": 50,
         "changed_at": (today - timedelta(days=20)).isoformat() + "T00:00:00Z"},
    )  # fmt: skip
    await ingest(
        client, h, "contacts",
        {"id": "c1", "account": "pit", "name": "Sam Sponsor", "role": "executive_sponsor", "since": "2024-01-01"},
        {"id": "c2", "account": "pit", "name": "Cat Champion", "role": "champion", "since": (today - 30 * timedelta(days=1)).isoformat()},
    )  # fmt: skip
    opened = (today - timedelta(days=80)).isoformat() + "T09:00:00Z"
    await ingest(client, h, "tickets", {"id": "T1", "account": "pit", "opened_at": opened, "priority": "P3"})
    await ingest(
        client, h, "tickets", {"id": "T1", "account": "pit", "opened_at": opened, "priority": "P3", "escalated": True}
    )

    from sqlalchemy import select

    from app.accounts.models import Account

    account = (await session.execute(select(Account).where(Account.external_id == "pit"))).scalar_one()
    past = (await fetch_inputs(session, [account.id], before))[account.id]
    now = (await fetch_inputs(session, [account.id], after))[account.id]
    assert (past["usage"]["seats"], now["usage"]["seats"]) == (10, 50)
    # the champion joined 30 days ago: 60 days ago only the sponsor was known
    assert (past["relationship"]["stakeholder_coverage"], now["relationship"]["stakeholder_coverage"]) == (1.0, 2.0)
    # escalated today: not an escalation 60 or 10 days ago, one as of today
    assert (past["support"]["escalations"], now["support"]["escalations"]) == (0.0, 0.0)
    assert (await fetch_inputs(session, [account.id], today))[account.id]["support"]["escalations"] == 1.0


async def test_no_score_before_the_first_line_or_signal(client, session):
    h = await bearer(session, Role.viewer)
    billed = await make_account(session, name="Billed", renewal_date=None)
    session.add(
        SubscriptionLine(
            source_id="b1", account_id=billed.id, product="core", quantity=Decimal(1), unit_amount=Decimal(100),
            interval="month", start_date=date(2026, 3, 1),
        )
    )  # fmt: skip
    signed = await make_account(session, name="Signed", signup_date=date(2026, 5, 1))
    await session.flush()
    early = await client.get(f"/api/v1/accounts/{billed.id}/health", params={"as_of": "2025-06-01"}, headers=h)
    assert early.status_code == 404 and early.json()["title"] == "No score on that date"
    assert "not a customer then" in early.json()["detail"]
    assert (
        await client.get(f"/api/v1/accounts/{billed.id}/health", params={"as_of": "2026-04-01"}, headers=h)
    ).status_code == 200
    assert (
        await client.get(f"/api/v1/accounts/{signed.id}/health", params={"as_of": "2026-04-01"}, headers=h)
    ).status_code == 404
    assert (
        await client.get(f"/api/v1/accounts/{signed.id}/health", params={"as_of": "2026-05-10"}, headers=h)
    ).status_code == 200
    # a scoring pass over a date before either existed writes nothing
    config = await scoring.load_active(session)
    assert await scoring_pass.score(session, [billed.id, signed.id], [date(2025, 6, 1)], config) == 0
