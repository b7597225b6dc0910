"""The weekly digest to real receivers: each channel gets its recipient's scope (a CSM's email
channel only their accounts; any other channel the whole book, built once per scope), email
as multipart/alternative with the charts inline, Slack as Block Kit blocks; the preview;
and "send me a test" (422 without SMTP, the caller's own address, channels for leads only)."""

from __future__ import annotations

import email
import email.policy
import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditLog
from app.core.enums import Role
from app.flows import scoring_pass, weekly_digest
from app.notifications import service
from app.notifications.models import Delivery
from app.renewals.models import Renewal
from app.scoring.models import AccountHealth, QuadrantMove
from app.scoring.service import today
from app.support.models import Ticket
from tests.factories import make_account, make_user

LABELS = [
    "ARR", "NRR (TTM)", "GRR (TTM)", "Logo churn (monthly)", "Revenue churn (monthly)", "Expansion ARR (monthly)",
    "Net new ARR, existing customers",
]  # fmt: skip


async def signed_in(client, user) -> dict[str, str]:
    r = await client.post("/api/v1/auth/login", json={"email": user.email, "password": "correct-horse"})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


async def two_books(session):
    """A CSM's account (Mine Co, $250K) and someone else's (Theirs Inc, $400K): each with a P1
    ticket open two days (a risk in the queue), a move into Churn Risk yesterday and an annual
    renewal in 30 days on health 40."""
    csm = await make_user(session, role=Role.csm, email="csm.one@example.com", name="Casey CSM")
    other = await make_user(session, role=Role.csm, email="csm.two@example.com")
    t = today()
    accounts = {}
    for name, owner, arr in (("Mine Co", csm, 250_000), ("Theirs Inc", other, 400_000)):
        a = await make_account(session, name=name, arr=arr, owner_id=owner.id)
        session.add(
            Ticket(source_id=f"{a.id}-p1", account_id=a.id, priority=1, opened_at=datetime.now(UTC) - timedelta(days=2))
        )
        accounts[name] = a
    await session.flush()
    await scoring_pass.rescore(session, {a.id: t for a in accounts.values()})
    for a in accounts.values():
        health = await session.get(AccountHealth, a.id)
        health.health_score = 40.0
        session.add(
            QuadrantMove(
                account_id=a.id, moved_on=t - timedelta(days=1), from_quadrant="champions", to_quadrant="churn_risk"
            )
        )
        session.add(
            Renewal(
                account_id=a.id, renewal_date=t + timedelta(days=30), arr_up_for_renewal=a.current_arr, term="annual"
            )
        )
    await session.flush()
    return csm, accounts


async def channel(client, headers, name, kind, target, events=("digest.weekly",)):
    r = await client.post(
        "/api/v1/notifications/channels",
        json={"name": name, "kind": kind, "target": target, "events": list(events)},
        headers=headers,
    )
    assert r.status_code == 201, r.text
    return r.json()


def parsed(envelope):
    return email.message_from_bytes(envelope.content, policy=email.policy.default)


async def test_each_channel_gets_its_recipients_scope_built_once(client, session, smtp, receiver, monkeypatch):
    await two_books(session)
    admin = await make_user(session, role=Role.admin)
    headers = await signed_in(client, admin)
    await channel(client, headers, "Casey", "email", "CSM.One@example.com")  # the CSM's address, any case
    await channel(client, headers, "cs-team", "email", "cs-team@example.com")  # nobody's: the whole book
    await channel(client, headers, "slack", "slack", receiver.url)
    await channel(client, headers, "alerts only", "slack", receiver.url, events=["alert.opened"])

    built = []
    original = weekly_digest.build

    async def counting(session, scope=weekly_digest.access.EVERY_ACCOUNT, **kw):
        built.append(scope.name)
        return await original(session, scope, **kw)

    monkeypatch.setattr(weekly_digest, "build", counting)
    assert await weekly_digest.send_weekly_digest({}) == 3
    assert sorted(built) == ["all", "mine"]  # three channels, two scopes, each built once

    found = (await session.execute(select(Delivery).where(Delivery.event_type == "digest.weekly"))).scalars().all()
    deliveries = sorted(found, key=lambda d: d.target.lower())
    assert [d.target.lower() for d in deliveries] == ["cs-team@example.com", "csm.one@example.com", receiver.url]
    for d in deliveries:
        assert await service.deliver(d.id) == "delivered"

    mails = {m.rcpt_tos[0].lower(): parsed(m) for m in smtp.messages}
    mine, whole = mails["csm.one@example.com"], mails["cs-team@example.com"]
    mine_text = mine.get_body(("plain",)).get_content()
    whole_text = whole.get_body(("plain",)).get_content()
    assert "Your accounts:" in mine_text and "Mine Co" in mine_text and "Theirs Inc" not in mine_text
    assert "Every account:" in whole_text and "Mine Co" in whole_text and "Theirs Inc" in whole_text
    assert "Revenue at risk: " in mine_text and "over 1 active accounts" in mine_text
    assert "over 2 active accounts" in whole_text
    assert "Quadrant moves: 1 (1 into Churn Risk, 1 left Champions)" in mine_text
    assert "Quadrant moves: 2 (2 into Churn Risk, 2 left Champions)" in whole_text
    assert "Renewals at risk in 90 days: 1 ($250K ARR)" in mine_text
    assert "Renewals at risk in 90 days: 2 ($650K ARR)" in whole_text

    # Slack: the whole book, as blocks
    [posted] = receiver.requests
    body = json.loads(posted["body"])
    text = json.dumps(body["blocks"])
    assert "Mine Co" in text and "Theirs Inc" in text


