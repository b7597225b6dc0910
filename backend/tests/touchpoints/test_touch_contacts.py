"""The contacts who took part in a touch: named when it is logged in Tempo (each a contact of the
account, or a 422 naming ``contact_ids.N``), carried by a CRM's touch through ingest (ids of no
contact of the account dropped with a warning), and read back with the account's touches."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.auth import service as auth_service
from app.core.enums import Role
from app.touchpoints.models import Touchpoint
from tests.factories import bearer, make_account, make_contact, make_user

GHOST = uuid.UUID("00000000-0000-4000-8000-00000000c0de")


async def signed_in_csm(session, email="casey@example.com"):
    casey = await make_user(session, role=Role.csm, email=email)
    token, _, _ = await auth_service.login(session, casey.email, "correct-horse")
    return casey, {"Authorization": f"Bearer {token}"}


async def stored_contacts(session, source_id):
    return (await session.execute(select(Touchpoint.contact_ids).where(Touchpoint.source_id == source_id))).scalar_one()


async def test_a_logged_meeting_names_who_took_part_and_is_read_back_newest_first(client, session):
    casey, headers = await signed_in_csm(session)
    account = await make_account(session, owner_id=casey.id)
    dana = await make_contact(session, account, name="Dana Diaz", is_primary=True)
    eli = await make_contact(session, account, name="Eli Ek")
    url = f"/api/v1/accounts/{account.id}/touchpoints"
    monday = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)
    first = await client.post(url, json={"kind": "call", "occurred_at": monday.isoformat()}, headers=headers)
    assert first.status_code == 201, first.text
    assert first.json()["contact_ids"] == []
    r = await client.post(
        url,
        json={
            "kind": "meeting",
            "occurred_at": (monday + timedelta(days=2)).isoformat(),
            "summary": "Roadmap walk-through",
            # Eli, Dana, and Eli again: each once, in the order given
            "contact_ids": [str(eli.id), str(dana.id), str(eli.id)],
        },
        headers=headers,
    )
    assert r.status_code == 201, r.text
    assert r.json()["contact_ids"] == [str(eli.id), str(dana.id)]
    assert await stored_contacts(session, r.json()["source_id"]) == [eli.id, dana.id]

    listed = await client.get(url, headers=headers)
    assert listed.status_code == 200, listed.text
    assert [(t["kind"], t["occurred_at"], t["summary"], t["contact_ids"]) for t in listed.json()] == [
        ("meeting", "2026-12-02T09:30:00Z", "Roadmap walk-through", [str(eli.id), str(dana.id)]),
        ("call", "2026-11-30T09:30:00Z", None, []),
    ]
    only_latest = await client.get(url, params={"limit": 1}, headers=headers)
    assert [t["kind"] for t in only_latest.json()] == ["meeting"]
    missing = await client.get(f"/api/v1/accounts/{GHOST}/touchpoints", headers=headers)
    assert missing.status_code == 404


async def test_a_contact_of_another_account_or_of_none_is_refused_by_position(client, session):
    casey, headers = await signed_in_csm(session)
    account = await make_account(session, owner_id=casey.id)
    other = await make_account(session)
    dana = await make_contact(session, account, name="Dana Diaz")
    stranger = await make_contact(session, other, name="Stan Ger")
    r = await client.post(
        f"/api/v1/accounts/{account.id}/touchpoints",
        json={"kind": "qbr", "contact_ids": [str(dana.id), str(stranger.id), str(GHOST)]},
        headers=headers,
    )
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["detail"] == "contact_ids.1: not a contact of this account"
    assert [(e["loc"], e["msg"]) for e in body["errors"]] == [
        (["body", "contact_ids", 1], "not a contact of this account"),
        (["body", "contact_ids", 2], "not a contact of this account"),
    ]
    assert (await session.execute(select(Touchpoint).where(Touchpoint.account_id == account.id))).first() is None
    malformed = await client.post(
        f"/api/v1/accounts/{account.id}/touchpoints", json={"kind": "qbr", "contact_ids": ["dana"]}, headers=headers
    )
    assert malformed.status_code == 422
    assert malformed.json()["errors"][0]["loc"] == ["body", "contact_ids", 0]


async def test_a_crm_touch_carries_contact_ids_and_strangers_are_dropped_with_a_warning(client, session):
    account = await make_account(session, external_id="crm-acct")
    other = await make_account(session)
    dana = await make_contact(session, account, name="Dana Diaz")
    eli = await make_contact(session, account, name="Eli Ek")
    stranger = await make_contact(session, other, name="Stan Ger")
    h = await bearer(session, Role.admin)
    touch = {"account": "crm-acct", "kind": "email", "occurred_at": "2026-12-01T08:00:00Z"}
    items = [
        {**touch, "id": "CRM-1", "contact_ids": [str(dana.id), str(stranger.id), str(GHOST)]},
        {**touch, "id": "CRM-2"},
        {**touch, "id": "CRM-3", "contact_ids": f"{eli.id}; {dana.id}"},  # as a file's cell holds them
        {**touch, "id": "CRM-4", "contact_ids": ["not-an-id"]},
    ]
    r = await client.post("/api/v1/ingest/touchpoints", json={"items": items}, headers=h)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["accepted"], [x["index"] for x in body["rejected"]]) == (3, [3])
    assert body["rejected"][0]["errors"][0]["loc"] == ["contact_ids", 0]
    assert [(w["index"], w["message"]) for w in body["warnings"]] == [
        (0, f"contact_ids {stranger.id}, {GHOST} are not contacts of this account; dropped")
    ]
    assert await stored_contacts(session, "CRM-1") == [dana.id]
    assert await stored_contacts(session, "CRM-2") == []
    assert await stored_contacts(session, "CRM-3") == [eli.id, dana.id]

    # sent again without contact_ids, a touch keeps its contacts; an empty list clears them
    again = [{**touch, "id": "CRM-1", "summary": "Sent the deck"}, {**touch, "id": "CRM-3", "contact_ids": []}]
    r = await client.post("/api/v1/ingest/touchpoints", json={"items": again}, headers=h)
    assert r.json()["updated"] == 2, r.text
    assert await stored_contacts(session, "CRM-1") == [dana.id]
    assert await stored_contacts(session, "CRM-3") == []
