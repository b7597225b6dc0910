"""Stripe objects (subscriptions, invoices) translated into ingest items: pure functions, no
database (see the package docstring for the mapping)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from app.connectors.common import rejection, warning
from app.core.types import EARLIEST, signal_latest, signal_range
from app.identity.service import EXTERNAL_ID
from app.ingest.schemas import ItemError, ItemWarning, Rejected

SOURCE = "stripe"
# Customer (or subscription/invoice) metadata key naming the Tempo account's external id.
METADATA_EXTERNAL_ID = "tempo_external_id"
SUBSCRIPTION_EVENTS = frozenset(
    {"customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted"}
)
CUSTOMER_EVENTS = frozenset({"customer.created", "customer.updated"})
# finalized invoices: what they bill for a usage-priced item is its value
VALUING_STATUSES = frozenset({"open", "paid", "uncollectible"})
# prices per week or day counted as their monthly equivalent
PER_MONTH = {"month": Decimal(1), "week": Decimal(52) / Decimal(12), "day": Decimal(365) / Decimal(12)}
DAYS_PER_MONTH = Decimal("30.436875")
IGNORED_INVOICE_EVENTS = frozenset({"invoice.upcoming"})
NEVER_ACTIVE = frozenset({"incomplete", "incomplete_expired"})
# Stripe amounts are in the currency's smallest unit.
ZERO_DECIMAL = frozenset(
    {"BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"}
)
THREE_DECIMAL = frozenset({"BHD", "JOD", "KWD", "OMR", "TND"})
STATUS_RANK = {"draft": 0, "open": 1, "uncollectible": 2, "paid": 3, "void": 3}
_UNIT = Decimal("0.0001")


@dataclass
class Batch:
    """Ingest items translated from one event; ``positions`` maps them back to the event's items."""

    items: list[dict[str, Any]] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    warnings: list[ItemWarning] = field(default_factory=list)
    stale: int = 0
    # usage-priced items the subscription describes (stored, valued by invoices)
    usage_items: list[dict[str, Any]] = field(default_factory=list)
    usage_positions: dict[str, int] = field(default_factory=dict)

    def add(self, index: int, item: dict[str, Any]) -> None:
        self.items.append(item)
        self.positions.append(index)

    def keep(self, predicate: Callable[[dict[str, Any], int], bool]) -> None:
        pairs = [(i, p) for i, p in zip(self.items, self.positions, strict=True) if predicate(i, p)]
        self.items = [i for i, _ in pairs]
        self.positions = [p for _, p in pairs]


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[dict[str, Any]]:
    data = as_dict(value).get("data")
    return [v for v in data if isinstance(v, dict)] if isinstance(data, list) else []


