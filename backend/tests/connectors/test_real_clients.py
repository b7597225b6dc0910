"""Other people's clients against a running Tempo: Segment's and RudderStack's Python SDKs
on their own defaults, and Stripe's library signing the webhooks.

The SDKs are synchronous and upload from their own consumer thread, so the test waits for
their ``flush`` in a worker thread while the server (in this event loop) answers.
"""

from __future__ import annotations

import asyncio
import json
import time
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
import stripe
from rudderstack.analytics.client import Client as RudderClient
from segment.analytics.client import Client as SegmentClient
from sqlalchemy import func, select

from app.accounts.models import Account, Contact
from app.core.config import get_settings
from app.identity.models import AccountAlias, UnmatchedRecord
from app.ingest.models import IngestRejection
from app.revenue.models import Invoice, SubscriptionLine
from app.usage.models import Feature, UsageDaily, UsageEvent
from tests.factories import make_account
from tests.stripe_events import SECRET, URL, at, event, invoice, item, price, subscription

WRITE_KEY = "wk_real_clients_0123456789"
WHEN = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def secrets(monkeypatch):
    monkeypatch.setattr(get_settings(), "segment_write_key", WRITE_KEY)
    monkeypatch.setattr(get_settings(), "stripe_webhook_secret", SECRET)


async def _account(committed_sessions, external_id: str) -> Account:
    async with committed_sessions() as s:
        account = await make_account(s, external_id=external_id, name=external_id.title())
        await s.commit()
    return account


async def _count(committed_sessions, stmt: Any) -> Any:
    async with committed_sessions() as s:
        return (await s.execute(stmt)).all()


def _usage(client: Any, prefix: str) -> None:
    """What an app instrumented with Segment sends for one user of the ``acme`` account."""
    client.group("u-1", "acme", traits={"name": "Acme", "plan": "pro"}, timestamp=WHEN)
    client.identify("u-1", {"email": "jane@acme.example", "name": "Jane Doe", "title": "VP Ops"}, timestamp=WHEN)
    for i in range(40):
        properties = {"feature": "reports", "duration": 30} if i % 2 == 0 else {"feature": "exports"}
        client.track("u-1", "Report Viewed" if i % 2 == 0 else "Export Created", properties, timestamp=WHEN)
    client.page("u-1", name="Dashboard", properties={"feature": "dashboards"}, timestamp=WHEN)
    client.screen("u-1", name="Inbox", timestamp=WHEN)
    # an anonymous visitor later known as u-1: the alias shares u-1's group
    client.track(anonymous_id=f"{prefix}-anon", event="Signup Viewed", timestamp=WHEN)
    client.alias(f"{prefix}-anon", "u-1", timestamp=WHEN)


async def _assert_usage_stored(committed_sessions, account: Account) -> None:
    rows = await _count(
        committed_sessions,
        select(UsageEvent.event, func.count()).where(UsageEvent.account_id == account.id).group_by(UsageEvent.event),
    )
    assert dict(rows) == {
        "Report Viewed": 20,
        "Export Created": 20,
        "Viewed Dashboard Page": 1,
        "Viewed Inbox Screen": 1,
        "Signup Viewed": 1,
    }
    # the anonymous visitor's event resolved through the alias in its batch: nothing waits
    assert await _count(committed_sessions, select(UnmatchedRecord.status, UnmatchedRecord.kind)) == []
    # 20 timed events of 30 s = 10 minutes on reports; exports carried no durations: unknown
    daily = await _count(
        committed_sessions,
        select(Feature.key, UsageDaily.events, UsageDaily.minutes)
        .join(Feature, Feature.id == UsageDaily.feature_id)
        .where(UsageDaily.account_id == account.id)
        .order_by(Feature.key),
    )
    assert daily == [
        ("dashboards", 1, None),
        ("exports", 20, None),
        ("reports", 20, 10.0),
        ("unattributed", 2, None),  # the screen and the visitor's event name no feature
    ]
    contacts = await _count(committed_sessions, select(Contact.name, Contact.email, Contact.title))
    assert contacts == [("Jane Doe", "jane@acme.example", "VP Ops")]


@pytest.mark.parametrize("gzip", [False, True], ids=["plain", "gzip"])
async def test_segments_python_library(committed_sessions, live_server, gzip):
    account = await _account(committed_sessions, "acme")
    errors: list[Any] = []
    client = SegmentClient(
        WRITE_KEY,
        host=f"{live_server}/segment",
        gzip=gzip,
        on_error=lambda e, batch: errors.append(e),
        upload_interval=0.05,
    )
    _usage(client, "seg")
    await asyncio.to_thread(client.flush)
    await asyncio.to_thread(client.join)
    assert errors == []
    await _assert_usage_stored(committed_sessions, account)


