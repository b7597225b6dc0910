"""Alerts raised by scoring today: one per rule and account, auto-resolved when the
condition clears, snoozes that expire, acknowledgement kept; the API's transitions."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text, update

from app.alerts.models import Alert
from app.core.enums import Role
from app.flows import scoring_pass
from app.scoring import service
from app.support.models import Ticket
from tests.factories import bearer, make_account


async def alerts_of(session, account_id):
    rows = await session.execute(
        select(Alert.rule, Alert.status, Alert.resolved_reason)
        .where(Alert.account_id == account_id)
        .order_by(Alert.rule)
    )
    return [tuple(r) for r in rows]


async def test_signal_raises_dedupes_and_auto_resolves(session):
    a = await make_account(session)
    now = datetime.now(UTC)
    ticket = Ticket(source_id=f"{a.id}-p1", account_id=a.id, priority=1, opened_at=now - timedelta(days=2))
    session.add(ticket)
    await session.flush()
    today = service.today()
    # the incremental rescore a signal triggers scores today, which evaluates alerts
    await scoring_pass.rescore(session, {a.id: today})
    await scoring_pass.rescore(session, {a.id: today})  # twice: still one alert
    assert await alerts_of(session, a.id) == [("critical_ticket", "open", None)]
    alert = (await session.execute(select(Alert).where(Alert.account_id == a.id))).scalar_one()
    assert alert.title == "1 P1/P2 ticket open for more than 24 hours"
    assert alert.facts == {"urgent_open": 1, "oldest_open_days": 2.0}

    ticket.resolved_at = now - timedelta(minutes=5)
    ticket.status = "solved"
    await session.flush()
    await scoring_pass.rescore(session, {a.id: today})
    assert await alerts_of(session, a.id) == [("critical_ticket", "resolved", "condition cleared")]

    # the condition returns: a new alert opens beside the resolved one
    session.add(Ticket(source_id=f"{a.id}-p2", account_id=a.id, priority=2, opened_at=now - timedelta(days=3)))
    await session.flush()
    await scoring_pass.rescore(session, {a.id: today})
    assert await alerts_of(session, a.id) == [
        ("critical_ticket", "open", None),
        ("critical_ticket", "resolved", "condition cleared"),
    ]


async def test_acknowledged_stays_and_an_expired_snooze_reopens(session):
    a, b = await make_account(session), await make_account(session)
    now = datetime.now(UTC)
    for acct in (a, b):
        session.add(
            Ticket(source_id=f"{acct.id}-p1", account_id=acct.id, priority=1, opened_at=now - timedelta(days=2))
        )
    await session.flush()
    today = service.today()
    await scoring_pass.rescore(session, {a.id: today, b.id: today})
    await session.execute(update(Alert).where(Alert.account_id == a.id).values(status="acknowledged"))
    await session.execute(
        update(Alert).where(Alert.account_id == b.id).values(status="snoozed", snoozed_until=now - timedelta(seconds=1))
    )
    await scoring_pass.rescore(session, {a.id: today, b.id: today})
    assert await alerts_of(session, a.id) == [("critical_ticket", "acknowledged", None)]
    assert await alerts_of(session, b.id) == [("critical_ticket", "open", None)]


async def test_alerts_api_transitions(client, session):
    a = await make_account(session, name="Acme")
    session.add(
        Ticket(source_id=f"{a.id}-p1", account_id=a.id, priority=1, opened_at=datetime.now(UTC) - timedelta(days=2))
    )
    await session.flush()
    await scoring_pass.rescore(session, {a.id: service.today()})
    csm = await bearer(session, Role.csm)
    # the CSM works the account they act on (DESIGN §16: CSMs change only their accounts)
    a.owner_id = uuid.UUID((await client.get("/api/v1/auth/me", headers=csm)).json()["id"])
    await session.flush()
    viewer = await bearer(session, Role.viewer)
    page = (await client.get("/api/v1/alerts", params={"account_id": str(a.id)}, headers=viewer)).json()
    assert page["total"] == 1
    item = page["items"][0]
    assert (item["rule"], item["severity"], item["status"], item["account_name"]) == (
        "critical_ticket",
        "high",
        "open",
        "Acme",
    )
    url = f"/api/v1/alerts/{item['id']}"
    assert (await client.post(f"{url}/ack", headers=viewer)).status_code == 403
    acked = await client.post(f"{url}/ack", headers=csm)
    assert acked.status_code == 200 and acked.json()["status"] == "acknowledged"
    past = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    bad = await client.post(f"{url}/snooze", json={"until": past}, headers=csm)
    assert bad.status_code == 400 and "future" in bad.json()["detail"]
    until = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    snoozed = await client.post(f"{url}/snooze", json={"until": until}, headers=csm)
    assert snoozed.json()["status"] == "snoozed"
    done = await client.post(f"{url}/resolve", json={"reason": "called them"}, headers=csm)
    assert (done.json()["status"], done.json()["resolved_reason"]) == ("resolved", "called them")
    assert (await client.post(f"{url}/ack", headers=csm)).status_code == 409
    active = (await client.get("/api/v1/alerts", params={"account_id": str(a.id)}, headers=viewer)).json()
    assert active["total"] == 0
    everything = (
        await client.get("/api/v1/alerts", params={"account_id": str(a.id), "status": "all"}, headers=viewer)
    ).json()
    assert everything["total"] == 1
    assert (await client.get("/api/v1/alerts/00000000-0000-0000-0000-000000000000/ack", headers=csm)).status_code == 405
    audit = await session.scalar(text("SELECT count(*) FROM audit_log WHERE entity = 'alert'"))
    assert audit == 3