def as_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _shown(value: Any) -> str:
    """A JSON value as it came, cut short for a message."""
    text = json.dumps(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _time(container: dict[str, Any], key: str, loc: list[str | int]) -> tuple[int | None, ItemError | None]:
    """``container[key]`` as Unix seconds Tempo can date: (seconds, None); (None, None) when
    null or absent; (None, why) when it is there but not an integer from 1970-01-01 to the
    end of the last day ingest accepts (``signal_range``)."""
    value = container.get(key)
    if value is None:
        return None, None
    name = ".".join(map(str, loc))
    if as_int(value) is None:
        return None, ItemError(
            loc=loc, msg=f"{name} must be a Unix time in whole seconds (an integer); got {_shown(value)}"
        )
    latest = (signal_latest() - EARLIEST + timedelta(days=1)).days * 86_400 - 1
    if not 0 <= value <= latest:
        return None, ItemError(loc=loc, msg=f"{name} must be a Unix time {signal_range()}; got {_shown(value)}")
    return value, None


def day_of(ts: int) -> date:
    """The UTC day of Unix seconds already checked (``_time``, or an event's ``created``)."""
    return datetime.fromtimestamp(ts, UTC).date()


def iso(ts: int | None) -> str | None:
    return datetime.fromtimestamp(ts, UTC).isoformat() if ts is not None else None


def _major(minor: Any, currency: str | None) -> Decimal:
    """A Stripe amount (smallest currency unit) in major units."""
    code = (currency or "").upper()
    factor = 1 if code in ZERO_DECIMAL else 1000 if code in THREE_DECIMAL else 100
    return Decimal(str(minor)) / factor


def present(item: dict[str, Any]) -> dict[str, Any]:
    """Leave out absent fields: ingest reads an omitted field as empty."""
    return {k: v for k, v in item.items() if v is not None}


def pinned(metadata: Any) -> str | None:
    value = as_dict(metadata).get(METADATA_EXTERNAL_ID)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _account_ref(obj: dict[str, Any]) -> dict[str, str] | None:
    customer = obj.get("customer")
    metadata = [obj.get("metadata")]
    if isinstance(customer, dict):
        metadata.insert(0, customer.get("metadata"))
        customer = customer.get("id")
    # invoices: the subscription's metadata (where it sits since API 2025-03-31, and before)
    metadata.append(as_dict(as_dict(obj.get("parent")).get("subscription_details")).get("metadata"))
    metadata.append(as_dict(obj.get("subscription_details")).get("metadata"))
    for candidate in metadata:
        if (external_id := pinned(candidate)) is not None:
            return {"account": external_id, "account_key_type": EXTERNAL_ID}
    if isinstance(customer, str) and customer:
        return {"account": customer, "account_key_type": SOURCE}
    return None


def _product(price: dict[str, Any]) -> Any:
    """The price's product id (the product may come expanded), else ``default``."""
    product = price.get("product")
    if isinstance(product, dict):
        product = product.get("id")
    return product or "default"


def usage_priced(si: dict[str, Any]) -> bool:
    """Metered or tiered: the price names no fixed amount per unit."""
    price = as_dict(si.get("price"))
    return as_dict(price.get("recurring")).get("usage_type") == "metered" or price.get("billing_scheme") == "tiered"


def _cancellation_reason(subscription: dict[str, Any]) -> str | None:
    reason = as_dict(subscription.get("cancellation_details")).get("reason")
    if reason == "cancellation_requested":
        return "voluntary"
    return str(reason) if reason else None


def _line(
    si: dict[str, Any],
    ref: dict[str, str] | None,
    currency: Any,
    start_ts: int | None,
    end_ts: int | None,
    reason: str | None,
    created: int,
) -> dict[str, Any] | list[ItemError]:
    """One subscription item as a ``subscriptions`` ingest item, or why it cannot be one."""
    price = as_dict(si.get("price"))
    recurring = as_dict(price.get("recurring"))
    interval = recurring.get("interval")
    errors: list[ItemError] = []
    if ref is None:
        errors.append(ItemError(loc=["customer"], msg="the subscription names no customer"))
    if start_ts is None:
        errors.append(ItemError(loc=["start_date"], msg="the subscription has no start_date"))
    if not price:
        errors.append(ItemError(loc=["price"], msg="the subscription item carries no price"))
    elif interval not in ("month", "year", "week", "day"):
        errors.append(
            ItemError(
                loc=["price", "recurring", "interval"],
                msg=f"billing interval '{interval}' is not a Stripe recurring interval (day, week, month, year)",
            )
        )
    if price and si.get("quantity") is None:
        errors.append(ItemError(loc=["quantity"], msg="the subscription item has no quantity"))
    amount = price.get("unit_amount_decimal")
    if amount is None:
        amount = price.get("unit_amount")
    if price and amount is None:
        errors.append(
            ItemError(loc=["price", "unit_amount"], msg="the price has no unit amount (tiered or custom pricing)")
        )
    if errors:
        return errors
    assert ref is not None and start_ts is not None
    currency = price.get("currency") or currency
    count = recurring.get("interval_count") or 1
    try:
        per = PER_MONTH.get(str(interval), Decimal(1))
        unit = (_major(amount, currency) * per / Decimal(count)).quantize(_UNIT, ROUND_HALF_UP)
    except (InvalidOperation, ArithmeticError):
        return [ItemError(loc=["price", "unit_amount"], msg=f"unit amount '{amount}' is not a number")]
    start = day_of(start_ts)
    end = max(day_of(end_ts), start) if end_ts is not None else None
    line = {
        "id": si.get("id"),
        **ref,
        "product": _product(price),
        "plan": price.get("nickname") or price.get("id"),
        "quantity": si.get("quantity"),
        "unit_amount": str(unit),
        "interval": "year" if interval == "year" else "month",
        "currency": currency,
        "start_date": start.isoformat(),
        "end_date": end.isoformat() if end else None,
        "cancellation_reason": reason if end else None,
        # the event's time: a new price or quantity starts a new version of the line that day,
        # and an event older than the line's stored state changes nothing
        "changed_at": iso(created),
    }
    return present(line)


def _usage_item(
    si: dict[str, Any], ref: dict[str, str], currency: Any, start_ts: int, end_ts: int | None, reason: str | None
) -> dict[str, Any]:
    price = as_dict(si.get("price"))
    start = day_of(start_ts)
    return {
        "item_id": si["id"],
        "account_key_type": ref["account_key_type"],
        "account_key": ref["account"],
        "product": _product(price),
        "plan": price.get("nickname") or price.get("id"),
        "currency": price.get("currency") or currency,
        "start_date": start,
        "end_date": max(day_of(end_ts), start) if end_ts is not None else None,
        "cancellation_reason": reason if end_ts is not None else None,
    }


def invoiced_usage(invoice: dict[str, Any]) -> dict[str, tuple[int, int, int] | ItemError]:
    """Per subscription item an invoice bills: (amount in minor units, period start, period end),
    or why its period cannot be read (a line's ``period.start``/``end`` out of range or not
    an integer: that item is not valued from this invoice). Lines without a period are skipped."""
    billed: dict[str, tuple[int, int, int]] = {}
    unreadable: dict[str, ItemError] = {}
    for index, line in enumerate(as_list(invoice.get("lines"))):
        si = line.get("subscription_item")
        if si is None:  # API 2025-03-31 and later
            si = as_dict(as_dict(line.get("parent")).get("subscription_item_details")).get("subscription_item")
        if isinstance(si, dict):
            si = si.get("id")
        amount, period = as_int(line.get("amount")), as_dict(line.get("period"))
        if not isinstance(si, str) or amount is None:
            continue
        start, start_error = _time(period, "start", ["lines", "data", index, "period", "start"])
        end, end_error = _time(period, "end", ["lines", "data", index, "period", "end"])
        if (error := start_error or end_error) is not None:
            unreadable.setdefault(si, error)
        if start is None or end is None:
            continue
        total, first, last = billed.get(si, (0, start, end))
        billed[si] = (total + amount, min(first, start), max(last, end))
    return {**billed, **unreadable}


def usage_line(stored: Any, amount: int, start_ts: int, end_ts: int) -> dict[str, Any]:
    """A usage-priced item's line as one invoice values it: the billed amount per month of
    the period, effective from the period's start."""
    days = Decimal(max(1, round((end_ts - start_ts) / 86_400)))
    months = max(Decimal(1), (days / DAYS_PER_MONTH).quantize(Decimal(1), ROUND_HALF_UP))
    monthly = (_major(amount, stored.currency) / months).quantize(_UNIT, ROUND_HALF_UP)
    return present(
        {
            "id": stored.item_id,
            "account": stored.account_key,
            "account_key_type": stored.account_key_type,
            "product": stored.product,
            "plan": stored.plan,
            "quantity": 1,
            "unit_amount": str(max(monthly, Decimal(0))),
            "interval": "month",
            "currency": stored.currency,
            "start_date": stored.start_date.isoformat(),
            "end_date": stored.end_date.isoformat() if stored.end_date else None,
            "cancellation_reason": stored.cancellation_reason,
            "changed_at": iso(start_ts),
        }
    )


def _times(sub: dict[str, Any], ended: bool) -> tuple[int | None, int | None, list[ItemError]]:
    """A subscription's start (``start_date``, else ``created``; ``trial_end`` when later) and,
    when it has ended, its end (``ended_at``, else ``canceled_at``; None when neither is
    given), with the errors of those that are given but cannot be read (each rejects every
    line). A field is only read when it is used: an unreadable one is never replaced."""
    start, start_error = _time(sub, "start_date", ["start_date"])
    if start is None and start_error is None:
        start, start_error = _time(sub, "created", ["created"])
    trial_end, trial_error = _time(sub, "trial_end", ["trial_end"])
    if start is not None and trial_end is not None and trial_end > start:
        start = trial_end
    end, end_error = None, None
    if ended:
        end, end_error = _time(sub, "ended_at", ["ended_at"])
        if end is None and end_error is None:
            end, end_error = _time(sub, "canceled_at", ["canceled_at"])
    errors = [e for e in (start_error, trial_error, end_error) if e is not None]
    return (None, None, errors) if errors else (start, end, errors)


def subscription_items(event_type: str, created: int, sub: dict[str, Any], previous: dict[str, Any]) -> Batch:
    """The subscription lines a ``customer.subscription.*`` event describes."""
    batch = Batch()
    sub_id = str(sub.get("id") or "")
    status = sub.get("status")
    if status in NEVER_ACTIVE:
        message = f"subscription {sub_id} is {status}: its first payment never succeeded, so it is not counted"
        batch.warnings.append(warning(0, sub_id, message))
        return batch
    if as_dict(sub.get("items")).get("has_more"):
        message = f"subscription {sub_id} has more items than the event carries; only the included ones were read"
        batch.warnings.append(warning(0, sub_id, message))
    ended = event_type == "customer.subscription.deleted" or status == "canceled"
    start_ts, end_ts, time_errors = _times(sub, ended)
    if ended and end_ts is None and not time_errors:
        end_ts = created
    reason = _cancellation_reason(sub) if ended else None
    current = as_list(sub.get("items"))
    ids = {si.get("id") for si in current}
    removed = [si for si in as_list(previous.get("items")) if si.get("id") not in ids]
    ref = _account_ref(sub)
    lines = [(si, end_ts, reason) for si in current] + [
        (si, created if end_ts is None else end_ts, reason) for si in removed
    ]
    for index, (si, ends, why) in enumerate(lines):
        si_id = si.get("id")
        if not isinstance(si_id, str) or not si_id:
            batch.rejected.append(rejection(index, None, ["items", "data", index, "id"], "the item has no id"))
            continue
        if time_errors:  # the subscription's times date every line: none can be read without them
            batch.rejected.append(Rejected(index=index, id=si_id, errors=list(time_errors)))
            continue
        if usage_priced(si) and ref is not None and start_ts is not None:
            batch.usage_items.append(_usage_item(si, ref, sub.get("currency"), start_ts, ends, why))
            batch.usage_positions[si_id] = index
            continue
        line = _line(si, ref, sub.get("currency"), start_ts, ends, why, created)
        if isinstance(line, list):
            batch.rejected.append(Rejected(index=index, id=si_id, errors=line))
        else:
            batch.add(index, line)
    return batch


def invoice_item(event_type: str, created: int, invoice: dict[str, Any]) -> Batch:
    """The invoice an ``invoice.*`` event describes."""
    batch = Batch()
    invoice_id = invoice.get("id")
    ref = _account_ref(invoice)
    status = "void" if event_type == "invoice.deleted" else invoice.get("status")
    amount = invoice.get("amount_due")
    errors: list[ItemError] = []
    if not isinstance(invoice_id, str) or not invoice_id:
        errors.append(ItemError(loc=["id"], msg="the invoice has no id"))
    if ref is None:
        errors.append(ItemError(loc=["customer"], msg="the invoice names no customer"))
    if status not in STATUS_RANK:
        errors.append(ItemError(loc=["status"], msg=f"invoice status '{status}' is not known"))
    if as_int(amount) is None:
        errors.append(ItemError(loc=["amount_due"], msg="amount_due must be an integer amount"))
    issued_at, issued_error = _time(invoice, "created", ["created"])
    if issued_error is None and issued_at is None:
        issued_error = ItemError(loc=["created"], msg="the invoice has no creation time")
    due_at, due_error = _time(invoice, "due_date", ["due_date"])
    errors += [e for e in (issued_error, due_error) if e is not None]
    if errors:
        batch.rejected.append(Rejected(index=0, id=invoice_id if isinstance(invoice_id, str) else None, errors=errors))
        return batch
    assert ref is not None
    paid_at, paid_error = _time(
        as_dict(invoice.get("status_transitions")), "paid_at", ["status_transitions", "paid_at"]
    )
    if paid_error is not None:
        read_as = "the event's time" if status == "paid" else "not paid"
        batch.warnings.append(warning(0, invoice_id, f"{paid_error.msg}; read as {read_as}"))
    if status == "paid" and paid_at is None:
        paid_at = created
    currency = invoice.get("currency")
    batch.add(
        0,
        present(
            {
                "id": invoice_id,
                **ref,
                "amount": str(_major(amount, currency)),
                "currency": currency,
                "issued_at": iso(issued_at),
                "due_at": iso(due_at),
                "paid_at": iso(paid_at),
                "status": status,
            }
        ),
    )
    return batch
