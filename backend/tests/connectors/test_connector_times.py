"""Times the connectors convert before ingest checks them: a Stripe Unix time or a Segment
timestamp that is out of range or malformed rejects its item with the field and the reason
(never a 500), and leaves the rest of the delivery alone."""

from __future__ import annotations

import base64
import copy
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import stripe
from sqlalchemy import select

from app.core.config import get_settings
from app.core.enums import Role
from app.core.types import signal_latest
from app.identity.models import AccountAlias
from app.revenue.models import Invoice, SubscriptionLine
from app.usage.models import UsageEvent
from tests.factories import bearer, make_account
from tests.stripe_events import FIXTURES, SECRET, START, URL, at, event, invoice, item, price, subscription

WRITE_KEY = "seg_write_key_times_0123456789"
AUTH = {"Authorization": "Basic " + base64.b64encode(f"{WRITE_KEY}:".encode()).decode()}


@pytest.fixture(autouse=True)
def secrets(monkeypatch):
    monkeypatch.setattr(get_settings(), "stripe_webhook_secret", SECRET)
    monkeypatch.setattr(get_settings(), "segment_write_key", WRITE_KEY)


def latest() -> date:
    return signal_latest()


def last_second() -> int:
    """The last Unix second ingest accepts: the end of the day 10 years from today."""
    return int(datetime.combine(latest() + timedelta(days=1), datetime.min.time(), UTC).timestamp()) - 1


def in_range() -> str:
    return f"from 1970-01-01 to {latest().isoformat()} (10 years from today)"


# -- Stripe -------------------------------------------------------------------------------


async def deliver(client, ev: dict[str, Any], expect: int = 200) -> dict[str, Any]:
    """Sign ``ev`` the way Stripe's own library does and post it."""
    payload = json.dumps(ev)
    header = stripe.WebhookSignature.generate_signature_header(payload, SECRET)
    r = await client.post(
        URL, content=payload, headers={"Stripe-Signature": header, "Content-Type": "application/json"}
    )
    assert r.status_code == expect, r.text
    return r.json()


async def stripe_account(session, customer: str = "cus_A"):
    account = await make_account(session)
    session.add(AccountAlias(account_id=account.id, source="stripe", key=customer))
    await session.flush()
    return account


def counts(body: dict[str, Any]) -> tuple[int, int, int, int, int]:
    return body["accepted"], body["updated"], body["duplicates"], body["unmatched"], len(body["rejected"])


def rejected(body: dict[str, Any]) -> list[tuple[int, str | None, list[dict[str, Any]]]]:
    return [(r["index"], r["id"], r["errors"]) for r in body["rejected"]]


SEATS = item("si_seats", 3, price(2000, nickname="Seats"))
METERED = item("si_calls", 1, price(None, recurring={"interval": "month", "usage_type": "metered"}))


def range_error(field: str, shown: str) -> str:
    return f"{field} must be a Unix time {in_range()}; got {shown}"


def type_error(field: str, shown: str) -> str:
    return f"{field} must be a Unix time in whole seconds (an integer); got {shown}"


