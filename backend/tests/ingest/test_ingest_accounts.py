from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from app.accounts.models import Account
from app.core.enums import Role
from app.identity.models import AccountAlias
from tests.factories import bearer, make_user

URL = "/api/v1/ingest/accounts"


async def test_accounts_insert_duplicate_update_and_reject(client, session):
    owner = await make_user(session, role=Role.csm, email="csm@example.com")
    headers = await bearer(session, Role.admin)
    items = [
        {
            "external_id": "a-1",
            "name": "Acme",
            "owner_email": "CSM@example.com",
            "segment": "Enterprise",
            "domains": ["Acme.com"],
            "renewal_date": "2027-02-01",
            "arr": 120000,
        },
        {"external_id": "a-2", "name": "Bravo", "aliases": [{"source": "Stripe", "key": "cus_B"}]},
        {"external_id": "a-3"},
        {"name": "no id"},
    ]
    r = await client.post(URL, json={"items": items}, headers=headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["accepted"], body["updated"], body["duplicates"], body["unmatched"]) == (2, 0, 0, 0)
    assert [(x["index"], x["id"], [e["loc"] for e in x["errors"]]) for x in body["rejected"]] == [
        (2, "a-3", [["name"]]),
        (3, None, [["external_id"]]),
    ]

    acme = (await session.execute(select(Account).where(Account.external_id == "a-1"))).scalar_one()
    assert (acme.owner_id, acme.domains, acme.current_arr, acme.declared_arr) == (
        owner.id,
        ["acme.com"],
        Decimal("120000.00"),
        Decimal("120000.00"),
    )
    aliases = (await session.execute(select(AccountAlias.source, AccountAlias.key).order_by(AccountAlias.key))).all()
    assert [tuple(a) for a in aliases] == [("domain", "acme.com"), ("stripe", "cus_B")]

    again = await client.post(URL, json={"items": items[:2]}, headers=headers)
    assert (again.json()["accepted"], again.json()["updated"], again.json()["duplicates"]) == (0, 0, 2)

    changed = await client.post(URL, json={"items": [{"external_id": "a-2", "name": "Bravo GmbH"}]}, headers=headers)
    assert (changed.json()["accepted"], changed.json()["updated"]) == (0, 1)
    # Fields the sender did not send keep their stored values.
    partial = await client.post(URL, json={"items": [{"external_id": "a-1", "name": "Acme"}]}, headers=headers)
    assert partial.json()["duplicates"] == 1
    await session.refresh(acme)
    assert acme.segment == "Enterprise"


async def test_unknown_owner_and_taken_alias_are_warnings_not_losses(client, session):
    headers = await bearer(session, Role.admin)
    await client.post(
        URL,
        json={"items": [{"external_id": "x-1", "name": "X", "aliases": [{"source": "stripe", "key": "cus_X"}]}]},
        headers=headers,
    )
    r = await client.post(
        URL,
        json={
            "items": [
                {
                    "external_id": "y-1",
                    "name": "Y",
                    "owner_email": "ghost@example.com",
                    "aliases": [{"source": "stripe", "key": "cus_X"}],
                }
            ]
        },
        headers=headers,
    )
    body = r.json()
    assert body["accepted"] == 1
    assert [w["message"] for w in body["warnings"]] == [
        "owner_email ghost@example.com is not a Tempo user; owner left unset",
        "alias stripe:cus_X already belongs to another account; not moved",
    ]


async def test_duplicate_ids_within_one_batch_last_wins(client, session):
    headers = await bearer(session, Role.admin)
    r = await client.post(
        URL,
        json={"items": [{"external_id": "d-1", "name": "First"}, {"external_id": "d-1", "name": "Second"}]},
        headers=headers,
    )
    assert (r.json()["accepted"], r.json()["duplicates"]) == (1, 1)
    name = (await session.execute(select(Account.name).where(Account.external_id == "d-1"))).scalar_one()
    assert name == "Second"


async def test_ingest_requires_admin(client, session):
    headers = await bearer(session, Role.csm)
    r = await client.post(URL, json={"items": []}, headers=headers)
    assert r.status_code == 403
