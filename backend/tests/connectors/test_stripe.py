"""Stripe webhooks: signature checks, subscription lines and invoices from Stripe's own object shapes.

Events are built from Stripe's published fixtures (``stripe/openapi`` ``fixtures3.json``,
MIT, see /work/shared/data/SOURCES.md) with ids, customers, amounts and timestamps
overridden, since the fixtures carry placeholders such as 1234567890.
"""

from __future__ import annotations

import copy
import json
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from app.core.config import get_settings
from app.core.enums import Role
from app.flows.after_signals import fold_ingest_log as fold_log
from app.identity.models import AccountAlias, UnmatchedRecord
from app.ingest.models import DataSource
from app.revenue.models import Invoice, SubscriptionLine
from app.scoring.models import RescoreRequest
from tests.factories import bearer, make_account
from tests.stripe_events import FIXTURES, SECRET, START, URL, at, event, invoice, item, price, signature, subscription


@pytest.fixture(autouse=True)
def secret(monkeypatch):
    monkeypatch.setattr(get_settings(), "stripe_webhook_secret", SECRET)


async def deliver(client, ev: dict[str, Any], t: int | None = None, expect: int = 200) -> dict[str, Any]:
    payload = json.dumps(ev).encode()
    headers = {"Stripe-Signature": signature(payload, t or int(time.time())), "Content-Type": "application/json"}
    r = await client.post(URL, content=payload, headers=headers)
    assert r.status_code == expect, r.text
    return r.json()


async def stripe_account(session, customer: str = "cus_A", **overrides: Any):
    account = await make_account(session, **overrides)
    session.add(AccountAlias(account_id=account.id, source="stripe", key=customer))
    await session.flush()
    return account


async def lines(session) -> list[tuple[Any, ...]]:
    rows = await session.execute(
        select(
            SubscriptionLine.source,
            SubscriptionLine.source_id,
            SubscriptionLine.product,
            SubscriptionLine.plan,
            SubscriptionLine.quantity,
            SubscriptionLine.unit_amount,
            SubscriptionLine.interval,
            SubscriptionLine.start_date,
            SubscriptionLine.end_date,
            SubscriptionLine.cancellation_reason,
        ).order_by(SubscriptionLine.source_id)
    )
    return [tuple(r) for r in rows]


def counts(body: dict[str, Any]) -> tuple[int, int, int, int, int]:
    return body["accepted"], body["updated"], body["duplicates"], body["unmatched"], len(body["rejected"])


SEATS = item("si_seats", 3, price(2000, nickname="Seats"))
PLATFORM = item("si_platform", 1, price(1_200_000, "year", product="prod_platform"))


async def test_subscription_created_makes_one_line_per_item(client, session):
    account = await stripe_account(session)
    body = await deliver(client, event("customer.subscription.created", subscription("cus_A", [SEATS, PLATFORM])))
    assert body["received"] is True and body["event"] == "evt_1"
    assert counts(body) == (2, 0, 0, 0, 0)
    assert await lines(session) == [
        ("stripe", "si_platform", "prod_platform", "price_1PgafmB7WZ01zgkW6dKueIc5", Decimal(1), Decimal("12000"),
         "year", date(2026, 3, 15), None, None),
        ("stripe", "si_seats", "prod_QXg1hqf4jFNsqG", "Seats", Decimal(3), Decimal("20"), "month", date(2026, 3, 15),
         None, None),
    ]  # fmt: skip
    await fold_log(session)  # what the rescore job does with the ingest log
    source = (await session.execute(select(DataSource).where(DataSource.key == "stripe"))).scalar_one()
    assert source.items_received == 2 and source.last_received_at is not None
    since = (
        await session.execute(select(RescoreRequest.since).where(RescoreRequest.account_id == account.id))
    ).scalar()
    assert since == date(2026, 3, 15)


async def test_redelivered_event_changes_nothing(client, session):
    await stripe_account(session)
    ev = event("customer.subscription.updated", subscription("cus_A", [SEATS, PLATFORM]))
    assert counts(await deliver(client, ev)) == (2, 0, 0, 0, 0)
    assert counts(await deliver(client, ev)) == (0, 0, 2, 0, 0)
    assert len(await lines(session)) == 2
    bigger = event("customer.subscription.updated", subscription("cus_A", [item("si_seats", 5, price(2000))]), "evt_2")
    assert counts(await deliver(client, bigger)) == (0, 1, 0, 0, 0)
    # the seats line keeps its history: 3 seats until the change, 5 from the day of the event
    changed_on = datetime.fromtimestamp(bigger["created"], UTC).date()
    versions = await session.execute(
        select(SubscriptionLine.quantity, SubscriptionLine.start_date, SubscriptionLine.end_date)
        .where(SubscriptionLine.source_id == "si_seats")
        .order_by(SubscriptionLine.start_date)
    )
    assert [tuple(v) for v in versions] == [
        (Decimal(3), date(2026, 3, 15), changed_on),
        (Decimal(5), changed_on, None),
    ]