# (overrides of the subscription, its status, the loc and message every line is rejected with)
BAD_SUBSCRIPTION_TIMES: dict[str, tuple[dict[str, Any], str, list[Any], Any]] = {
    "start_date 10**30": ({"start_date": 10**30}, "active", ["start_date"], lambda: range_error("start_date", str(10**30))),
    "start_date 10**12": ({"start_date": 10**12}, "active", ["start_date"], lambda: range_error("start_date", str(10**12))),
    "start_date -10**12": (
        {"start_date": -(10**12)}, "active", ["start_date"], lambda: range_error("start_date", str(-(10**12)))
    ),
    "start_date -1 (1969)": ({"start_date": -1}, "active", ["start_date"], lambda: range_error("start_date", "-1")),
    "start_date a day past the range": (
        {"start_date": "LAST+1"}, "active", ["start_date"], lambda: range_error("start_date", str(last_second() + 1))
    ),
    "start_date float": (
        {"start_date": 1773570600.0}, "active", ["start_date"], lambda: type_error("start_date", "1773570600.0")
    ),
    "start_date 1e300": ({"start_date": 1e300}, "active", ["start_date"], lambda: type_error("start_date", "1e+300")),
    "start_date string": (
        {"start_date": "1773570600"}, "active", ["start_date"], lambda: type_error("start_date", '"1773570600"')
    ),
    "start_date bool": ({"start_date": True}, "active", ["start_date"], lambda: type_error("start_date", "true")),
    "start_date list": ({"start_date": [1]}, "active", ["start_date"], lambda: type_error("start_date", "[1]")),
    "no start_date, created -10**12": (
        {"start_date": None, "created": -(10**12)}, "active", ["created"],
        lambda: range_error("created", str(-(10**12))),
    ),
    "trial_end 10**30": (
        {"trial_end": 10**30}, "trialing", ["trial_end"], lambda: range_error("trial_end", str(10**30))
    ),
    "canceled, ended_at 10**30": (
        {"ended_at": 10**30, "canceled_at": START}, "canceled", ["ended_at"],
        lambda: range_error("ended_at", str(10**30)),
    ),
    "canceled, no ended_at, canceled_at string": (
        {"ended_at": None, "canceled_at": "2026-06-01"}, "canceled", ["canceled_at"],
        lambda: type_error("canceled_at", '"2026-06-01"'),
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BAD_SUBSCRIPTION_TIMES))
async def test_a_subscription_time_out_of_range_or_malformed_rejects_its_lines(client, session, case):
    await stripe_account(session)
    overrides, status, loc, message = BAD_SUBSCRIPTION_TIMES[case]
    overrides = {k: (last_second() + 1 if v == "LAST+1" else v) for k, v in overrides.items()}
    sub = subscription("cus_A", [SEATS, METERED], status=status, **overrides)
    body = await deliver(client, event("customer.subscription.created", sub))
    assert (body["received"], body["outcome"]) == (True, "processed")
    assert counts(body) == (0, 0, 0, 0, 2)
    error = {"loc": loc, "msg": message()}
    assert rejected(body) == [(0, "si_seats", [error]), (1, "si_calls", [error])]
    assert (await session.execute(select(SubscriptionLine))).first() is None
    # kept for the Sources view, with the event it came in
    r = await client.get("/api/v1/sources/stripe/rejections", headers=await bearer(session, Role.viewer))
    assert sorted((x["item_id"], x["reference"], x["errors"][0]["loc"]) for x in r.json()["items"]) == [
        ("si_calls", "evt_1", loc),
        ("si_seats", "evt_1", loc),
    ]


async def test_subscription_times_tempo_does_not_read_are_not_checked(client, session):
    await stripe_account(session)
    sub = subscription(
        "cus_A",
        [SEATS],
        current_period_start=-(10**12),
        current_period_end=10**30,
        billing_cycle_anchor="soon",
        cancel_at=1.5,
        trial_start=True,
        canceled_at=10**30,  # a live subscription's end is not read
        ended_at=-1,
        created=10**30,  # start_date is given
    )
    body = await deliver(client, event("customer.subscription.created", sub))
    assert counts(body) == (1, 0, 0, 0, 0)
    rows = await session.execute(select(SubscriptionLine.start_date, SubscriptionLine.end_date))
    assert [tuple(r) for r in rows] == [(date(2026, 3, 15), None)]


async def test_subscription_times_at_the_ends_of_the_range_are_accepted(client, session):
    await stripe_account(session)
    body = await deliver(client, event("customer.subscription.created", subscription("cus_A", [SEATS], start_date=0)))
    assert counts(body) == (1, 0, 0, 0, 0)
    later = subscription("cus_A", [item("si_later", 1, price(2000))], "sub_2", start_date=last_second())
    assert counts(await deliver(client, event("customer.subscription.created", later, "evt_2"))) == (1, 0, 0, 0, 0)
    rows = await session.execute(select(SubscriptionLine.source_id, SubscriptionLine.start_date))
    assert sorted(tuple(r) for r in rows) == [("si_later", latest()), ("si_seats", date(1970, 1, 1))]


