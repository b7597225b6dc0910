"""The Segment spec beyond track and group: identify as contacts, group traits as accounts,
page/screen/alias/import, analytics.js's ways (write key in the body, one-letter paths),
generated message ids, durations, and items waiting under a group until its alias."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from app.accounts.models import Account, Contact
from app.connectors.segment.wire import message_id, pseudonym
from app.core.config import get_settings
from app.core.enums import Role
from app.identity.models import UnmatchedRecord
from app.usage.models import UsageDaily, UsageEvent
from tests.connectors.test_segment import AUTH, WRITE_KEY, group, send, track
from tests.factories import bearer, make_account


@pytest.fixture(autouse=True)
def write_key(monkeypatch):
    monkeypatch.setattr(get_settings(), "segment_write_key", WRITE_KEY)


async def stored_events(session) -> list[tuple[Any, ...]]:
    rows = await session.execute(
        select(UsageEvent.event_id, UsageEvent.event, UsageEvent.duration_seconds).order_by(UsageEvent.event_id)
    )
    return [tuple(r) for r in rows]


async def test_identify_makes_a_contact_of_the_users_account_without_keeping_the_raw_id(client, session):
    acme = await make_account(session, external_id="acme")
    await send(client, "group", group("jane-42", "acme"))
    body = await send(
        client,
        "identify",
        {
            "userId": "jane-42",
            "messageId": "i1",
            "traits": {"email": "jane@acme.example", "firstName": "Jane", "lastName": "Doe", "title": "CFO"},
        },
    )
    assert (body["accepted"], body["unmatched"]) == (1, 0)
    contact = (await session.execute(select(Contact))).scalar_one()
    assert (contact.account_id, contact.name, contact.email, contact.title) == (
        acme.id,
        "Jane Doe",
        "jane@acme.example",
        "CFO",
    )
    assert contact.source_id == pseudonym("jane-42") != "jane-42"
    # an anonymous visitor, or a user with neither email nor name, is no contact
    body = await send(client, "identify", {"anonymousId": "a-1", "messageId": "i2", "traits": {"email": "x@y.example"}})
    body2 = await send(client, "identify", {"userId": "jane-42", "messageId": "i3", "traits": {"plan": "pro"}})
    assert (body["accepted"], body2["accepted"]) == (0, 0)
    # a contact whose user has no group yet waits, and lands with the user's group call
    body = await send(client, "identify", {"userId": "bob", "messageId": "i4", "traits": {"name": "Bob"}})
    assert body["unmatched"] == 1
    assert (await send(client, "group", group("bob", "acme")))["replayed"] == 1
    names = (await session.execute(select(Contact.name).order_by(Contact.name))).scalars().all()
    assert names == ["Bob", "Jane Doe"]


async def test_group_traits_make_accounts_only_when_enabled(client, session, monkeypatch):
    traits = {
        "name": "Globex",
        "plan": "enterprise",
        "industry": "Energy",
        "website": "https://www.globex.example/about",
    }
    body = await send(client, "group", group("u-1", "globex", traits=traits))
    assert (body["accepted"], body["bound"]) == (0, 1)  # off by default: only the binding
    assert (await session.execute(select(Account))).scalars().all() == []
    waiting = await send(client, "track", track("t1", user="u-1"))
    assert waiting["unmatched"] == 1

    monkeypatch.setattr(get_settings(), "segment_group_accounts", True)
    body = await send(client, "group", group("u-1", "globex", ts="2026-11-03T08:00:00Z", traits=traits))
    assert (body["accepted"], body["replayed"]) == (1, 1)  # the account, and the event that waited for it
    account = (await session.execute(select(Account))).scalar_one()
    assert (account.external_id, account.name, account.plan, account.industry, account.domains) == (
        "globex", "Globex", "enterprise", "Energy", ["globex.example"]
    )  # fmt: skip
    # later traits update it; an existing account keeps its domains and Tempo-side id
    body = await send(client, "group", group("u-1", "globex", ts="2026-11-04T08:00:00Z", traits={"plan": "growth"}))
    assert body["updated"] == 1
    await session.refresh(account)
    assert (account.name, account.plan, account.domains) == ("Globex", "growth", ["globex.example"])


async def test_page_screen_alias_and_import(client, session):
    await make_account(session, external_id="acme")
    await send(client, "group", group("u-1", "acme"))
    await send(
        client, "page", {"userId": "u-1", "messageId": "p1", "name": "Pricing", "timestamp": "2026-11-02T09:00:00Z"}
    )
    await send(client, "screen", {"userId": "u-1", "messageId": "s1", "timestamp": "2026-11-02T09:00:00Z"})
    body = await send(
        client,
        "import",
        {
            "batch": [
                track("im1", user="anon-9", anonymousId="anon-9"),
                {"type": "alias", "previousId": "anon-9", "userId": "u-1", "messageId": "a1"},
            ]
        },
    )
    assert body["received"] == {"track": 1, "alias": 1}
    assert body["accepted"] == 1  # the alias gave anon-9 u-1's group before the track resolved
    assert [e[:2] for e in await stored_events(session)] == [
        ("im1", "Report Viewed"),
        ("p1", "Viewed Pricing Page"),
        ("s1", "Loaded a Screen"),
    ]


async def test_analytics_js_ways_one_letter_paths_and_the_key_in_the_body(client, session):
    await make_account(session, external_id="acme")
    message = track("js1", context={"groupId": "acme"}) | {"writeKey": WRITE_KEY}
    r = await client.post("/segment/v1/t", json=message, headers={"Content-Type": "text/plain"})
    assert (r.status_code, r.json()["accepted"]) == (200, 1)
    batch = {"batch": [track("js2"), track("js3")], "context": {"groupId": "acme"}, "writeKey": WRITE_KEY}
    r = await client.post("/segment/v1/b", json=batch)
    assert (r.status_code, r.json()["accepted"]) == (200, 2)  # the batch's context applies to each message


async def test_a_message_without_id_gets_one_from_its_content(client, session):
    await make_account(session, external_id="acme")
    message = {"type": "track", "userId": "u-1", "event": "Opened", "timestamp": "2026-11-02T09:00:00Z"}
    message["context"] = {"groupId": "acme"}
    first = await send(client, "track", message)
    again = await send(client, "track", message)
    other = await send(client, "track", message | {"event": "Closed"})
    assert (first["accepted"], again["duplicates"], other["accepted"]) == (1, 1, 1)
    assert [e[0] for e in await stored_events(session)] == sorted(
        [message_id(message), message_id(message | {"event": "Closed"})]
    )
    assert message_id(message).startswith("tempo-") and len(message_id(message)) == 38


async def test_durations_come_from_the_properties_and_time_stays_unknown_without_them(client, session):
    await make_account(session, external_id="acme")
    ctx = {"groupId": "acme"}
    body = await send(
        client,
        "batch",
        {
            "batch": [
                track("d1", context=ctx, properties={"feature": "reports", "duration_seconds": 90}),
                track("d2", context=ctx, properties={"feature": "reports", "duration": "30"}),
                track("d3", context=ctx, properties={"feature": "reports", "duration_ms": 15000}),
                track("d4", context=ctx, properties={"feature": "reports", "duration": "long"}),
                track("d5", context=ctx, properties={"feature": "reports", "duration": 90000}),
                track("d6", context=ctx, properties={"feature": "exports"}),
            ]
        },
    )
    assert body["accepted"] == 6
    assert [(w["index"], w["message"]) for w in body["warnings"]] == [
        (3, "properties.duration is not a number; no time recorded"),
        (4, "properties.duration is outside 0 to 24 hours; no time recorded"),
    ]
    assert [e[2] for e in await stored_events(session)] == [90.0, 30.0, 15.0, None, None, None]
    minutes = (await session.execute(select(UsageDaily.minutes).order_by(UsageDaily.events))).scalars().all()
    assert minutes == [None, 2.25]  # exports: unknown; reports: (90 + 30 + 15) s


async def test_events_waiting_for_a_group_replay_when_the_group_gets_its_segment_alias(client, session):
    body = await send(client, "track", track("w1", context={"groupId": "grp_123"}))
    assert body["unmatched"] == 1
    record = (await session.execute(select(UnmatchedRecord))).scalar_one()
    assert (record.account_key_type, record.account_key) == ("segment", "grp_123")
    account = await make_account(session, external_id="acme-crm-id")
    r = await client.post(
        f"/api/v1/accounts/{account.id}/aliases",
        json={"source": "segment", "key": "grp_123"},
        headers=await bearer(session, Role.admin),
    )
    assert (r.status_code, r.json()["replayed"]) == (201, 1)
    assert [e[0] for e in await stored_events(session)] == ["w1"]


async def test_unknown_types_and_bad_bodies(client, session):
    body = await send(client, "batch", {"batch": [{"type": "teleport", "userId": "u", "messageId": "x"}]})
    assert body["rejected"][0]["errors"][0]["msg"] == (
        "unknown type 'teleport'; expected one of track, identify, group, page, screen, alias"
    )
    r = await client.post("/segment/v1/track", content=b"{not json", headers=AUTH)
    assert r.status_code == 400 and r.json()["code"] == "invalid_request"
    assert r.json()["message"].startswith("The body is not valid JSON")
    r = await client.post("/segment/v1/alias", json={"userId": "u", "messageId": "a"}, headers=AUTH)
    assert r.json()["rejected"][0]["errors"][0] == {"loc": ["previousId"], "msg": "alias needs previousId and userId"}
    # rejections are kept for the Sources view
    r = await client.get("/api/v1/sources/segment/rejections", headers=await bearer(session, Role.viewer))
    assert [(x["item_id"], x["errors"][0]["loc"]) for x in r.json()["items"]] == [
        ("a", ["previousId"]),
        ("x", ["type"]),
    ]