async def test_signature_failures_are_refused(client, session, monkeypatch):
    ev = event("customer.subscription.created", subscription("cus_A", [SEATS]))
    payload = json.dumps(ev).encode()
    now = int(time.time())

    async def post(headers: dict[str, str], content: bytes = payload) -> tuple[int, str, str]:
        r = await client.post(URL, content=content, headers=headers)
        return r.status_code, r.headers["content-type"], r.json()["detail"]

    tampered = payload.replace(b'"quantity": 3', b'"quantity": 30')
    assert tampered != payload
    assert await post({"Stripe-Signature": signature(payload, now)}, tampered) == (
        400, "application/problem+json", "No valid signature for the payload"
    )  # fmt: skip
    assert await post({"Stripe-Signature": signature(payload, now, "whsec_other")}) == (
        400, "application/problem+json", "No valid signature for the payload"
    )  # fmt: skip
    assert await post({"Stripe-Signature": signature(payload, now - 301)}) == (
        400, "application/problem+json", "Timestamp outside the tolerance zone"
    )  # fmt: skip
    status, _, detail = await post({})
    assert (status, detail) == (400, "The Stripe-Signature header is missing")
    status, _, detail = await post({"Stripe-Signature": "garbage"})
    assert status == 400 and "Unable to extract" in detail
    # Several v1 signatures (secret rotation): any valid one is enough; v0 is ignored.
    good = signature(payload, now)
    assert (
        await client.post(
            URL, content=payload, headers={"Stripe-Signature": f"t={now},v1=00ff,{good.split(',')[1]},v0=ab"}
        )
    ).status_code == 200
    assert await lines(session) == []  # unknown customer: unmatched, nothing written

    monkeypatch.setattr(get_settings(), "stripe_webhook_secret", None)
    assert await post({"Stripe-Signature": signature(payload, now)}) == (
        503, "application/problem+json", "Stripe webhooks are not configured"
    )  # fmt: skip


async def test_involuntary_cancellation_ends_the_line_and_late_snapshots_do_not_reopen_it(client, session):
    await stripe_account(session)
    live = subscription("cus_A", [SEATS])
    await deliver(client, event("customer.subscription.created", live))
    ended = subscription(
        "cus_A",
        [SEATS],
        status="canceled",
        canceled_at=at(2026, 6, 20, 8),
        ended_at=at(2026, 6, 20, 8),
        cancellation_details={"comment": None, "feedback": None, "reason": "payment_failed"},
    )
    body = await deliver(client, event("customer.subscription.deleted", ended, "evt_2"))
    assert counts(body) == (0, 1, 0, 0, 0)
    [line] = await lines(session)
    assert line[-2:] == (date(2026, 6, 20), "payment_failed")

    late = await deliver(client, event("customer.subscription.updated", live, "evt_0"))
    assert counts(late) == (0, 0, 1, 0, 0)
    assert "already ended" in late["warnings"][0]["message"]
    assert (await lines(session))[0][-2:] == (date(2026, 6, 20), "payment_failed")


async def test_requested_cancellation_is_voluntary_and_removed_items_end(client, session):
    await stripe_account(session)
    created = event("customer.subscription.created", subscription("cus_A", [SEATS, PLATFORM]))
    created["created"] = START  # Stripe sends it when the subscription starts, before the change below
    await deliver(client, created)
    # The platform item was removed: the event lists it only in previous_attributes.
    removed_at = at(2026, 5, 2, 12)
    ev = event(
        "customer.subscription.updated",
        subscription("cus_A", [SEATS]),
        "evt_2",
        previous_attributes={"items": {"object": "list", "data": [PLATFORM]}},
    )
    ev["created"] = removed_at
    assert counts(await deliver(client, ev)) == (0, 1, 1, 0, 0)
    assert [(r[1], r[-2], r[-1]) for r in await lines(session)] == [
        ("si_platform", date(2026, 5, 2), None),
        ("si_seats", None, None),
    ]
    canceled = subscription(
        "cus_A",
        [SEATS],
        status="canceled",
        canceled_at=at(2026, 7, 1),
        ended_at=None,
        cancellation_details={"comment": None, "feedback": "too_expensive", "reason": "cancellation_requested"},
    )
    await deliver(client, event("customer.subscription.deleted", canceled, "evt_3"))
    assert (await lines(session))[1][-2:] == (date(2026, 7, 1), "voluntary")


