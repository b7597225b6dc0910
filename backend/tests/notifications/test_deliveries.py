"""Deliveries against a real local HTTP receiver and a real local SMTP server: signed
webhooks, Slack-compatible payloads, email, retries with backoff and dead letters."""

from __future__ import annotations

import email
import email.policy
import hashlib
import hmac
import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.core.config import get_settings
from app.core.enums import Role
from app.core.models import utcnow
from app.flows import scoring_pass
from app.notifications import service
from app.notifications.models import Delivery
from app.scoring import service as scoring
from app.support.models import Ticket
from tests.factories import bearer, make_account
from tests.notifications.receivers import Receiver, smtp_server

# The receivers listen on 127.0.0.1, which Tempo refuses unless allow-listed (conftest.py).
pytestmark = pytest.mark.usefixtures("allow_loopback")


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def smtp(monkeypatch):
    with smtp_server(monkeypatch) as inbox:
        yield inbox


@pytest.fixture
async def admin(session):
    return await bearer(session, Role.admin)


async def test_signed_webhook(client, session, admin, receiver):
    r = await client.post(
        "/api/v1/notifications/channels",
        json={"name": "warehouse", "kind": "webhook", "target": receiver.url, "events": ["alert.opened"]},
        headers=admin,
    )
    assert r.status_code == 201, r.text
    secret = r.json()["secret"]
    assert secret.startswith("whsec_")
    assert (await service.emit(session, "digest.weekly", {"text": "not subscribed"})) == []
    [delivery] = await service.emit(session, "alert.opened", {"text": "hello", "n": 1})
    assert await service.deliver(delivery.id) == "delivered"
    [got] = receiver.requests
    body = got["body"]
    assert json.loads(body) == {"id": str(delivery.id), "type": "alert.opened", "data": {"text": "hello", "n": 1}}
    ts = got["headers"]["X-Tempo-Timestamp"]
    expected = "sha256=" + hmac.new(secret.encode(), ts.encode() + b"." + body, hashlib.sha256).hexdigest()
    assert got["headers"]["X-Tempo-Signature"] == expected
    assert got["headers"]["X-Tempo-Event"] == "alert.opened"
    listed = (await client.get("/api/v1/notifications/channels", headers=admin)).json()
    assert listed[0]["secret"] is None  # shown once only


async def test_retries_with_backoff_then_dead_letter_then_manual_retry(client, session, admin, receiver, monkeypatch):
    monkeypatch.setattr(get_settings(), "delivery_max_attempts", 3)
    await client.post(
        "/api/v1/notifications/channels", json={"name": "flaky", "kind": "slack", "target": receiver.url}, headers=admin
    )
    receiver.codes = [500, 503, 500]
    [delivery] = await service.emit(session, "alert.opened", {"text": "*critical* ticket at Acme"})
    before = utcnow()
    assert await service.deliver(delivery.id) == "failed"
    await session.refresh(delivery)
    assert delivery.attempts == 1 and delivery.last_status_code == 500
    assert timedelta(seconds=29) < delivery.next_attempt_at - before < timedelta(seconds=32)  # 30 s
    assert await service.deliver(delivery.id) == "failed"
    await session.refresh(delivery)
    assert timedelta(seconds=59) < delivery.next_attempt_at - before < timedelta(seconds=65)  # then 60 s
    assert await service.deliver(delivery.id) == "dead"
    assert await service.deliver(delivery.id) is None  # dead letters are not sent again by themselves
    assert [json.loads(x["body"]) for x in receiver.requests] == [{"text": "*critical* ticket at Acme"}] * 3

    dead = (await client.get("/api/v1/notifications/deliveries", params={"status": "dead"}, headers=admin)).json()
    assert [(d["id"], d["attempts"], d["last_error"]) for d in dead] == [
        (str(delivery.id), 3, "HTTP 500")  # an allow-listed receiver's answer is not echoed
    ]
    again = await client.post(f"/api/v1/notifications/deliveries/{delivery.id}/retry", headers=admin)
    assert again.json()["status"] == "pending"
    assert await service.deliver(delivery.id) == "delivered"


