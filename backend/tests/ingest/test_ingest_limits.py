from __future__ import annotations

import json

from app.core.enums import Role
from tests.factories import bearer


async def test_limits_and_malformed_bodies(client, session):
    headers = await bearer(session, Role.admin)
    too_many = await client.post("/api/v1/ingest/events", json={"items": [{}] * 5001}, headers=headers)
    assert too_many.status_code == 413
    assert too_many.json()["detail"] == "5,001 items sent; the limit is 5,000 per call"

    big = json.dumps({"items": [{"pad": "x" * 1024}] * 10_300})
    too_big = await client.post(
        "/api/v1/ingest/events", content=big, headers={**headers, "Content-Type": "application/json"}
    )
    assert too_big.status_code == 413
    assert too_big.headers["content-type"] == "application/problem+json"

    not_json = await client.post("/api/v1/ingest/events", content=b"{items:", headers=headers)
    assert not_json.status_code == 400 and not_json.json()["detail"].startswith("The body is not valid JSON")
    wrong_shape = await client.post("/api/v1/ingest/events", json=[1, 2], headers=headers)
    assert wrong_shape.status_code == 400
    assert wrong_shape.json()["detail"] == 'The body must be a JSON object {"items": [...]}'
    unknown_kind = await client.post("/api/v1/ingest/widgets", json={"items": []}, headers=headers)
    # each kind is its own operation; another path names no kind, and the answer lists them
    assert unknown_kind.status_code == 404
    assert unknown_kind.json()["detail"] == (
        "No ingest kind 'widgets'; the kinds are accounts, contacts, events, usage-daily, tickets, surveys, "
        "touchpoints, subscriptions, invoices"
    )


async def test_non_object_items_are_rejected_individually(client, session):
    headers = await bearer(session, Role.admin)
    r = await client.post(
        "/api/v1/ingest/accounts", json={"items": [7, {"external_id": "ok", "name": "Ok"}]}, headers=headers
    )
    assert r.json()["accepted"] == 1
    assert r.json()["rejected"] == [
        {"index": 0, "id": None, "errors": [{"loc": [], "msg": "each item must be a JSON object"}]}
    ]


async def test_explicit_nulls_are_accepted_as_missing(client, session):
    from tests.factories import make_account

    await make_account(session, external_id="null-acct")
    headers = await bearer(session, Role.admin)
    r = await client.post(
        "/api/v1/ingest/subscriptions",
        headers=headers,
        json={
            "items": [
                {
                    "id": "N1",
                    "account": "null-acct",
                    "plan": None,
                    "mrr": 10,
                    "start_date": "2026-01-01",
                    "end_date": None,
                    "cancellation_reason": None,
                }
            ]
        },
    )
    assert (r.status_code, r.json()["accepted"], r.json()["rejected"]) == (200, 1, [])
    events = await client.post(
        "/api/v1/ingest/events",
        headers=headers,
        json={
            "items": [
                {
                    "id": "E1",
                    "account": "null-acct",
                    "event": "x",
                    "timestamp": "2026-01-01T00:00:00Z",
                    "user_id": None,
                    "feature": None,
                    "properties": None,
                }
            ]
        },
    )
    assert (events.json()["accepted"], events.json()["rejected"]) == (1, [])