async def test_weekly_prices_count_monthly_tiers_wait_for_invoices_unknown_currencies_are_refused(client, session):
    await stripe_account(session)
    items = [
        item("si_weekly", 1, price(500, "week")),  # $5 a week = 5 x 52 / 12 a month
        SEATS,
        item("si_tiered", 1, price(None, billing_scheme="tiered")),
        item("si_xof", 2, price(1000, currency="xof")),  # no exchange rate known
        item("si_eur", 2, price(1000, currency="eur")),  # a euro price keeps its currency
    ]
    body = await deliver(client, event("customer.subscription.created", subscription("cus_A", items)))
    assert counts(body) == (3, 0, 0, 0, 1)
    [(index, item_id, loc, msg)] = [
        (r["index"], r["id"], r["errors"][0]["loc"], r["errors"][0]["msg"]) for r in body["rejected"]
    ]
    assert (index, item_id, loc) == (3, "si_xof", ["currency"])
    assert "no exchange rate from XOF" in msg
    assert [(w["index"], w["id"]) for w in body["warnings"]] == [(2, "si_tiered")]
    assert "valued from its invoices" in body["warnings"][0]["message"]
    assert [(r[1], r[5], r[6]) for r in await lines(session)] == [
        ("si_eur", Decimal(10), "month"),
        ("si_seats", Decimal(20), "month"),
        ("si_weekly", Decimal("21.6667"), "month"),
    ]
    # the refusal is kept for the Sources view, with the event it came in
    r = await client.get("/api/v1/sources/stripe/rejections", headers=await bearer(session, Role.viewer))
    assert [(x["kind"], x["item_id"], x["reference"], x["errors"][0]["loc"]) for x in r.json()["items"]] == [
        ("subscriptions", "si_xof", "evt_1", ["currency"])
    ]
    sources = (await client.get("/api/v1/sources", headers=await bearer(session, Role.viewer))).json()
    assert [(s["key"], s["rejected"]) for s in sources] == [("stripe", 1)]


def invoice_line(si_id: str, amount: int, start: int, end: int) -> dict[str, Any]:
    """An invoice line as API 2025-03-31 and later shape it (the item under ``parent``)."""
    line = copy.deepcopy(FIXTURES["line_item"])
    line.update(id=f"il_{si_id}_{start}", amount=amount, period={"start": start, "end": end})
    line["parent"] = {
        "type": "subscription_item_details",
        "invoice_item_details": None,
        "subscription_item_details": {"subscription": "sub_1", "subscription_item": si_id, "proration": False},
    }
    return line


async def test_metered_items_are_valued_from_their_invoices(client, session):
    await stripe_account(session)
    metered = item("si_calls", None, price(None, recurring={"interval": "month", "usage_type": "metered"}))
    body = await deliver(client, event("customer.subscription.created", subscription("cus_A", [SEATS, metered])))
    assert counts(body) == (1, 0, 0, 0, 0)
    assert [w["id"] for w in body["warnings"]] == ["si_calls"]

    def billed(inv_id: str, amount: int, start: int, end: int, status: str = "open") -> dict[str, Any]:
        lines_ = {"object": "list", "has_more": False, "data": [invoice_line("si_calls", amount, start, end)]}
        return invoice("cus_A", inv_id, status=status, amount_due=amount, lines=lines_, created=end)

    # usage billed in arrears: March 15 - April 15 billed $123.45 -> that value from March 15
    march = billed("in_m", 12345, START, at(2026, 4, 15, 10, 30))
    assert counts(await deliver(client, event("invoice.finalized", march, "evt_2"))) == (2, 0, 0, 0, 0)
    # a draft says nothing yet; the next finalized invoice is a new version from its period's start
    draft = billed("in_a", 20000, at(2026, 4, 15, 10, 30), at(2026, 5, 15, 10, 30), status="draft")
    assert counts(await deliver(client, event("invoice.created", draft, "evt_3"))) == (1, 0, 0, 0, 0)
    april = billed("in_a", 20000, at(2026, 4, 15, 10, 30), at(2026, 5, 15, 10, 30))
    assert counts(await deliver(client, event("invoice.finalized", april, "evt_4"))) == (0, 2, 0, 0, 0)
    ended = subscription(
        "cus_A", [SEATS, metered], status="canceled", ended_at=at(2026, 5, 20), canceled_at=at(2026, 5, 20)
    )
    await deliver(client, event("customer.subscription.deleted", ended, "evt_5"))
    calls = [r for r in await lines(session) if r[1] == "si_calls"]
    assert [(r[4], r[5], r[6], r[7], r[8]) for r in calls] == [
        (Decimal(1), Decimal("123.45"), "month", date(2026, 3, 15), date(2026, 4, 15)),
        (Decimal(1), Decimal("200"), "month", date(2026, 4, 15), date(2026, 5, 20)),
    ]


