"""Stripe replays and redeliveries: an event id is processed once, an event older than one
already processed about the same object changes nothing, and the Stripe-Signature header is
parsed strictly (a malformed one is the 400 problem, never a 500).

Deliveries are signed with Stripe's own library (``stripe.WebhookSignature``), the way Stripe
signs them; events are built from Stripe's published fixtures (``tests.stripe_events``).
"""

from __future__ import annotations

import asyncio
import copy
import json
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
import stripe
from sqlalchemy import func, select

from app.connectors.models import StripeEvent
from app.connectors.stripe import InvalidSignature, MalformedEvent, verify_signature
from app.connectors.stripe import events as stripe_handling
from app.core.config import get_settings
from app.identity.models import AccountAlias
from app.revenue import service as revenue
from app.revenue.models import ArrMovement, Invoice, SubscriptionLine
from tests.factories import make_account
from tests.stripe_events import FIXTURES, SECRET, START, URL, at, event, invoice, item, price, subscription


@pytest.fixture(autouse=True)
def secret(monkeypatch):
    monkeypatch.setattr(get_settings(), "stripe_webhook_secret", SECRET)


def signed(ev: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
    """The body and headers of a delivery, signed now by Stripe's library (a fresh signature each call)."""
    payload = json.dumps(ev)
    header = stripe.WebhookSignature.generate_signature_header(payload, SECRET, int(time.time()))
    return payload.encode(), {"Stripe-Signature": header, "Content-Type": "application/json"}


async def deliver(client: httpx.AsyncClient, ev: dict[str, Any], expect: int = 200) -> dict[str, Any]:
    payload, headers = signed(ev)
    r = await client.post(URL, content=payload, headers=headers)
    assert r.status_code == expect, r.text
    return r.json()


def counts(body: dict[str, Any]) -> tuple[int, int, int, int, int]:
    return body["accepted"], body["updated"], body["duplicates"], body["unmatched"], len(body["rejected"])


def answer(body: dict[str, Any]) -> tuple[str, bool, str | None]:
    return body["outcome"], body["duplicate"], body["newer_event"]


async def stripe_account(session, customer: str = "cus_A", **overrides: Any):
    account = await make_account(session, **overrides)
    session.add(AccountAlias(account_id=account.id, source="stripe", key=customer))
    await session.flush()
    return account


def seats(qty: int, evt_id: str, created: int, event_type: str = "customer.subscription.updated") -> dict[str, Any]:
    ev = event(event_type, subscription("cus_A", [item("si_seats", qty, price(2000))]), evt_id)
    ev["created"] = created
    return ev


async def versions(session) -> list[tuple[Any, ...]]:
    rows = await session.execute(
        select(SubscriptionLine.quantity, SubscriptionLine.start_date, SubscriptionLine.end_date)
        .where(SubscriptionLine.source_id == "si_seats")
        .order_by(SubscriptionLine.start_date)
    )
    return [tuple(r) for r in rows]


async def moves(session, account_id) -> list[tuple[Any, ...]]:
    await revenue.rebuild_accounts(session, [account_id], date(2026, 12, 1))
    rows = await session.execute(
        select(ArrMovement.on, ArrMovement.kind, ArrMovement.amount)
        .where(ArrMovement.account_id == account_id)
        .order_by(ArrMovement.on, ArrMovement.id)
    )
    return [tuple(r) for r in rows]


async def recorded(session) -> list[tuple[str, str | None, str]]:
    rows = await session.execute(select(StripeEvent.id, StripeEvent.object_id, StripeEvent.outcome))
    return sorted(tuple(r) for r in rows)


# --- ordering by created, per object ---------------------------------------------------------


async def test_an_older_update_redelivered_after_a_newer_one_is_stale_and_seats_stay_at_five(client, session):
    account = await stripe_account(session)
    t = at(2026, 5, 1, 9)
    a, b = seats(10, "evt_A", t), seats(5, "evt_B", t + 60)
    assert answer(await deliver(client, a)) == ("processed", False, None)
    assert answer(await deliver(client, b)) == ("processed", False, None)
    # A again, freshly signed inside the tolerance window
    third = await deliver(client, a)
    assert answer(third) == ("stale", True, "evt_B")
    assert counts(third) == (0, 0, 1, 0, 0)
    assert third["warnings"][0]["id"] == "si_seats"
    assert "older than the stored one (evt_B, 2026-05-01 09:01:00 UTC)" in third["warnings"][0]["message"]
    # the same older state under another event id is stale too
    other = await deliver(client, seats(10, "evt_A2", t))
    assert answer(other) == ("stale", False, "evt_B")
    assert (await versions(session))[-1][0] == Decimal(5)
    assert await moves(session, account.id) == [
        (date(2026, 3, 15), "new", Decimal(2400)),  # 10 seats x $20 x 12
        (date(2026, 5, 1), "contraction", Decimal(1200)),  # down to 5 seats, and it stays there
    ]
    assert await recorded(session) == [
        ("evt_A", "sub_1", "processed"),
        ("evt_A2", "sub_1", "stale"),
        ("evt_B", "sub_1", "processed"),
    ]


async def test_events_in_the_same_second_are_all_processed(client, session):
    await stripe_account(session)
    t = at(2026, 5, 1, 9)
    assert answer(await deliver(client, seats(10, "evt_A", t))) == ("processed", False, None)
    body = await deliver(client, seats(7, "evt_B", t))  # same created second: not stale
    assert answer(body) == ("processed", False, None)
    assert counts(body) == (0, 1, 0, 0, 0)
    assert [v[0] for v in await versions(session)] == [Decimal(10), Decimal(7)]


async def test_an_older_invoice_event_after_a_newer_one_is_stale_amounts_included(client, session):
    await stripe_account(session)
    t = at(2026, 3, 20, 9)
    paid = event("invoice.paid", invoice("cus_A", status="paid", amount_due=50000), "evt_paid")
    paid["created"] = t + 60
    assert answer(await deliver(client, paid)) == ("processed", False, None)
    # an older invoice.updated: a different amount, even a status that ranks the same
    older = event("invoice.updated", invoice("cus_A", status="paid", amount_due=90000), "evt_older")
    older["created"] = t
    body = await deliver(client, older)
    assert answer(body) == ("stale", False, "evt_paid")
    assert counts(body) == (0, 0, 1, 0, 0)
    assert [(w["index"], w["id"]) for w in body["warnings"]] == [(0, "in_1")]
    stored = (await session.execute(select(Invoice.status, Invoice.amount))).one()
    assert tuple(stored) == ("paid", Decimal("500.00"))
    # same second as the paid one: processed, and the status rank still keeps it paid
    same = event("invoice.updated", invoice("cus_A", status="open", amount_due=90000), "evt_same")
    same["created"] = t + 60
    body = await deliver(client, same)
    assert answer(body) == ("processed", False, None)
    assert counts(body) == (0, 0, 1, 0, 0) and "already paid" in body["warnings"][0]["message"]
    assert tuple((await session.execute(select(Invoice.status, Invoice.amount))).one()) == ("paid", Decimal("500.00"))


async def test_an_older_customer_event_does_not_move_the_alias_back(client, session):
    acme = await make_account(session, external_id="acme")
    bravo = await make_account(session, external_id="bravo")

    def customer(evt_id: str, external_id: str, created: int) -> dict[str, Any]:
        cus = copy.deepcopy(FIXTURES["customer"])
        cus.update(id="cus_X", metadata={"tempo_external_id": external_id})
        ev = event("customer.updated", cus, evt_id)
        ev["created"] = created
        return ev

    assert answer(await deliver(client, customer("evt_new", "bravo", START + 60))) == ("processed", False, None)
    assert answer(await deliver(client, customer("evt_old", "acme", START))) == ("stale", False, "evt_new")
    owner = (await session.execute(select(AccountAlias.account_id).where(AccountAlias.key == "cus_X"))).scalar_one()
    assert owner == bravo.id != acme.id


async def test_a_stale_creation_still_fills_in_the_history_before_the_update(client, session):
    """The one thing a stale subscription event may do (``line_versions`` backfill): never the current state."""
    await stripe_account(session)
    assert answer(await deliver(client, seats(5, "evt_grown", at(2026, 5, 1, 9)))) == ("processed", False, None)
    body = await deliver(client, seats(3, "evt_created", START, "customer.subscription.created"))
    assert answer(body) == ("stale", False, "evt_grown")
    assert counts(body) == (0, 1, 0, 0, 0)
    assert await versions(session) == [
        (Decimal(3), date(2026, 3, 15), date(2026, 5, 1)),
        (Decimal(5), date(2026, 5, 1), None),
    ]


# --- idempotency by event id -----------------------------------------------------------------


async def test_the_same_event_posted_twice_is_processed_once(client, session):
    account = await stripe_account(session)
    ev = seats(3, "evt_once", START, "customer.subscription.created")
    first = await deliver(client, ev)
    assert answer(first) == ("processed", False, None) and counts(first) == (1, 0, 0, 0, 0)
    second = await deliver(client, ev)
    assert answer(second) == ("duplicate", True, None)
    assert counts(second) == (0, 0, 1, 0, 0) and second["warnings"] == []
    assert await versions(session) == [(Decimal(3), date(2026, 3, 15), None)]
    assert await moves(session, account.id) == [(date(2026, 3, 15), "new", Decimal(720))]
    assert await recorded(session) == [("evt_once", "sub_1", "processed")]


async def test_a_failed_event_is_not_recorded_and_its_redelivery_is_processed(client, session, monkeypatch):
    """The event's row and what it ingests share one transaction: a failure rolls both back."""
    await stripe_account(session)
    ev = seats(3, "evt_retry", START, "customer.subscription.created")

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise MalformedEvent("failed while translating")

    with monkeypatch.context() as patched:
        patched.setattr(stripe_handling, "subscription_items", broken)
        await deliver(client, ev, expect=400)
    assert await recorded(session) == []
    assert answer(await deliver(client, ev)) == ("processed", False, None)
    assert await recorded(session) == [("evt_retry", "sub_1", "processed")]


async def test_ignored_event_types_are_not_recorded(client, session):
    body = await deliver(client, copy.deepcopy(FIXTURES["event"]))
    assert body == {"received": True, "ignored": "plan.created"}
    assert await recorded(session) == []


async def test_concurrent_deliveries_of_one_event_process_it_once(committed_sessions, live_server):
    async with committed_sessions() as s:
        await stripe_account(s, external_id="concurrent")
        await s.commit()
    ev = seats(4, "evt_concurrent", START, "customer.subscription.created")
    paid = event("invoice.paid", invoice("cus_A", status="paid", amount_due=50000), "evt_inv_new")
    paid["created"] = at(2026, 3, 20, 9, 1)
    older = event("invoice.updated", invoice("cus_A", status="open", amount_due=90000), "evt_inv_old")
    older["created"] = at(2026, 3, 20, 9)
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as client:

        async def send(e: dict[str, Any]) -> str:
            payload, headers = signed(e)
            r = await client.post(URL, content=payload, headers=headers)
            assert r.status_code == 200, r.text
            return str(r.json()["outcome"])

        outcomes = await asyncio.gather(*(send(ev) for _ in range(6)))
        assert sorted(outcomes) == ["duplicate"] * 5 + ["processed"]
        # an older and a newer event about one invoice at once: whichever runs first, the newer wins
        outcomes = await asyncio.gather(send(older), send(paid))
        assert outcomes[1] == "processed" and outcomes[0] in ("processed", "stale")

    async with committed_sessions() as s:
        assert await versions(s) == [(Decimal(4), date(2026, 3, 15), None)]
        assert (await s.execute(select(func.count()).select_from(StripeEvent))).scalar_one() == 3
        assert tuple((await s.execute(select(Invoice.status, Invoice.amount))).one()) == ("paid", Decimal("500.00"))


# --- the Stripe-Signature header, parsed strictly --------------------------------------------

PAYLOAD = json.dumps(event("customer.subscription.created", subscription("cus_A", []))).encode()


def good_v1(now: int) -> str:
    """The ``v1=<hex>`` part Stripe's library signs ``PAYLOAD`` with at ``now``."""
    return stripe.WebhookSignature.generate_signature_header(PAYLOAD.decode(), SECRET, now).split(",")[1]


# each built at test time (now, a valid v1 part for now), so only the malformation is wrong
MALFORMED: dict[str, Callable[[int, str], str | bytes]] = {
    "superscript two": lambda now, v1: b"t=\xb2,v1=abc",
    "superscript two, valid v1": lambda now, v1: f"t=\xb2,{v1}".encode("latin-1"),
    "empty": lambda now, v1: "",
    "blank": lambda now, v1: " ",
    "t without a value": lambda now, v1: "t=",
    "t and v1 without values": lambda now, v1: "t=,v1=",
    "only commas": lambda now, v1: "," * 200,
    "empty parts around a valid header": lambda now, v1: f",,t={now},,{v1},,",
    "10,000 v1 entries": lambda now, v1: f"t={now}," + ",".join([v1] * 10_000),
    "9 v1 entries": lambda now, v1: f"t={now}," + ",".join([v1] * 9),
    "utf-8 bytes (not latin-1 text)": lambda now, v1: f"t={now},{v1},v0=\u00e9\u263a".encode(),
    "arabic-indic digits as utf-8": lambda now, v1: f"t=\u0661\u0667,{v1}".encode(),
    "timestamp 10**30": lambda now, v1: f"t={10**30},{v1}",
    "negative timestamp": lambda now, v1: f"t=-{now},{v1}",
    "hex timestamp": lambda now, v1: f"t=0x10,{v1}",
    "two timestamps": lambda now, v1: f"t={now},t={now},{v1}",
    "no v1": lambda now, v1: f"t={now},v0=abc",
    "part without =": lambda now, v1: f"t={now},{v1},garbage",
    "uppercase hex": lambda now, v1: f"t={now},v1={v1[3:].upper()}",
    "signature longer than 64 digits": lambda now, v1: f"t={now},{v1}00",
    "tab inside a value": lambda now, v1: f"t={now},v1=ab\tcd",
}


@pytest.mark.parametrize("make", MALFORMED.values(), ids=MALFORMED.keys())
async def test_malformed_signature_headers_are_the_400_problem(client, session, make):
    now = int(time.time())
    r = await client.post(URL, content=PAYLOAD, headers={"Stripe-Signature": make(now, good_v1(now))})
    assert r.status_code == 400, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["title"] == "Invalid Stripe signature"
    assert await recorded(session) == []


WELL_FORMED: dict[str, Callable[[int, str], str]] = {
    "stripe's own": lambda now, v1: stripe.WebhookSignature.generate_signature_header(PAYLOAD.decode(), SECRET, now),
    "blanks around parts": lambda now, v1: f"t={now}, {v1}",
    "secret rotation and test mode's v0": lambda now, v1: f"t={now},v1={'0' * 64},{v1},v0=whatever",
    "any order": lambda now, v1: f"{v1},t={now}",
}


@pytest.mark.parametrize("make", WELL_FORMED.values(), ids=WELL_FORMED.keys())
async def test_well_formed_headers_are_accepted(client, session, make):
    now = int(time.time())
    header = make(now, good_v1(now))
    stripe.WebhookSignature.verify_header(PAYLOAD, header.replace(" ", ""), SECRET, tolerance=300)  # Stripe agrees
    r = await client.post(URL, content=PAYLOAD, headers={"Stripe-Signature": header})
    assert r.status_code == 200, r.text


def test_the_parser_only_reads_ascii_digits():
    """Digits of other scripts pass ``str.isdigit`` (and some ``int()``); they are refused."""
    now = int(time.time())
    for t in ("\u00b2", "\u0661\u0667\u0660\u0660", "\uff11\uff12", "1\u00b2", f"{now}\n"):
        with pytest.raises(InvalidSignature, match="Unable to extract"):
            verify_signature(PAYLOAD, f"t={t},{good_v1(now)}", SECRET, 300, now=now)
    verify_signature(PAYLOAD, f"t={now},{good_v1(now)}", SECRET, 300, now=now)


async def test_an_out_of_range_created_time_is_a_malformed_event(client, session):
    ev = event("customer.subscription.created", subscription("cus_A", []))
    ev["created"] = 10**30
    body = await deliver(client, ev, expect=400)
    assert body["title"] == "Malformed Stripe event"
    assert await recorded(session) == []