async def test_email_is_multipart_alternative_with_inline_charts(client, session, smtp, public_url):
    await two_books(session)
    admin = await make_user(session, role=Role.admin)
    await channel(client, await signed_in(client, admin), "cs-team", "email", "cs-team@example.com")
    [delivery] = await weekly_digest.emit_weekly(session)
    assert set(delivery.payload) == {"subject", "text", "html", "images", "test"}
    assert await service.deliver(delivery.id) == "delivered"

    [envelope] = smtp.messages
    message = parsed(envelope)
    assert message.get_content_type() == "multipart/alternative"
    plain, related = message.get_payload()
    assert plain.get_content_type() == "text/plain"
    assert related.get_content_type() == "multipart/related"
    html_part, *images = related.get_payload()
    assert html_part.get_content_type() == "text/html"
    html = html_part.get_content()
    cids = re.findall(r'src="cid:([^"]+)"', html)
    assert cids == ["arr-chart@tempo", "retention-chart@tempo", "movers-chart@tempo"]
    assert [(i.get_content_type(), i["Content-ID"], i.get_content_disposition()) for i in images] == [
        ("image/png", f"<{c}>", "inline") for c in cids
    ]
    for image in images:
        png = image.get_content()
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) < 20_000
    for label in LABELS:
        assert f">{label}<" in html
    assert "$650K" in html  # ARR up for renewal of the two renewals at risk
    assert f'href="{public_url}/leadership"' in html
    assert message["Subject"] == delivery.payload["subject"]


async def test_a_retry_sends_what_was_stored(client, session, smtp, receiver):
    """The delivery stores what it sends: a retry after the book changed sends the same."""
    admin = await make_user(session, role=Role.admin)
    await channel(client, await signed_in(client, admin), "slack", "slack", receiver.url)
    receiver.codes = [500]
    [delivery] = await weekly_digest.emit_weekly(session)
    assert await service.deliver(delivery.id) == "failed"
    await make_account(session, name="Arrived Later", arr=999_000)
    delivery.next_attempt_at = datetime.now(UTC)
    await session.flush()
    assert await service.deliver(delivery.id) == "delivered"
    first, second = (json.loads(r["body"]) for r in receiver.requests)
    assert first == second


async def test_slack_blocks(client, session, receiver, public_url):
    await two_books(session)
    admin = await make_user(session, role=Role.admin)
    await channel(client, await signed_in(client, admin), "slack", "slack", receiver.url)
    [delivery] = await weekly_digest.emit_weekly(session)
    assert await service.deliver(delivery.id) == "delivered"
    body = json.loads(receiver.requests[0]["body"])
    assert set(body) == {"text", "blocks"}
    assert body["text"].startswith("Tempo weekly digest, ")
    blocks = body["blocks"]
    assert [b["type"] for b in blocks] == [
        "header", "context", "section", "divider", "section", "section", "section", "section", "section", "actions",
    ]  # fmt: skip
    assert blocks[0]["text"] == {"type": "plain_text", "text": "Tempo weekly digest"}
    fields = blocks[2]["fields"]
    assert [f["text"].split("\n")[0] for f in fields] == [f"*{label}*" for label in LABELS]
    assert all(f["type"] == "mrkdwn" for f in fields)
    assert "*Renewals at risk in 90 days*: 2 ($650K ARR)" in blocks[6]["text"]["text"]
    assert [e["url"] for e in blocks[-1]["elements"]] == [f"{public_url}/leadership", f"{public_url}/today"]