# (overrides of the invoice, the errors it is rejected with)
BAD_INVOICE_TIMES: dict[str, tuple[dict[str, Any], Any]] = {
    "due_date 10**12": ({"due_date": 10**12}, lambda: [("due_date", range_error("due_date", str(10**12)))]),
    "due_date 10**30": ({"due_date": 10**30}, lambda: [("due_date", range_error("due_date", str(10**30)))]),
    "due_date -10**12": ({"due_date": -(10**12)}, lambda: [("due_date", range_error("due_date", str(-(10**12))))]),
    "due_date float": ({"due_date": 1776124800.5}, lambda: [("due_date", type_error("due_date", "1776124800.5"))]),
    "due_date string": ({"due_date": "2026-04-14"}, lambda: [("due_date", type_error("due_date", '"2026-04-14"'))]),
    "due_date bool": ({"due_date": False}, lambda: [("due_date", type_error("due_date", "false"))]),
    "created 10**30": ({"created": 10**30}, lambda: [("created", range_error("created", str(10**30)))]),
    "created -1": ({"created": -1}, lambda: [("created", range_error("created", "-1"))]),
    "created long string": (
        {"created": "x" * 60}, lambda: [("created", type_error("created", '"' + "x" * 38 + "…"))]
    ),
    "created absent": ({"created": None}, lambda: [("created", "the invoice has no creation time")]),
    "created and due_date": (
        {"created": 10**12, "due_date": "soon"},
        lambda: [("created", range_error("created", str(10**12))), ("due_date", type_error("due_date", '"soon"'))],
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BAD_INVOICE_TIMES))
async def test_an_invoice_time_out_of_range_or_malformed_rejects_the_invoice(client, session, case):
    await stripe_account(session)
    overrides, errors = BAD_INVOICE_TIMES[case]
    body = await deliver(client, event("invoice.finalized", invoice("cus_A", status="open", **overrides)))
    assert (body["received"], body["outcome"]) == (True, "processed")
    assert counts(body) == (0, 0, 0, 0, 1)
    assert rejected(body) == [(0, "in_1", [{"loc": [loc], "msg": msg} for loc, msg in errors()])]
    assert (await session.execute(select(Invoice))).first() is None


@pytest.mark.parametrize("paid_at", [10**30, -(10**12), 1.5, "yesterday", True])
async def test_an_unreadable_paid_at_is_read_as_missing_with_a_warning(client, session, paid_at):
    await stripe_account(session)
    transitions = {"finalized_at": START, "marked_uncollectible_at": None, "paid_at": paid_at, "voided_at": None}
    paid = invoice("cus_A", status="paid", status_transitions=transitions)
    ev = event("invoice.paid", paid)
    ev["created"] = at(2026, 3, 20, 9)
    body = await deliver(client, ev)
    assert counts(body) == (1, 0, 0, 0, 0)
    shown = json.dumps(paid_at)
    why = (
        range_error("status_transitions.paid_at", shown)
        if isinstance(paid_at, int) and not isinstance(paid_at, bool)
        else type_error("status_transitions.paid_at", shown)
    )
    assert [(w["index"], w["id"], w["message"]) for w in body["warnings"]] == [
        (0, "in_1", f"{why}; read as the event's time")
    ]
    stored = (await session.execute(select(Invoice))).scalar_one()
    # as when Stripe leaves paid_at out: paid when the event says so
    assert (stored.status, stored.paid_at, stored.due_at) == (
        "paid", datetime(2026, 3, 20, 9, tzinfo=UTC), datetime(2026, 4, 14, tzinfo=UTC)
    )  # fmt: skip

    open_one = invoice("cus_A", "in_2", status="open", status_transitions={**transitions})
    body = await deliver(client, event("invoice.finalized", open_one, "evt_2"))
    assert counts(body) == (1, 0, 0, 0, 0)
    assert [w["message"] for w in body["warnings"]] == [f"{why}; read as not paid"]


