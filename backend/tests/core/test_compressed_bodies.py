"""Compressed request bodies on every ingest surface: gzip and deflate decoded with the limit
applied to what they inflate to; anything else is a clear error."""

from __future__ import annotations

import gzip
import json
import time
import zlib

import pytest

from app.core.config import get_settings
from app.core.enums import Role
from app.identity.models import AccountAlias
from app.ingest.schemas import MAX_BYTES
from tests.factories import bearer, make_account
from tests.stripe_events import SECRET, URL, event, item, price, signature, subscription

BODY = json.dumps({"items": [{"external_id": "gz-1", "name": "Gzip Co"}, {"external_id": "gz-2", "name": "Zlib"}]})


def raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-15)
    return compressor.compress(data) + compressor.flush()


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("gzip", gzip.compress),
        ("x-gzip", gzip.compress),
        ("deflate", zlib.compress),  # RFC 9110: zlib-wrapped
        ("deflate", raw_deflate),  # what some clients send instead
        ("identity", lambda b: b),
        ("GZIP", gzip.compress),
    ],
)
async def test_json_ingest_accepts_compressed_bodies(client, session, encoding, encode):
    headers = await bearer(session, Role.admin) | {"Content-Encoding": encoding, "Content-Type": "application/json"}
    r = await client.post("/api/v1/ingest/accounts", content=encode(BODY.encode()), headers=headers)
    assert r.status_code == 200, r.text
    assert r.json()["accepted"] == 2


async def test_bad_and_oversized_compressed_bodies_are_refused_with_reasons(client, session):
    headers = await bearer(session, Role.admin) | {"Content-Type": "application/json"}
    url = "/api/v1/ingest/accounts"

    r = await client.post(url, content=BODY.encode(), headers=headers | {"Content-Encoding": "gzip"})
    assert (r.status_code, r.json()["detail"]) == (400, "The body is not valid gzip data (Content-Encoding: gzip)")
    r = await client.post(
        url, content=gzip.compress(BODY.encode())[:-12], headers=headers | {"Content-Encoding": "gzip"}
    )
    assert (r.status_code, r.json()["detail"]) == (400, "The gzip body is truncated")
    r = await client.post(url, content=BODY.encode(), headers=headers | {"Content-Encoding": "br"})
    assert r.status_code == 415
    assert r.json()["detail"] == "Content-Encoding 'br' is not supported; send gzip, deflate or an uncompressed body"
    # a small body that inflates past the limit is stopped at the limit, not inflated into memory
    bomb = gzip.compress(b" " * (MAX_BYTES + 1))
    assert len(bomb) < 20_000
    r = await client.post(url, content=bomb, headers=headers | {"Content-Encoding": "gzip"})
    assert r.status_code == 413
    assert r.json()["detail"] == f"The body decompresses to more than the limit of {MAX_BYTES:,} bytes per call"
    assert r.headers["content-type"].startswith("application/problem+json")


async def test_segment_and_stripe_take_compressed_bodies_too(client, session, monkeypatch):
    monkeypatch.setattr(get_settings(), "segment_write_key", "wk")
    monkeypatch.setattr(get_settings(), "stripe_webhook_secret", SECRET)
    await make_account(session, external_id="acme")
    message = {"type": "track", "userId": "u", "event": "Opened", "messageId": "m1", "writeKey": "wk"}
    message["context"] = {"groupId": "acme"}
    r = await client.post(
        "/segment/v1/track",
        content=gzip.compress(json.dumps(message).encode()),
        headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
    )
    assert (r.status_code, r.json()["accepted"]) == (200, 1)
    # Segment's clients read Segment's error body, also for a body that is not gzip
    r = await client.post("/segment/v1/batch", content=b"{}", headers={"Content-Encoding": "gzip"})
    assert (r.status_code, r.json()) == (
        400,
        {
            "success": False,
            "code": "invalid_request",
            "message": "The body is not valid gzip data (Content-Encoding: gzip)",
        },
    )
    # Stripe signs the uncompressed payload
    account = await make_account(session, external_id="stripe-co")
    session.add(AccountAlias(account_id=account.id, source="stripe", key="cus_Z"))
    await session.flush()
    payload = json.dumps(
        event("customer.subscription.created", subscription("cus_Z", [item("si_z", 1, price(100))]))
    ).encode()
    headers = {"Stripe-Signature": signature(payload, int(time.time())), "Content-Encoding": "gzip"}
    r = await client.post(URL, content=gzip.compress(payload), headers=headers)
    assert (r.status_code, r.json()["accepted"]) == (200, 1)