async def test_invoices_find_their_account_through_the_subscriptions_metadata(client, session):
    account = await make_account(session, external_id="acme")
    inv = invoice("cus_NOALIAS", status="open")
    inv["parent"] = {
        "type": "subscription_details",
        "quote_details": None,
        "subscription_details": {"metadata": {"tempo_external_id": "acme"}, "subscription": "sub_1"},
    }
    assert counts(await deliver(client, event("invoice.finalized", inv))) == (1, 0, 0, 0, 0)
    older = invoice(
        "cus_NOALIAS", "in_2", status="open", subscription_details={"metadata": {"tempo_external_id": "acme"}}
    )
    older["parent"] = None  # API versions before 2025-03-31
    assert counts(await deliver(client, event("invoice.finalized", older, "evt_2"))) == (1, 0, 0, 0, 0)
    owners = (await session.execute(select(Invoice.account_id))).scalars().all()
    assert owners == [account.id, account.id]


async def test_a_customer_naming_its_account_becomes_its_alias_and_replays_what_waited(client, session):
    account = await make_account(session, external_id="acme", name="Acme Corp")
    body = await deliver(client, event("invoice.finalized", invoice("cus_NEW", status="open")))
    assert counts(body) == (0, 0, 0, 1, 0)
    customer = copy.deepcopy(FIXTURES["customer"])
    customer.update(id="cus_NEW", name="ACME (billing)", metadata={"tempo_external_id": "acme"})
    body = await deliver(client, event("customer.created", customer, "evt_2"))
    assert (body["replayed"], body["type"]) == (1, "customer.created")
    await session.refresh(account)
    assert account.name == "Acme Corp"  # Tempo's name stands
    assert (await session.execute(select(Invoice.account_id))).scalar_one() == account.id
    # a customer naming an account Tempo does not have yet creates it, named after the customer
    other = copy.deepcopy(FIXTURES["customer"])
    other.update(id="cus_B", name="Bravo Ltd", metadata={"tempo_external_id": "bravo"})
    assert (await deliver(client, event("customer.updated", other, "evt_3")))["accepted"] == 1
    alias = (await session.execute(select(AccountAlias).where(AccountAlias.key == "cus_B"))).scalar_one()
    bravo = await session.get(type(account), alias.account_id)
    assert (bravo.external_id, bravo.name) == ("bravo", "Bravo Ltd")
    # without the metadata a customer event changes nothing
    plain = copy.deepcopy(FIXTURES["customer"])
    plain.update(id="cus_C", metadata={})
    assert counts(await deliver(client, event("customer.created", plain, "evt_4"))) == (0, 0, 0, 0, 0)