async def test_the_preview(client, session):
    csm, _ = await two_books(session)
    headers = await signed_in(client, csm)
    r = await client.get("/api/v1/digest/preview", headers=headers)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.headers["x-scope"] == "mine"  # a CSM's default
    html = r.text
    assert "cid:" not in html and html.count('src="data:image/png;base64,') == 3
    assert all(f">{label}<" in html for label in LABELS)
    assert "Your accounts" in html and "Mine Co" in html and "Theirs Inc" not in html

    data = (
        await client.get("/api/v1/digest/preview", params={"format": "json", "scope": "all"}, headers=headers)
    ).json()
    assert (data["scope"], data["scope_label"], data["movers"]["moves"]) == ("all", "Every account", 2)
    assert [m["label"] for m in data["metrics"]] == LABELS
    assert data["renewals_at_risk"]["count"] == 2 and data["revenue_at_risk"]["accounts"] == 2

    slack = (await client.get("/api/v1/digest/preview", params={"format": "slack"}, headers=headers)).json()
    assert set(slack) == {"text", "blocks"} and slack["blocks"][0]["type"] == "header"
    bad = await client.get("/api/v1/digest/preview", params={"format": "pdf"}, headers=headers)
    assert bad.status_code == 422


async def test_a_test_needs_smtp(client, session, no_smtp):
    user = await make_user(session, role=Role.csm)
    r = await client.post("/api/v1/digest/test", json={}, headers=await signed_in(client, user))
    assert r.status_code == 422
    problem = r.json()
    assert problem["detail"].startswith("Email is not set up on this server: set TEMPO_SMTP_HOST")
    assert problem["errors"][0]["loc"] == ["body", "channel_id"]
    assert (await session.execute(select(Delivery))).scalars().all() == []


async def test_send_me_a_test(client, session, smtp):
    csm, _ = await two_books(session)
    headers = await signed_in(client, csm)
    r = await client.post("/api/v1/digest/test", json={}, headers=headers)
    assert r.status_code == 202, r.text
    [sent] = r.json()
    assert (sent["channel"], sent["target"], sent["status"], sent["channel_id"]) == (
        "email", "csm.one@example.com", "pending", None,
    )  # fmt: skip
    assert await service.deliver(sent["id"]) == "delivered"
    [envelope] = smtp.messages
    message = parsed(envelope)
    assert message["Subject"].startswith("[Test] Tempo weekly digest")
    plain = message.get_body(("plain",)).get_content()
    assert "Mine Co" in plain and "Theirs Inc" not in plain  # the caller's own scope
    followed = await client.get(f"/api/v1/digest/deliveries/{sent['id']}", headers=headers)
    assert followed.json()["status"] == "delivered"
    someone = await make_user(session, role=Role.viewer)
    assert (
        await client.get(f"/api/v1/digest/deliveries/{sent['id']}", headers=await signed_in(client, someone))
    ).status_code == 404
    [audit] = (await session.execute(select(AuditLog).where(AuditLog.action == "digest.test"))).scalars().all()
    assert (audit.actor, audit.entity_id, audit.detail["scope"]) == (f"user:{csm.id}", sent["id"], "mine")


async def test_a_test_to_a_channel(client, session, receiver):
    admin = await make_user(session, role=Role.admin)
    made = await channel(
        client, await signed_in(client, admin), "slack", "slack", receiver.url, events=["alert.opened"]
    )
    csm = await make_user(session, role=Role.csm)
    csm_headers = await signed_in(client, csm)
    r = await client.post("/api/v1/digest/test", json={"channel_id": made["id"]}, headers=csm_headers)
    assert r.status_code == 403
    assert (await client.get("/api/v1/digest/channels", headers=csm_headers)).status_code == 403
    leader = await make_user(session, role=Role.leader)
    lead_headers = await signed_in(client, leader)
    missing = await client.post(
        "/api/v1/digest/test", json={"channel_id": "00000000-0000-4000-8000-000000000000"}, headers=lead_headers
    )
    assert missing.status_code == 404
    listed = (await client.get("/api/v1/digest/channels", headers=lead_headers)).json()
    assert [(c["name"], c["kind"], c["destination"], c["takes_digest"]) for c in listed] == [
        ("slack", "slack", "127.0.0.1", False)  # a URL by its host: the full URL stays with admins
    ]
    r = await client.post("/api/v1/digest/test", json={"channel_id": made["id"]}, headers=lead_headers)
    assert r.status_code == 202, r.text
    [sent] = r.json()
    assert (sent["channel"], sent["target"], sent["channel_id"]) == ("slack", "127.0.0.1", made["id"])
    assert await service.deliver(sent["id"]) == "delivered"
    body = json.loads(receiver.requests[0]["body"])
    assert body["blocks"][0]["text"]["text"] == "Tempo weekly digest (test)"
    assert [f["text"].split("\n")[0] for f in body["blocks"][2]["fields"]] == [f"*{x}*" for x in LABELS]
    assert (await client.get(f"/api/v1/digest/deliveries/{sent['id']}", headers=lead_headers)).json()["status"] == (
        "delivered"
    )


@pytest.mark.parametrize("extra", [{"channel_id": "nope"}, {"to": "x@example.com"}])
async def test_a_bad_test_request(client, session, extra):
    user = await make_user(session, role=Role.leader)
    r = await client.post("/api/v1/digest/test", json=extra, headers=await signed_in(client, user))
    assert r.status_code == 422