async def test_an_unreadable_invoice_line_period_leaves_that_usage_item_unvalued(client, session):
    await stripe_account(session)
    await deliver(client, event("customer.subscription.created", subscription("cus_A", [SEATS, METERED])))
    line = copy.deepcopy(FIXTURES["line_item"])
    line.update(id="il_1", amount=12345, period={"start": START, "end": 10**30})
    line["parent"] = {
        "type": "subscription_item_details",
        "invoice_item_details": None,
        "subscription_item_details": {"subscription": "sub_1", "subscription_item": "si_calls", "proration": False},
    }
    lines = {"object": "list", "has_more": False, "data": [line]}
    billed = invoice("cus_A", "in_m", status="open", amount_due=12345, lines=lines)
    body = await deliver(client, event("invoice.finalized", billed, "evt_2"))
    assert counts(body) == (1, 0, 0, 0, 1)  # the invoice is kept
    error = {"loc": ["lines", "data", 0, "period", "end"], "msg": range_error("lines.data.0.period.end", str(10**30))}
    assert rejected(body) == [(0, "si_calls", [error])]
    assert (await session.execute(select(Invoice.source_id))).scalars().all() == ["in_m"]
    rows = await session.execute(select(SubscriptionLine.source_id))
    assert rows.scalars().all() == ["si_seats"]


async def test_the_events_own_created_out_of_range_is_still_a_400(client, session):
    ev = event("customer.subscription.created", subscription("cus_A", [SEATS]))
    for created in (10**30, 10**12 * 1000, -(10**12)):
        ev["created"] = created
        body = await deliver(client, ev, expect=400)
        assert (body["title"], body["detail"]) == (
            "Malformed Stripe event",
            f"created: {created} is not a Unix time in seconds",
        )


async def test_an_event_created_far_ahead_reaches_ingest_which_rejects_what_it_dates(client, session):
    await stripe_account(session)
    ev = event("customer.subscription.created", subscription("cus_A", [SEATS]))
    ev["created"] = at(3000, 1, 1)  # a Unix time Python can date, far past ingest's range
    body = await deliver(client, ev)
    assert counts(body) == (0, 0, 0, 0, 1)
    assert rejected(body) == [(0, "si_seats", [{"loc": ["changed_at"], "msg": f"must be a time {in_range()}"}])]


async def test_a_rejected_event_does_not_block_the_next_one_about_the_same_object(client, session):
    await stripe_account(session)
    bad = subscription("cus_A", [SEATS], start_date=10**30)
    assert counts(await deliver(client, event("customer.subscription.created", bad))) == (0, 0, 0, 0, 1)
    good = subscription("cus_A", [SEATS])
    assert counts(await deliver(client, event("customer.subscription.updated", good, "evt_2"))) == (1, 0, 0, 0, 0)
    assert counts(await deliver(client, event("invoice.finalized", invoice("cus_A", status="open"), "evt_3"))) == (
        1, 0, 0, 0, 0
    )  # fmt: skip


# -- Segment ------------------------------------------------------------------------------


async def post_segment(client, kind: str, body: Any) -> dict[str, Any]:
    r = await client.post(
        f"/segment/v1/{kind}", content=json.dumps(body), headers={**AUTH, "Content-Type": "application/json"}
    )
    assert r.status_code == 200, r.text
    assert r.json()["success"] is True
    return r.json()


