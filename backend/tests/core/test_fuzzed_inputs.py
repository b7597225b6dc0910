"""Inputs schemathesis found that the API answered with a 500 or a wrong status; each now gets
a clear 4xx (and a bad item still never sinks its neighbours)."""

from __future__ import annotations

import uuid

from sqlalchemy import select, text

from app.core.enums import Role
from app.ingest.models import IngestRejection
from app.playbooks import service as playbooks
from tests.factories import bearer, make_account


async def test_a_nul_character_in_an_item_rejects_that_item_only(client, session):
    headers = await bearer(session, Role.admin)
    # JSON allows both escapes; written by hand since Python's encoder refuses a lone surrogate
    body = (
        '{"items": [{"external_id": "ok-1", "name": "Fine"},'
        ' {"external_id": "nul\\u0000id", "name": "Bad"},'
        ' {"external_id": "ok-2", "name": "Also fine", "region": "lone \\udc00 surrogate"},'
        ' {"external_id": "ok-3", "name": "Fine too", "aliases": [{"source": "crm", "key": "x\\u0000"}]}]}'
    )
    r = await client.post(
        "/api/v1/ingest/accounts", content=body.encode(), headers=headers | {"Content-Type": "application/json"}
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["accepted"] == 1
    unstorable = "text with a NUL character (\\u0000) or an unpaired surrogate cannot be stored"
    assert [(x["index"], x["errors"][0]["msg"]) for x in body["rejected"]] == [
        (1, f"external_id: {unstorable}"),
        (2, f"region: {unstorable}"),
        (3, f"aliases.0.key: {unstorable}"),
    ]
    # the refusals are kept, with the offending characters written as escapes
    kept = (await session.execute(select(IngestRejection.item_id).order_by(IngestRejection.id))).scalars().all()
    assert kept == ["nul\\u0000id", "ok-2", "ok-3"]


async def test_a_nul_in_the_url_or_a_stored_text_is_a_client_error(client, session):
    headers = await bearer(session, Role.admin)
    r = await client.get("/api/v1/accounts/export?segment=%00x", headers=headers)
    assert (r.status_code, r.json()["detail"]) == (400, "The URL holds a NUL character (%00)")
    account = await make_account(session)
    r = await client.post(f"/api/v1/accounts/{account.id}/notes", json={"body": "a\u0000b"}, headers=headers)
    assert r.status_code == 422
    assert r.json()["detail"] == (
        "The request holds text with a NUL character (\\u0000) or an unpaired surrogate, which cannot be stored"
    )


async def test_numbers_past_what_the_database_holds_are_refused(client, session):
    headers = await bearer(session, Role.admin)
    r = await client.get("/api/v1/sources/stripe/rejections?page=6244631055738754564096", headers=headers)
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["query", "page"]
    r = await client.get("/api/v1/scoring/config/versions/1869307598091031150592", headers=headers)
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["path", "version"]
    r = await client.get("/api/v1/unmatched?page=100001", headers=headers)
    assert r.status_code == 422


async def test_a_playbook_patch_with_null_for_a_required_field_is_a_422(client, session):
    await playbooks.ensure_library(session)
    headers = await bearer(session, Role.admin)
    listed = (await client.get("/api/v1/playbooks", headers=headers)).json()
    playbook_id = (listed["items"] if isinstance(listed, dict) else listed)[0]["id"]
    r = await client.patch(f"/api/v1/playbooks/{playbook_id}", json={"trigger_type": None}, headers=headers)
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"][:2] == ["body", "trigger_type"]
    r = await client.patch(f"/api/v1/playbooks/{uuid.uuid4()}", json={"name": "x"}, headers=headers)
    assert r.status_code == 404


async def test_counts_past_a_database_integer_and_non_numbers_reject_their_item(client, session):
    headers = await bearer(session, Role.admin)
    items = [
        {"external_id": "big", "name": "Big", "seats_purchased": 85803305594608639928154491715584},
        {"external_id": "fine", "name": "Fine", "seats_purchased": 2_147_483_647},
    ]
    r = await client.post("/api/v1/ingest/accounts", json={"items": items}, headers=headers)
    assert (r.json()["accepted"], [x["index"] for x in r.json()["rejected"]]) == (1, [0])
    await make_account(session, external_id="acme")
    body = b'{"items": [{"account": "acme", "date": "2026-11-01", "minutes": NaN}]}'
    r = await client.post(
        "/api/v1/ingest/usage-daily", content=body, headers=headers | {"Content-Type": "application/json"}
    )
    assert r.json()["rejected"][0]["errors"][0]["loc"] == ["minutes"]


async def test_feedback_naming_an_unknown_account_or_ticket_is_a_422(client, session):
    headers = await bearer(session, Role.admin)
    payload = {"title": "Export is slow", "account_id": str(uuid.uuid4()), "ticket_id": str(uuid.uuid4())}
    r = await client.post("/api/v1/analytics/feedback", json=payload, headers=headers)
    assert r.status_code == 422
    assert [e["loc"] for e in r.json()["errors"]] == [["body", "account_id"], ["body", "ticket_id"]]


async def test_a_rate_is_listed_without_a_conversion_when_the_reporting_currency_has_none(client, session):
    await session.execute(text("DELETE FROM fx_rate WHERE currency = 'USD'"))
    headers = await bearer(session, Role.admin)
    rates = [{"currency": "AAA", "day": "2000-01-01", "per_eur": 1.0}]
    r = await client.post("/api/v1/fx-rates", json={"items": rates}, headers=headers)
    assert r.status_code == 200, r.text
    [aaa] = [x for x in r.json()["items"] if x["currency"] == "AAA"]
    assert (aaa["day"], aaa["to_reporting"]) == ("2000-01-01", None)  # no USD rates at all


async def test_an_integer_of_thousands_of_digits_is_a_bad_body_not_a_server_error(client, session, monkeypatch):
    """Python refuses to read integers past 4,300 digits with a plain ValueError, which the
    JSON readers of ingest and Segment did not expect (500)."""
    import base64

    from app.core.config import get_settings

    headers = await bearer(session, Role.admin) | {"Content-Type": "application/json"}
    huge = "9" * 5000
    r = await client.post(
        "/api/v1/ingest/accounts", content=f'{{"items": [{{"external_id": "a", "seats": {huge}}}]}}', headers=headers
    )
    assert r.status_code == 400
    assert r.json()["detail"].startswith("The body is not valid JSON: Exceeds the limit (4300 digits)")
    monkeypatch.setattr(get_settings(), "segment_write_key", "wk_test")
    basic = {"Authorization": "Basic " + base64.b64encode(b"wk_test:").decode(), "Content-Type": "application/json"}
    r = await client.post("/segment/v1/track", content=f'{{"userId": "u", "event": "x", "n": {huge}}}', headers=basic)
    assert r.status_code == 400 and "Exceeds the limit (4300 digits)" in r.text
