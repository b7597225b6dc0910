"""Segment-compatible API: write-key auth, group bindings, track resolution, batches, privacy."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from sqlalchemy import cast, func, select
from sqlalchemy.types import Text

from app.accounts.models import Account
from app.connectors.models import SegmentUserBinding
from app.connectors.segment.wire import pseudonym
from app.core.config import get_settings
from app.core.enums import Role
from app.flows.after_signals import fold_ingest_log as fold_log
from app.identity.models import AccountAlias, UnmatchedRecord
from app.ingest.models import DataSource
from app.ingest.writers import user_hash
from app.usage.models import Feature, UsageEvent
from tests.factories import bearer, make_account

WRITE_KEY = "seg_write_key_0123456789"


@pytest.fixture(autouse=True)
def write_key(monkeypatch):
    monkeypatch.setattr(get_settings(), "segment_write_key", WRITE_KEY)


def basic(username: str, password: str = "") -> dict[str, str]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


AUTH = basic(WRITE_KEY)


async def send(client, kind: str, body: dict[str, Any]) -> dict[str, Any]:
    r = await client.post(f"/segment/v1/{kind}", json=body, headers=AUTH)
    assert r.status_code == 200, r.text
    assert r.json()["success"] is True
    return r.json()


def track(message_id: str, user: str | None = "u-1", event: str = "Report Viewed", **kw: Any) -> dict[str, Any]:
    body = {"type": "track", "messageId": message_id, "event": event, "timestamp": "2026-11-02T09:00:00Z", **kw}
    if user is not None:
        body["userId"] = user
    return body


def group(user: str, group_id: str, ts: str = "2026-11-01T08:00:00Z", **kw: Any) -> dict[str, Any]:
    return {
        "type": "group",
        "messageId": f"g-{user}-{group_id}",
        "userId": user,
        "groupId": group_id,
        "timestamp": ts,
        **kw,
    }


async def events(session) -> list[tuple[Any, ...]]:
    rows = await session.execute(
        select(UsageEvent.event_id, UsageEvent.account_id, UsageEvent.event, Feature.key)
        .join(Feature, Feature.id == UsageEvent.feature_id)
        .order_by(UsageEvent.event_id)
    )
    return [tuple(r) for r in rows]


async def test_write_key_is_required(client, monkeypatch):
    for path in ("track", "identify", "group", "page", "screen", "alias", "batch", "import"):
        r = await client.post(f"/segment/v1/{path}", json={})
        assert r.status_code == 401, path
        assert r.headers["www-authenticate"] == 'Basic realm="segment"'
        # Segment's error body, which its libraries (and RudderStack's) parse
        assert r.headers["content-type"] == "application/json"
        assert r.json() == {
            "success": False,
            "code": "unauthorized",
            "message": "Send the write key as the HTTP Basic username or as writeKey in the body",
        }
    for headers in (basic("wrong-key"), {"Authorization": f"Bearer {WRITE_KEY}"}, {"Authorization": "Basic %%%"}):
        r = await client.post("/segment/v1/track", json=track("m1"), headers=headers)
        assert r.status_code == 401, headers
        assert r.json()["code"] == "unauthorized"
    # analytics.js style: the key in the body, no Authorization header
    r = await client.post("/segment/v1/track", json=track("m-body", writeKey=WRITE_KEY))
    assert (r.status_code, r.json()["unmatched"]) == (200, 1)
    r = await client.post("/segment/v1/track", json=track("m-body2", writeKey="nope"))
    assert (r.status_code, r.json()["message"]) == (401, "The write key is not valid")
    # The key may come with a password (ignored), as some senders do.
    assert (
        await client.post("/segment/v1/identify", json={"userId": "u"}, headers=basic(WRITE_KEY, "x"))
    ).status_code == 200

    monkeypatch.setattr(get_settings(), "segment_write_key", None)
    r = await client.post("/segment/v1/track", json=track("m1"), headers=AUTH)
    assert (r.status_code, r.json()["code"]) == (503, "unavailable")  # worth retrying: clients do
    assert (await client.post("/segment/v1/track", json=track("m1"))).status_code == 401  # no key at all


async def test_group_then_track_resolves_through_the_binding(client, session):
    account = await make_account(session, external_id="acme")
    body = await send(client, "group", group("u-1", "acme", traits={"name": "Acme"}))
    assert (body["received"], body["bound"]) == ({"group": 1}, 1)
    body = await send(client, "track", track("m1", properties={"feature": "reports", "plan": "pro"}))
    assert (body["accepted"], body["unmatched"]) == (1, 0)
    assert await events(session) == [("m1", account.id, "Report Viewed", "reports")]
    await fold_log(session)  # what the rescore job does with the ingest log
    source = (await session.execute(select(DataSource).where(DataSource.key == "segment"))).scalar_one()
    assert source.items_received == 1

    # An older group call arriving late does not move the user.
    await make_account(session, external_id="globex")
    assert (await send(client, "group", group("u-1", "globex", ts="2026-10-01T00:00:00Z")))["bound"] == 0
    await send(client, "track", track("m2"))
    assert {e[1] for e in await events(session)} == {account.id}


async def test_context_group_prefers_the_segment_alias_over_the_external_id(client, session):
    by_external = await make_account(session, external_id="grp-7")
    by_alias = await make_account(session, external_id="crm-42")
    session.add(AccountAlias(account_id=by_alias.id, source="segment", key="grp-7"))
    await session.flush()
    await send(client, "track", track("m1", context={"groupId": "grp-7"}))
    solo = await make_account(session, external_id="solo")
    await send(client, "track", track("m2", user=None, anonymousId="anon-1", context={"groupId": "solo"}))
    assert [(e[0], e[1]) for e in await events(session)] == [("m1", by_alias.id), ("m2", solo.id)]
    assert by_external.id != by_alias.id


async def test_batch_binds_before_it_tracks(client, session):
    acme = await make_account(session, external_id="acme")
    initech = await make_account(session, external_id="initech")
    batch = [
        track("b1", user="u-9"),  # before its group call in the batch
        {"type": "page", "messageId": "p1", "userId": "u-9", "name": "Home"},
        group("u-9", "acme"),
        {"type": "identify", "messageId": "i1", "userId": "u-10", "traits": {"company": {"id": "initech"}}},
        {"type": "identify", "messageId": "i2", "userId": "u-11", "traits": {"email": "x@example.com"}},
        track("b2", user="u-10", event="Export Created"),
        track("b3", user="u-11", context={"groupId": "acme"}),
        track("b4", user="u-12", event=""),
        {"messageId": "no-type"},
        "not an object",
    ]
    body = await send(client, "batch", {"batch": batch})
    assert body["received"] == {"track": 4, "page": 1, "group": 1, "identify": 2}
    # the page is an event too; u-11's identify makes a contact that waits for u-11's group
    assert (body["accepted"], body["bound"], body["unmatched"]) == (4, 2, 1)
    assert [(r["index"], r["id"], r["errors"][0]["loc"]) for r in body["rejected"]] == [
        (7, "b4", ["event"]),
        (8, "no-type", ["type"]),
        (9, None, []),
    ]
    assert [(e[0], e[1], e[2]) for e in await events(session)] == [
        ("b1", acme.id, "Report Viewed"),
        ("b2", initech.id, "Export Created"),
        ("b3", acme.id, "Report Viewed"),
        ("p1", acme.id, "Viewed Home Page"),
    ]

    r = await client.post("/segment/v1/batch", json={"messages": []}, headers=AUTH)
    assert r.status_code == 400


async def test_repeated_message_id_is_a_duplicate(client, session):
    await make_account(session, external_id="acme")
    message = track("dup-1", context={"groupId": "acme"})
    assert (await send(client, "track", message))["accepted"] == 1
    body = await send(client, "track", message)
    assert (body["accepted"], body["duplicates"]) == (0, 1)
    body = await send(client, "batch", {"batch": [message, message]})
    assert (body["accepted"], body["duplicates"]) == (0, 2)
    assert len(await events(session)) == 1


async def test_ungrouped_events_wait_under_the_user_pseudonym_and_replay_on_group(client, session):
    raw = "jane.doe@example.com"
    body = await send(client, "track", track("w1", user=raw, properties={"feature": "reports"}))
    assert (body["accepted"], body["unmatched"]) == (0, 1)
    record = (await session.execute(select(UnmatchedRecord))).scalar_one()
    assert (record.kind, record.item_id, record.account_key_type, record.account_key) == (
        "events", "w1", "segment_user", pseudonym(raw)
    )  # fmt: skip

    # The group is not an account yet: the event now waits for that account instead.
    body = await send(client, "group", group(raw, "late-co"))
    assert (body["bound"], body["replayed"]) == (1, 0)
    await session.refresh(record)
    assert (record.account_key_type, record.account_key, record.resolved_at) == ("segment", "late-co", None)

    # ...and is replayed when the account is created.
    r = await client.post(
        "/api/v1/ingest/accounts",
        json={"items": [{"external_id": "late-co", "name": "Late Co"}]},
        headers=await bearer(session, Role.admin),
    )
    assert r.status_code == 200 and r.json()["replayed"] == 1, r.text
    account_id = (await session.execute(select(Account.id).where(Account.external_id == "late-co"))).scalar_one()
    assert [(e[0], e[1], e[3]) for e in await events(session)] == [("w1", account_id, "reports")]


async def test_group_replays_waiting_events_for_a_known_account(client, session):
    account = await make_account(session, external_id="acme")
    await send(client, "batch", {"batch": [track("w1", user="u-5"), track("w2", user="u-5", event="Login")]})
    assert await events(session) == []
    body = await send(client, "group", group("u-5", "acme"))
    assert (body["bound"], body["replayed"]) == (1, 2)
    assert [(e[0], e[1]) for e in await events(session)] == [("w1", account.id), ("w2", account.id)]
    pending = await session.execute(select(func.count()).where(UnmatchedRecord.resolved_at.is_(None)))
    assert pending.scalar_one() == 0


async def test_raw_user_ids_are_never_stored(client, session):
    await make_account(session, external_id="acme")
    raw_user, raw_anon = "raw-user-7f3a@example.com", "anon-raw-55c1"
    await send(
        client,
        "batch",
        {
            "batch": [
                {**group(raw_user, "acme"), "anonymousId": raw_anon},
                track("r1", user=raw_user),
                track("r2", user=None, anonymousId=raw_anon),
                track("r3", user="someone-else-raw"),  # no group: waits as unmatched
            ]
        },
    )
    bindings = (await session.execute(select(SegmentUserBinding.user_hash, SegmentUserBinding.group_id))).all()
    assert sorted(bindings) == sorted([(user_hash(raw_user), "acme"), (user_hash(raw_anon), "acme")])
    stored = (
        await session.execute(
            select(func.string_agg(cast(UsageEvent.user_hash, Text), ","), func.count()).select_from(UsageEvent)
        )
    ).one()
    assert stored[1] == 2 and stored[0] is not None
    texts = [
        *(
            await session.execute(select(UsageEvent.event_id, cast(UsageEvent.properties, Text), UsageEvent.event))
        ).all(),
        *(await session.execute(select(UnmatchedRecord.account_key, cast(UnmatchedRecord.payload, Text)))).all(),
        *(await session.execute(select(SegmentUserBinding.group_id))).all(),
    ]
    dump = repr(texts)
    for raw in (raw_user, raw_anon, "someone-else-raw"):
        assert raw not in dump
    assert pseudonym("someone-else-raw") in dump