def messages(ts_field: str, value: Any) -> dict[str, dict[str, Any]]:
    """One message of each type that reads a time, all with ``ts_field`` = ``value``."""
    common = {"userId": "u-1", ts_field: value}
    return {
        "track": {"type": "track", "messageId": "t1", "event": "Report Viewed", **common},
        "page": {"type": "page", "messageId": "p1", "name": "Home", **common},
        "group": {"type": "group", "messageId": "g1", "groupId": "acme", **common},
        "identify": {"type": "identify", "messageId": "i1", "traits": {"groupId": "acme"}, **common},
        "alias": {"type": "alias", "messageId": "a1", "previousId": "anon-1", **common},
    }


OUT_OF_RANGE = [
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:00:00+05:00",
    "9999-12-31T23:59:59Z",
    "9999-12-31T23:59:59-05:00",
    "1969-12-31T23:59:59Z",
    "2200-01-01T00:00:00Z",
    "DAY AFTER LATEST",
    -1,
    -(10**12),
]
NOT_DATE_TIMES = [
    "0000-01-01T00:00:00Z",
    "99999-01-01T00:00:00Z",
    "2026-13-01T00:00:00Z",
    "not a date",
    "   ",
    10**30,
    1e300,
    True,
    [],
    {"at": "2026-11-02T09:00:00Z"},
]


def value_of(value: Any) -> Any:
    return f"{(latest() + timedelta(days=1)).isoformat()}T00:00:00Z" if value == "DAY AFTER LATEST" else value


@pytest.mark.parametrize("value", OUT_OF_RANGE + NOT_DATE_TIMES, ids=repr)
@pytest.mark.parametrize("ts_field", ["timestamp", "originalTimestamp", "receivedAt", "sentAt"])
async def test_a_segment_time_out_of_range_or_not_a_date_time_rejects_the_message_with_the_reason(
    client, session, value, ts_field
):
    reason = f"must be {in_range()}" if value in OUT_OF_RANGE else "is not an ISO-8601 date-time"
    for kind, message in messages(ts_field, value_of(value)).items():
        body = await post_segment(client, kind, message)
        assert (body["received"], body["accepted"], body["bound"]) == ({kind: 1}, 0, 0), kind
        assert rejected(body) == [(0, message["messageId"], [{"loc": [ts_field], "msg": f"the {ts_field} {reason}"}])]


async def test_a_segment_time_at_the_ends_of_the_range_is_accepted(client, session):
    account = await make_account(session, external_id="acme")
    first, last = "1970-01-01T00:00:00Z", f"{latest().isoformat()}T23:59:59Z"
    batch = [
        {"type": "track", "messageId": "t1", "userId": "u-1", "event": "A", "timestamp": first, "context": {"groupId": "acme"}},
        {"type": "track", "messageId": "t2", "userId": "u-1", "event": "B", "timestamp": last, "context": {"groupId": "acme"}},
    ]  # fmt: skip
    body = await post_segment(client, "batch", {"batch": batch})
    assert (body["accepted"], body["rejected"]) == (2, [])
    rows = await session.execute(select(UsageEvent.event_id, UsageEvent.account_id).order_by(UsageEvent.event_id))
    assert [tuple(r) for r in rows] == [("t1", account.id), ("t2", account.id)]