async def test_an_opened_alert_is_emailed(client, session, admin, smtp):
    r = await client.post(
        "/api/v1/notifications/channels",
        json={"name": "cs-team", "kind": "email", "target": "cs-team@example.com", "events": ["alert.opened"]},
        headers=admin,
    )
    assert r.status_code == 201, r.text
    a = await make_account(session, name="Acme")
    session.add(
        Ticket(source_id=f"{a.id}-p1", account_id=a.id, priority=1, opened_at=datetime.now(UTC) - timedelta(days=2))
    )
    await session.flush()
    await scoring_pass.rescore(session, {a.id: scoring.today()})
    [delivery] = (await session.execute(select(Delivery).where(Delivery.channel == "email"))).scalars().all()
    assert await service.deliver(delivery.id) == "delivered"
    [message] = smtp.messages
    assert message.rcpt_tos == ["cs-team@example.com"]
    parsed = email.message_from_bytes(message.content, policy=email.policy.default)
    assert parsed["Subject"] == "Tempo alert: 1 P1/P2 ticket open for more than 24 hours — Acme"
    assert parsed.get_content().strip() == "[high] 1 P1/P2 ticket open for more than 24 hours — Acme"


async def test_email_without_a_relay_fails_clearly(session, monkeypatch, client, admin):
    monkeypatch.setattr(get_settings(), "smtp_host", None)
    await client.post(
        "/api/v1/notifications/channels",
        json={"name": "nobody", "kind": "email", "target": "x@example.com"},
        headers=admin,
    )
    [delivery] = await service.emit(session, "test.ping", {"subject": "ping", "text": "ping"})
    assert await service.deliver(delivery.id) == "failed"
    await session.refresh(delivery)
    assert delivery.last_error == "RuntimeError: no SMTP relay configured (TEMPO_SMTP_HOST)"


async def test_bad_channels_are_refused(client, admin):
    r = await client.post(
        "/api/v1/notifications/channels", json={"name": "x", "kind": "webhook", "target": "ftp://x"}, headers=admin
    )
    assert r.status_code == 422 and "http(s) URL" in r.text
    r = await client.post(
        "/api/v1/notifications/channels", json={"name": "x", "kind": "email", "target": "not-an-email"}, headers=admin
    )
    assert r.status_code == 422


async def test_weekly_digest_over_slack(client, session, admin, receiver):
    from app.flows.weekly_digest import send_weekly_digest

    await client.post(
        "/api/v1/notifications/channels",
        json={"name": "cs-slack", "kind": "slack", "target": receiver.url, "events": ["digest.weekly"]},
        headers=admin,
    )
    a = await make_account(session, name="Acme", arr=250_000)
    session.add(
        Ticket(source_id=f"{a.id}-p1", account_id=a.id, priority=1, opened_at=datetime.now(UTC) - timedelta(days=2))
    )
    await session.flush()
    await scoring_pass.rescore(session, {a.id: scoring.today()})
    assert await send_weekly_digest({}) == 1
    [delivery] = (await session.execute(select(Delivery).where(Delivery.event_type == "digest.weekly"))).scalars().all()
    assert await service.deliver(delivery.id) == "delivered"
    body = json.loads(receiver.requests[-1]["body"])
    assert body["text"].startswith("Tempo weekly digest, ")  # the fallback notifications show
    sections = [b["text"]["text"] for b in body["blocks"] if b["type"] == "section"]
    assert sections[2:5] == [
        "*Quadrant movers*: 0 this week (0 into Churn Risk, 0 left Champions)",
        "*Renewals at risk in 90 days*: 0",
        sections[4],
    ]
    queue = sections[4].splitlines()
    assert queue[0].startswith("*Top of the queue*: $") and queue[0].endswith(" at stake over 1 risks")
    assert re.match(r"1\. <http://[^|]+/accounts/[0-9a-f-]+\|Acme>: \$250K ARR", queue[1])
