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
    assert unknown_kind.status_code == 422
    assert unknown_kind.json()["errors"][0]["loc"] == ["path", "kind"]


async def test_non_object_items_are_rejected_individually(client, session):
    headers = await bearer(session, Role.admin)
    r = await client.post(
        "/api/v1/ingest/accounts", json={"items": [7, {"external_id": "ok", "name": "Ok"}]}, headers=headers
    )
    assert r.json()["accepted"] == 1
    assert r.json()["rejected"] == [
        {"index": 0, "id": None, "errors": [{"loc": [], "msg": "each item must be a JSON object"}]}
    ]