async def test_only_the_time_read_counts_odd_sent_at_and_original_timestamp_are_ignored_no_skew_correction(
    client, session
):
    """Tempo reads ``timestamp`` (else originalTimestamp, receivedAt, sentAt): it does not correct
    clock skew as Segment does (receivedAt - (sentAt - originalTimestamp)), so an out-of-range or
    malformed sentAt beside a good timestamp changes nothing, and can never overflow."""
    account = await make_account(session, external_id="acme")
    good = "2026-11-02T09:00:00Z"
    odd = [
        {"sentAt": "9999-12-31T23:59:59Z", "originalTimestamp": "0001-01-01T00:00:00Z", "receivedAt": good},
        {"sentAt": "0001-01-01T00:00:00Z", "originalTimestamp": "9999-12-31T23:59:59Z"},
        {"sentAt": 10**30, "originalTimestamp": "garbage", "receivedAt": -(10**12)},
    ]
    batch = [
        {"type": "track", "messageId": f"t{i}", "userId": "u-1", "event": "A", "timestamp": good, **times,
         "context": {"groupId": "acme"}}
        for i, times in enumerate(odd)
    ]  # fmt: skip
    batch.append({"type": "group", "messageId": "g1", "userId": "u-1", "groupId": "acme", "timestamp": good, **odd[0]})
    body = await post_segment(client, "batch", {"batch": batch})
    assert (body["accepted"], body["bound"], body["rejected"]) == (3, 1, [])
    rows = await session.execute(select(UsageEvent.event_id, UsageEvent.occurred_at).order_by(UsageEvent.event_id))
    when = datetime(2026, 11, 2, 9, tzinfo=UTC)
    assert [tuple(r) for r in rows] == [("t0", when), ("t1", when), ("t2", when)]
    assert account.id is not None
    # with no timestamp, originalTimestamp is the time read (and sentAt is not used to correct it)
    body = await post_segment(
        client,
        "track",
        {"messageId": "t9", "userId": "u-1", "event": "A", "originalTimestamp": "2026-11-03T09:00:00Z",
         "sentAt": "9999-12-31T23:59:59Z", "context": {"groupId": "acme"}},
    )  # fmt: skip
    assert (body["accepted"], body["rejected"]) == (1, [])


async def test_a_batch_with_bad_times_keeps_its_good_neighbours(client, session):
    acme = await make_account(session, external_id="acme")
    good = "2026-11-02T09:00:00Z"
    batch = [
        {"type": "group", "messageId": "g-ok", "userId": "u-1", "groupId": "acme", "timestamp": good},
        {"type": "group", "messageId": "g-bad", "userId": "u-2", "groupId": "acme", "timestamp": "0001-01-01T00:00:00Z"},
        {"type": "track", "messageId": "t-ok", "userId": "u-1", "event": "A", "timestamp": good},
        {"type": "track", "messageId": "t-bad", "userId": "u-1", "event": "A", "timestamp": "9999-12-31T23:59:59Z"},
        {"type": "alias", "messageId": "a-bad", "previousId": "anon-9", "userId": "u-1", "sentAt": "nope"},
        {"type": "page", "messageId": "p-ok", "userId": "u-1", "name": "Home", "timestamp": good},
        {"type": "identify", "messageId": "i-bad", "userId": "u-3", "traits": {"groupId": "acme"},
         "originalTimestamp": "0001-01-01T00:00:00Z"},
        {"type": "track", "messageId": "t-ok2", "userId": "u-1", "event": "B"},  # no time at all: now
    ]  # fmt: skip
    body = await post_segment(client, "batch", {"batch": batch})
    assert body["received"] == {"group": 2, "track": 3, "alias": 1, "page": 1, "identify": 1}
    assert (body["accepted"], body["bound"], body["unmatched"]) == (3, 1, 0)
    assert rejected(body) == [
        (1, "g-bad", [{"loc": ["timestamp"], "msg": f"the timestamp must be {in_range()}"}]),
        (3, "t-bad", [{"loc": ["timestamp"], "msg": f"the timestamp must be {in_range()}"}]),
        (4, "a-bad", [{"loc": ["sentAt"], "msg": "the sentAt is not an ISO-8601 date-time"}]),
        (6, "i-bad", [{"loc": ["originalTimestamp"], "msg": f"the originalTimestamp must be {in_range()}"}]),
    ]
    rows = await session.execute(select(UsageEvent.event_id, UsageEvent.account_id).order_by(UsageEvent.event_id))
    assert [tuple(r) for r in rows] == [("p-ok", acme.id), ("t-ok", acme.id), ("t-ok2", acme.id)]
    # the refusals are kept for the Sources view
    r = await client.get("/api/v1/sources/segment/rejections", headers=await bearer(session, Role.viewer))
    assert sorted(x["item_id"] for x in r.json()["items"]) == ["a-bad", "g-bad", "i-bad", "t-bad"]