async def test_an_item_refused_at_replay_stays_listed_as_rejected(client, session):
    body = await deliver(
        client,
        event(
            "customer.subscription.created",
            subscription("cus_LATE", [SEATS, item("si_xof", 2, price(1000, currency="xof"))]),
        ),
    )
    assert counts(body) == (0, 0, 0, 2, 0)  # both wait: the account is unknown
    account = await make_account(session, external_id="late-co")
    admin = await bearer(session, Role.admin)
    r = await client.post(
        f"/api/v1/accounts/{account.id}/aliases", json={"source": "stripe", "key": "cus_LATE"}, headers=admin
    )
    assert r.status_code == 201, r.text
    assert (r.json()["replayed"], r.json()["rejected"]) == (1, 1)  # only what was stored counts as replayed
    assert [line[1] for line in await lines(session)] == ["si_seats"]

    r = await client.get("/api/v1/unmatched", params={"status": "rejected"}, headers=admin)
    [record] = r.json()["items"]
    assert (record["item_id"], record["status"], record["resolved_account_id"]) == (
        "si_xof",
        "rejected",
        str(account.id),
    )
    assert record["errors"][0]["loc"] == ["currency"] and "XOF" in record["errors"][0]["msg"]
    pending = (await client.get("/api/v1/unmatched", headers=admin)).json()
    assert pending["total"] == 0
    every = (await client.get("/api/v1/unmatched", params={"include_resolved": "true"}, headers=admin)).json()
    assert sorted((x["item_id"], x["status"]) for x in every["items"]) == [
        ("si_seats", "resolved"),
        ("si_xof", "rejected"),
    ]
    r = await client.get("/api/v1/sources/stripe/rejections", headers=admin)
    assert [(x["item_id"], x["reference"]) for x in r.json()["items"]] == [("si_xof", "replay")]

    # once the team adds rates for the currency, linking the record again retries it
    rates = [{"currency": "XOF", "day": "2026-03-01", "per_eur": "655.957"}]
    assert (await client.post("/api/v1/fx-rates", json={"items": rates}, headers=admin)).status_code in (200, 201)
    r = await client.post(f"/api/v1/unmatched/{record['id']}/link", json={"account_id": str(account.id)}, headers=admin)
    assert (r.status_code, r.json()["replayed"], r.json()["rejected"]) == (200, 1, 0)
    assert [line[1] for line in await lines(session)] == ["si_seats", "si_xof"]


async def test_quarterly_prices_and_trials(client, session):
    await stripe_account(session)
    quarterly = item("si_q", 2, price(30000, "month", recurring={"interval": "month", "interval_count": 3}))
    trial_end = at(2026, 3, 29, 10, 30)
    ev = event(
        "customer.subscription.created",
        subscription("cus_A", [quarterly], status="trialing", trial_start=START, trial_end=trial_end),
    )
    assert counts(await deliver(client, ev)) == (1, 0, 0, 0, 0)
    [line] = await lines(session)
    # $300 per quarter = $100 a month; revenue starts when the trial converts.
    assert (line[4], line[5], line[6], line[7]) == (Decimal(2), Decimal(100), "month", date(2026, 3, 29))


async def test_invoice_lifecycle_and_out_of_order_delivery(client, session):
    account = await stripe_account(session)
    open_invoice = invoice("cus_A", status="open")
    assert counts(await deliver(client, event("invoice.finalized", open_invoice))) == (1, 0, 0, 0, 0)
    paid_at = at(2026, 3, 20, 9)
    paid = invoice(
        "cus_A",
        status="paid",
        amount_paid=129900,
        amount_remaining=0,
        status_transitions={
            "finalized_at": START,
            "marked_uncollectible_at": None,
            "paid_at": paid_at,
            "voided_at": None,
        },
    )
    assert counts(await deliver(client, event("invoice.paid", paid, "evt_2"))) == (0, 1, 0, 0, 0)
    late = await deliver(client, event("invoice.finalized", open_invoice, "evt_1"))
    assert counts(late) == (0, 0, 1, 0, 0)
    stored = (await session.execute(select(Invoice))).scalar_one()
    assert (stored.source, stored.source_id, stored.account_id) == ("stripe", "in_1", account.id)
    assert (stored.status, stored.amount) == ("paid", Decimal("1299.00"))
    assert stored.issued_at == datetime.fromtimestamp(START, UTC)
    assert stored.due_at == datetime(2026, 4, 14, tzinfo=UTC)
    assert stored.paid_at == datetime(2026, 3, 20, 9, tzinfo=UTC)


