"""Stripe webhook events built from Stripe's published fixtures (``stripe/openapi``
``fixtures3.json``, MIT, see /work/shared/data/SOURCES.md) with ids, customers, amounts and
timestamps overridden (the fixtures carry placeholders such as 1234567890), and signed the
way Stripe signs them."""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

FIXTURES: dict[str, Any] = json.loads(Path("/work/shared/data/stripe/fixtures3.json").read_text())["resources"]
SECRET = "whsec_test_0123456789abcdef"
URL = "/api/v1/webhooks/stripe"
START = int(datetime(2026, 3, 15, 10, 30, tzinfo=UTC).timestamp())


def at(*args: int) -> int:
    return int(datetime(*args, tzinfo=UTC).timestamp())


def price(unit_amount: int | None, interval: str = "month", **overrides: Any) -> dict[str, Any]:
    p = copy.deepcopy(FIXTURES["price"])
    p.update(unit_amount=unit_amount, unit_amount_decimal=None if unit_amount is None else str(unit_amount))
    p["recurring"]["interval"] = interval
    p.update(overrides)
    return p


def item(si_id: str, quantity: int | None, the_price: dict[str, Any], sub_id: str = "sub_1") -> dict[str, Any]:
    si = copy.deepcopy(FIXTURES["subscription_item"])
    si.update(id=si_id, quantity=quantity, price=the_price, subscription=sub_id, created=START)
    return si


def subscription(customer: Any, items: list[dict[str, Any]], sub_id: str = "sub_1", **overrides: Any) -> dict[str, Any]:
    sub = copy.deepcopy(FIXTURES["subscription"])
    sub.update(
        id=sub_id,
        customer=customer,
        status="active",
        start_date=START,
        created=START,
        billing_cycle_anchor=START,
        trial_start=None,
        trial_end=None,
        cancel_at=None,
        canceled_at=None,
        ended_at=None,
        cancel_at_period_end=False,
        cancellation_details={"comment": None, "feedback": None, "reason": None},
    )
    sub["items"]["data"] = items
    sub["items"]["url"] = f"/v1/subscription_items?subscription={sub_id}"
    sub.update(overrides)
    return sub


def invoice(customer: str, inv_id: str = "in_1", **overrides: Any) -> dict[str, Any]:
    inv = copy.deepcopy(FIXTURES["invoice"])
    inv.update(id=inv_id, customer=customer, created=START, due_date=at(2026, 4, 14), amount_due=129900)
    inv.update(overrides)
    return inv


def event(event_type: str, obj: dict[str, Any], evt_id: str = "evt_1", **data: Any) -> dict[str, Any]:
    ev = copy.deepcopy(FIXTURES["event"])
    ev.update(id=evt_id, type=event_type, created=int(time.time()), data={"object": obj, **data})
    return ev


def signature(payload: bytes, t: int, secret: str = SECRET) -> str:
    mac = hmac.new(secret.encode(), f"{t}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"