async def test_rudderstacks_python_sdk_on_its_defaults(committed_sessions, live_server):
    """gzip on, ten retries, its own batching: nothing may be lost."""
    account = await _account(committed_sessions, "acme")
    errors: list[Any] = []
    client = RudderClient(WRITE_KEY, host=f"{live_server}/segment", on_error=lambda e, batch: errors.append(e))
    assert client.gzip is True
    _usage(client, "rudder")
    await asyncio.to_thread(client.flush)
    await asyncio.to_thread(client.join)
    assert errors == []
    await _assert_usage_stored(committed_sessions, account)


async def test_a_permanent_error_reaches_the_sdks_as_a_permanent_error(committed_sessions, live_server):
    """A wrong write key: both SDKs parse Tempo's answer (Segment's code and message) and give
    up at once instead of retrying as if the network had failed."""
    seen: list[Any] = []
    rudder = RudderClient("wrong", host=f"{live_server}/segment", on_error=lambda e, batch: seen.append(e))
    rudder.track("u-1", "Report Viewed", timestamp=WHEN)
    started = time.monotonic()
    await asyncio.to_thread(rudder.flush)
    await asyncio.to_thread(rudder.join)
    segment = SegmentClient("wrong", host=f"{live_server}/segment", on_error=lambda e, batch: seen.append(e))
    segment.track("u-1", "Report Viewed", timestamp=WHEN)
    await asyncio.to_thread(segment.flush)
    await asyncio.to_thread(segment.join)
    assert [(e.status, e.code, e.message) for e in seen] == [(401, "unauthorized", "The write key is not valid")] * 2
    assert time.monotonic() - started < 10  # ten backed-off retries would take minutes
    assert await _count(committed_sessions, select(func.count()).select_from(UsageEvent)) == [(0,)]


async def _deliver(client: httpx.AsyncClient, ev: dict[str, Any]) -> dict[str, Any]:
    payload = json.dumps(ev)
    header = stripe.WebhookSignature.generate_signature_header(payload, SECRET)
    # Stripe's own verifier accepts what Tempo is about to check
    assert stripe.Webhook.construct_event(payload, header, SECRET).id == ev["id"]
    r = await client.post(
        URL, content=payload, headers={"Stripe-Signature": header, "Content-Type": "application/json"}
    )
    assert r.status_code == 200, r.text
    return r.json()


async def test_stripe_signed_deliveries_in_bursts_with_redeliveries_and_a_late_copy(committed_sessions, live_server):
    account = await _account(committed_sessions, "acme")
    async with committed_sessions() as s:
        s.add(AccountAlias(account_id=account.id, source="stripe", key="cus_A"))
        await s.commit()
    start = at(2026, 3, 1, 9)
    seats = lambda n: item("si_seats", n, price(2000, nickname="Seats"))  # noqa: E731
    created = event("customer.subscription.created", subscription("cus_A", [seats(3)], start_date=start), "evt_1")
    created["created"] = start
    grown = event("customer.subscription.updated", subscription("cus_A", [seats(5)], start_date=start), "evt_2")
    grown["created"] = at(2026, 5, 1, 9)
    paid = invoice("cus_A", "in_1", status="paid", amount_due=6000, created=start)
    paid["status_transitions"] = {
        "finalized_at": start,
        "paid_at": start + 60,
        "marked_uncollectible_at": None,
        "voided_at": None,
    }
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as client:
        # Stripe retries, runs deliveries in parallel and does not keep their order: the change
        # lands first, twice at once with the invoice; then the creation three times at once
        first = [grown, grown, event("invoice.paid", paid, "evt_3")]
        answers = await asyncio.gather(*(_deliver(client, ev) for ev in first))
        answers += await asyncio.gather(*(_deliver(client, ev) for ev in [created, created, created]))
    assert all(a["rejected"] == [] for a in answers)
    # one line and one invoice new; the late creation fills in the months before the change once
    assert (sum(a["accepted"] for a in answers), sum(a["updated"] for a in answers)) == (2, 1)
    versions = await _count(
        committed_sessions,
        select(SubscriptionLine.quantity, SubscriptionLine.start_date, SubscriptionLine.end_date).order_by(
            SubscriptionLine.start_date
        ),
    )
    # 3 seats from March 1 until May 1, then 5 -- whatever order the burst arrived in
    assert [(q, s.isoformat(), e.isoformat() if e else None) for q, s, e in versions] == [
        (Decimal(3), "2026-03-01", "2026-05-01"),
        (Decimal(5), "2026-05-01", None),
    ]
    assert await _count(committed_sessions, select(Invoice.status, Invoice.amount)) == [("paid", Decimal("60.00"))]
    assert await _count(committed_sessions, select(func.count()).select_from(IngestRejection)) == [(0,)]
