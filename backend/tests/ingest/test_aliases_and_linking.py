from __future__ import annotations

from sqlalchemy import select

from app.audit.models import AuditLog
from app.core.enums import Role
from app.support.models import Ticket
from tests.factories import bearer, make_account


async def test_link_an_unmatched_record_replays_every_record_with_that_key(client, session):
    account = await make_account(session, external_id="real-id")
    h = await bearer(session, Role.admin)
    await client.post(
        "/api/v1/ingest/tickets",
        headers=h,
        json={
            "items": [
                {"id": "Z1", "account": "ZD-77", "account_key_type": "zendesk", "opened_at": "2026-11-01T00:00:00Z"},
                {"id": "Z2", "account": "ZD-77", "account_key_type": "zendesk", "opened_at": "2026-11-02T00:00:00Z"},
                {"id": "Z3", "account": "ZD-78", "account_key_type": "zendesk", "opened_at": "2026-11-02T00:00:00Z"},
            ]
        },
    )
    pending = (await client.get("/api/v1/unmatched", headers=h)).json()["items"]
    record = next(r for r in pending if r["item_id"] == "Z1")

    r = await client.post(f"/api/v1/unmatched/{record['id']}/link", json={"account_id": str(account.id)}, headers=h)
    assert r.status_code == 200, r.text
    assert (r.json()["alias"]["source"], r.json()["alias"]["key"], r.json()["replayed"]) == ("zendesk", "ZD-77", 2)
    tickets = (await session.execute(select(Ticket.source_id).order_by(Ticket.source_id))).scalars().all()
    assert tickets == ["Z1", "Z2"]
    left = (await client.get("/api/v1/unmatched", headers=h)).json()
    assert [i["item_id"] for i in left["items"]] == ["Z3"]
    # New items with the linked key now resolve directly.
    later = await client.post(
        "/api/v1/ingest/tickets",
        headers=h,
        json={
            "items": [
                {"id": "Z4", "account": "ZD-77", "account_key_type": "zendesk", "opened_at": "2026-11-03T00:00:00Z"}
            ]
        },
    )
    assert later.json()["accepted"] == 1
    assert "alias.create" in (await session.execute(select(AuditLog.action))).scalars().all()


async def test_alias_crud_and_conflicts(client, session):
    a = await make_account(session, external_id="A")
    b = await make_account(session, external_id="B")
    h = await bearer(session, Role.admin)
    created = await client.post(
        f"/api/v1/accounts/{a.id}/aliases", json={"source": "Domain", "key": "Acme.COM"}, headers=h
    )
    assert created.status_code == 201
    assert (created.json()["alias"]["source"], created.json()["alias"]["key"]) == ("domain", "acme.com")
    taken = await client.post(
        f"/api/v1/accounts/{b.id}/aliases", json={"source": "domain", "key": "acme.com"}, headers=h
    )
    assert taken.status_code == 409 and taken.json()["detail"] == "domain:acme.com already belongs to another account"
    listed = (await client.get(f"/api/v1/accounts/{a.id}/aliases", headers=h)).json()
    assert [(x["source"], x["key"]) for x in listed] == [("domain", "acme.com")]
    gone = await client.delete(f"/api/v1/accounts/{b.id}/aliases/{listed[0]['id']}", headers=h)
    assert gone.status_code == 404  # not this account's alias
    assert (await client.delete(f"/api/v1/accounts/{a.id}/aliases/{listed[0]['id']}", headers=h)).status_code == 204
    assert (await client.get(f"/api/v1/accounts/{a.id}/aliases", headers=h)).json() == []
    viewer = await bearer(session, Role.viewer)
    denied = await client.post(f"/api/v1/accounts/{a.id}/aliases", json={"source": "x", "key": "y"}, headers=viewer)
    assert denied.status_code == 403


async def test_subscription_lines_replayed_from_the_inbox_queue_the_revenue_engine(client, session, held_jobs):
    from app.core.jobs import Job, JobOutbox

    account = await make_account(session, external_id="later")
    h = await bearer(session, Role.admin)
    line = {
        "id": "S1",
        "account": "cus_9",
        "account_key_type": "stripe",
        "unit_amount": "50",
        "start_date": "2026-10-01",
    }
    waiting = await client.post("/api/v1/ingest/subscriptions", headers=h, json={"items": [line]})
    assert waiting.json()["unmatched"] == 1
    queued = select(JobOutbox.args).where(JobOutbox.function == Job.rebuild_revenue.value)
    assert (await session.execute(queued)).scalars().all() == []  # nothing to rebuild yet

    r = await client.post(
        f"/api/v1/accounts/{account.id}/aliases", json={"source": "stripe", "key": "cus_9"}, headers=h
    )
    assert r.json()["replayed"] == 1
    # the replayed line's account is rebuilt after commit, like any subscription ingest
    assert (await session.execute(queued)).scalars().all() == [[[str(account.id)]]]