async def test_unknown_customer_waits_as_unmatched_and_replays_when_the_alias_arrives(client, session):
    body = await deliver(client, event("customer.subscription.created", subscription("cus_LATE", [SEATS])))
    assert counts(body) == (0, 0, 0, 1, 0)
    record = (await session.execute(select(UnmatchedRecord))).scalar_one()
    assert (record.kind, record.item_id, record.account_key_type, record.account_key, record.source) == (
        "subscriptions", "si_seats", "stripe", "cus_LATE", "stripe"
    )  # fmt: skip
    assert await lines(session) == []

    headers = await bearer(session, Role.admin)
    r = await client.post(
        "/api/v1/ingest/accounts",
        json={
            "items": [
                {"external_id": "late-co", "name": "Late Co", "aliases": [{"source": "stripe", "key": "cus_LATE"}]}
            ]
        },
        headers=headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["replayed"] == 1
    [line] = await lines(session)
    assert (line[0], line[1], line[4], line[5]) == ("stripe", "si_seats", Decimal(3), Decimal(20))
    await session.refresh(record)
    assert record.resolved_at is not None


async def test_customer_metadata_names_the_account(client, session):
    account = await make_account(session, external_id="acme")
    customer = copy.deepcopy(FIXTURES["customer"])
    customer.update(id="cus_UNALIASED", metadata={"tempo_external_id": "acme"})
    assert counts(await deliver(client, event("invoice.created", invoice(customer, status="draft")))) == (1, 0, 0, 0, 0)
    # Webhooks never expand the customer: the object's own metadata works too.
    pinned = subscription("cus_UNALIASED", [SEATS], metadata={"tempo_external_id": "acme"})
    assert counts(await deliver(client, event("customer.subscription.created", pinned, "evt_2"))) == (1, 0, 0, 0, 0)
    owners = (
        await session.execute(select(Invoice.account_id).union_all(select(SubscriptionLine.account_id)))
    ).scalars()
    assert set(owners) == {account.id}


async def test_other_events_are_acknowledged_and_ignored(client, session):
    r = await deliver(client, copy.deepcopy(FIXTURES["event"]))
    assert r == {"received": True, "ignored": "plan.created"}
    assert (await deliver(client, event("invoice.upcoming", invoice("cus_A", id=None))))[
        "ignored"
    ] == "invoice.upcoming"
    r = await client.post(
        URL, content=b"not json", headers={"Stripe-Signature": signature(b"not json", int(time.time()))}
    )
    assert r.status_code == 400 and r.json()["title"] == "Malformed request body"


async def test_a_seat_change_is_a_new_version_and_an_older_event_delivered_late_changes_nothing(client, session):
    await stripe_account(session)
    created = event("customer.subscription.created", subscription("cus_A", [item("si_seats", 10, price(2000))]))
    created["created"] = START
    await deliver(client, created)
    # 10 -> 5 seats on May 1st; Stripe lists the old item in previous_attributes
    newer = event(
        "customer.subscription.updated",
        subscription("cus_A", [item("si_seats", 5, price(2000))]),
        "evt_new",
        previous_attributes={"items": {"object": "list", "data": [item("si_seats", 10, price(2000))]}},
    )
    newer["created"] = at(2026, 5, 1, 9)
    assert counts(await deliver(client, newer)) == (0, 1, 0, 0, 0)
    # an April delivery (10 seats) arrives after it, inside the signature tolerance
    older = event(
        "customer.subscription.updated", subscription("cus_A", [item("si_seats", 10, price(2000))]), "evt_old"
    )
    older["created"] = at(2026, 4, 20, 9)
    body = await deliver(client, older)
    assert counts(body) == (0, 0, 1, 0, 0)
    assert "older than the stored one" in body["warnings"][0]["message"]
    assert [(r[4], r[7], r[8]) for r in await lines(session)] == [
        (Decimal(10), date(2026, 3, 15), date(2026, 5, 1)),
        (Decimal(5), date(2026, 5, 1), None),
    ]


async def test_an_update_delivered_before_its_creation_fills_in_the_months_before_it(client, session):
    await stripe_account(session)
    created = event("customer.subscription.created", subscription("cus_A", [item("si_seats", 3, price(2000))]))
    created["created"] = START
    grown = event("customer.subscription.updated", subscription("cus_A", [item("si_seats", 5, price(2000))]), "evt_2")
    grown["created"] = at(2026, 5, 1, 9)
    assert counts(await deliver(client, grown)) == (1, 0, 0, 0, 0)
    body = await deliver(client, created)
    assert counts(body) == (0, 1, 0, 0, 0)
    assert (
        body["warnings"][0]["message"] == "a state older than the stored one fills in what was billed before 2026-05-01"
    )
    assert counts(await deliver(client, created)) == (0, 0, 1, 0, 0)  # once only
    versions = await session.execute(
        select(SubscriptionLine.quantity, SubscriptionLine.start_date, SubscriptionLine.end_date).order_by(
            SubscriptionLine.start_date
        )
    )
    assert [tuple(v) for v in versions] == [
        (Decimal(3), date(2026, 3, 15), date(2026, 5, 1)),
        (Decimal(5), date(2026, 5, 1), None),
    ]
