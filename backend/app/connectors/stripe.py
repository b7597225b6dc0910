"""Stripe webhooks: verify the signature, then turn subscriptions and invoices into ingest items.

Owns Stripe's wire format only; everything after translation (validation, identity
resolution, unmatched storage and replay, freshness of source ``stripe``, rescoring) is
``app.ingest.service.ingest``.

Signature (Stripe's scheme): ``Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>...]``; the
expected signature is HMAC-SHA256(signing secret, ``"<t>.<raw body>"``) in hex, compared
in constant time with every ``v1``; a delivery signed more than the tolerance (default
300 s) away from now is refused, which also refuses replays of old deliveries.

Mapping:
- ``customer.subscription.created|updated|deleted``: one ``subscriptions`` item per
  subscription item (id ``si_...``). Product = the price's product id; plan = price
  nickname, else price id; unit amount = price unit amount in major units per month or
  year (``interval_count`` > 1 is divided out; week/day intervals, metered and tiered
  prices are rejected with a reason). Start = ``start_date``, or ``trial_end`` when a
  trial ran past it (revenue starts when the trial converts). A ``canceled`` subscription
  (or a ``deleted`` event) ends at ``ended_at`` (else ``canceled_at``), an exclusive date,
  with cancellation reason ``payment_failed`` (involuntary), ``voluntary``
  (``cancellation_requested``) or Stripe's reason text. Items that an ``updated`` event
  lists in ``previous_attributes`` but no longer carries were removed: their lines end on
  the event's date (contraction, no cancellation reason). ``incomplete`` and
  ``incomplete_expired`` subscriptions never paid and are skipped with a warning.
- ``invoice.*`` (except ``invoice.upcoming``, a preview without an id): one ``invoices``
  item (id ``in_...``): amount = ``amount_due`` in major units, issued = ``created``,
  due = ``due_date``, paid = ``status_transitions.paid_at``, status as Stripe's
  (``invoice.deleted`` -> ``void``).
- Anything else is acknowledged and ignored.

Accounts (first that applies): an expanded ``customer`` with ``metadata.tempo_external_id``;
the object's own ``metadata.tempo_external_id``; else the customer id through the
``stripe`` alias. Unknown accounts make unmatched records; the webhook still answers 200.

Idempotency and ordering: items are upserted by (``stripe``, Stripe id), so a re-delivered
event changes nothing and reports duplicates. Stripe does not guarantee delivery order, so
a late snapshot never moves state backwards: an ended line is not reopened (``canceled``
is final in Stripe) and an invoice status never regresses (draft < open < uncollectible <
paid/void); such snapshots are counted as duplicates with a warning.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from app.connectors import repository
from app.connectors.common import merge, rejection, remap, warning
from app.core.errors import ProblemError
from app.identity.service import EXTERNAL_ID
from app.ingest.schemas import IngestResult, ItemError, ItemWarning, Kind, Rejected
from app.ingest.service import ingest

log = logging.getLogger(__name__)

SOURCE = "stripe"
# Customer (or subscription/invoice) metadata key naming the Tempo account's external id.
METADATA_EXTERNAL_ID = "tempo_external_id"
SUBSCRIPTION_EVENTS = frozenset(
    {"customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted"}
)
IGNORED_INVOICE_EVENTS = frozenset({"invoice.upcoming"})
NEVER_ACTIVE = frozenset({"incomplete", "incomplete_expired"})
# Stripe amounts are in the currency's smallest unit.
ZERO_DECIMAL = frozenset(
    {"BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"}
)
THREE_DECIMAL = frozenset({"BHD", "JOD", "KWD", "OMR", "TND"})
STATUS_RANK = {"draft": 0, "open": 1, "uncollectible": 2, "paid": 3, "void": 3}
_UNIT = Decimal("0.0001")


class InvalidSignature(ProblemError):
    status = 400
    title = "Invalid Stripe signature"


class MalformedEvent(ProblemError):
    status = 400
    title = "Malformed Stripe event"


class StripeIgnored(BaseModel):
    received: bool = True
    ignored: str = Field(description="The event type; Tempo does not use it")


class StripeProcessed(IngestResult):
    received: bool = True
    event: str = Field(description="The Stripe event id")
    type: str


def sign(payload: bytes, secret: str, timestamp: int) -> str:
    """The ``v1`` signature Stripe computes for ``payload`` sent at ``timestamp``."""
    signed = str(timestamp).encode() + b"." + payload
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def verify_signature(payload: bytes, header: str | None, secret: str, tolerance: int, now: float | None = None) -> None:
    """Raise ``InvalidSignature`` unless ``header`` signs ``payload`` with ``secret`` within ``tolerance`` seconds."""
    if not header:
        raise InvalidSignature("The Stripe-Signature header is missing")
    timestamp: str | None = None
    signatures: list[str] = []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t":
            timestamp = value
        elif key == "v1":
            signatures.append(value)
    if timestamp is None or not timestamp.isdigit() or not signatures:
        raise InvalidSignature("Unable to extract the timestamp and v1 signatures from the Stripe-Signature header")
    expected = sign(payload, secret, int(timestamp)).encode()
    if not any(hmac.compare_digest(expected, s.encode()) for s in signatures):
        raise InvalidSignature("No valid signature for the payload")
    if abs((time.time() if now is None else now) - int(timestamp)) > tolerance:
        raise InvalidSignature("Timestamp outside the tolerance zone")


@dataclass
class _Batch:
    """Ingest items translated from one event; ``positions`` maps them back to the event's items."""

    items: list[dict[str, Any]] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    warnings: list[ItemWarning] = field(default_factory=list)
    stale: int = 0

    def add(self, index: int, item: dict[str, Any]) -> None:
        self.items.append(item)
        self.positions.append(index)

    def keep(self, predicate: Callable[[dict[str, Any], int], bool]) -> None:
        pairs = [(i, p) for i, p in zip(self.items, self.positions, strict=True) if predicate(i, p)]
        self.items = [i for i, _ in pairs]
        self.positions = [p for _, p in pairs]


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[dict[str, Any]]:
    data = _dict(value).get("data")
    return [v for v in data if isinstance(v, dict)] if isinstance(data, list) else []


def _ts(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _day(ts: int) -> date:
    return datetime.fromtimestamp(ts, UTC).date()


def _iso(ts: Any) -> str | None:
    value = _ts(ts)
    return datetime.fromtimestamp(value, UTC).isoformat() if value is not None else None


def _major(minor: Any, currency: str | None) -> Decimal:
    """A Stripe amount (smallest currency unit) in major units."""
    code = (currency or "").upper()
    factor = 1 if code in ZERO_DECIMAL else 1000 if code in THREE_DECIMAL else 100
    return Decimal(str(minor)) / factor


def _present(item: dict[str, Any]) -> dict[str, Any]:
    """Leave out absent fields: ingest reads an omitted field as empty."""
    return {k: v for k, v in item.items() if v is not None}


def _account_ref(obj: dict[str, Any]) -> dict[str, str] | None:
    customer = obj.get("customer")
    if isinstance(customer, dict):
        pinned = _dict(customer.get("metadata")).get(METADATA_EXTERNAL_ID)
        if isinstance(pinned, str) and pinned.strip():
            return {"account": pinned.strip(), "account_key_type": EXTERNAL_ID}
        customer = customer.get("id")
    pinned = _dict(obj.get("metadata")).get(METADATA_EXTERNAL_ID)
    if isinstance(pinned, str) and pinned.strip():
        return {"account": pinned.strip(), "account_key_type": EXTERNAL_ID}
    if isinstance(customer, str) and customer:
        return {"account": customer, "account_key_type": SOURCE}
    return None


def _cancellation_reason(subscription: dict[str, Any]) -> str | None:
    reason = _dict(subscription.get("cancellation_details")).get("reason")
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
    price = _dict(si.get("price"))
    recurring = _dict(price.get("recurring"))
    interval = recurring.get("interval")
    errors: list[ItemError] = []
    if ref is None:
        errors.append(ItemError(loc=["customer"], msg="the subscription names no customer"))
    if start_ts is None:
        errors.append(ItemError(loc=["start_date"], msg="the subscription has no start_date"))
    if not price:
        errors.append(ItemError(loc=["price"], msg="the subscription item carries no price"))
    elif interval not in ("month", "year"):
        errors.append(
            ItemError(
                loc=["price", "recurring", "interval"],
                msg=f"billing interval '{interval}' is not supported: only monthly and yearly prices are counted",
            )
        )
    if recurring.get("usage_type") == "metered" or (price and si.get("quantity") is None):
        errors.append(
            ItemError(loc=["quantity"], msg="no fixed quantity: metered (usage-based) prices are not supported")
        )
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
        unit = (_major(amount, currency) / Decimal(count)).quantize(_UNIT, ROUND_HALF_UP)
    except (InvalidOperation, ArithmeticError):
        return [ItemError(loc=["price", "unit_amount"], msg=f"unit amount '{amount}' is not a number")]
    product = price.get("product")
    if isinstance(product, dict):
        product = product.get("id")
    start = _day(start_ts)
    end = max(_day(end_ts), start) if end_ts is not None else None
    line = {
        "id": si.get("id"),
        **ref,
        "product": product or "default",
        "plan": price.get("nickname") or price.get("id"),
        "quantity": si.get("quantity"),
        "unit_amount": str(unit),
        "interval": interval,
        "currency": currency,
        "start_date": start.isoformat(),
        "end_date": end.isoformat() if end else None,
        "cancellation_reason": reason if end else None,
        # the event's time: a new price or quantity starts a new version of the line that day,
        # and an event older than the line's stored state changes nothing
        "changed_at": _iso(created),
    }
    return _present(line)


def subscription_items(event_type: str, created: int, sub: dict[str, Any], previous: dict[str, Any]) -> _Batch:
    """The subscription lines a ``customer.subscription.*`` event describes."""
    batch = _Batch()
    sub_id = str(sub.get("id") or "")
    status = sub.get("status")
    if status in NEVER_ACTIVE:
        message = f"subscription {sub_id} is {status}: its first payment never succeeded, so it is not counted"
        batch.warnings.append(warning(0, sub_id, message))
        return batch
    if _dict(sub.get("items")).get("has_more"):
        message = f"subscription {sub_id} has more items than the event carries; only the included ones were read"
        batch.warnings.append(warning(0, sub_id, message))
    start_ts = _ts(sub.get("start_date")) or _ts(sub.get("created"))
    trial_end = _ts(sub.get("trial_end"))
    if start_ts is not None and trial_end is not None and trial_end > start_ts:
        start_ts = trial_end
    ended = event_type == "customer.subscription.deleted" or status == "canceled"
    end_ts = (_ts(sub.get("ended_at")) or _ts(sub.get("canceled_at")) or created) if ended else None
    reason = _cancellation_reason(sub) if ended else None
    current = _list(sub.get("items"))
    ids = {si.get("id") for si in current}
    removed = [si for si in _list(previous.get("items")) if si.get("id") not in ids]
    ref = _account_ref(sub)
    lines = [(si, end_ts, reason) for si in current] + [(si, end_ts or created, reason) for si in removed]
    for index, (si, ends, why) in enumerate(lines):
        si_id = si.get("id")
        if not isinstance(si_id, str) or not si_id:
            batch.rejected.append(rejection(index, None, ["items", "data", index, "id"], "the item has no id"))
            continue
        line = _line(si, ref, sub.get("currency"), start_ts, ends, why, created)
        if isinstance(line, list):
            batch.rejected.append(Rejected(index=index, id=si_id, errors=line))
        else:
            batch.add(index, line)
    return batch


def invoice_item(event_type: str, created: int, invoice: dict[str, Any]) -> _Batch:
    """The invoice an ``invoice.*`` event describes."""
    batch = _Batch()
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
    if _ts(amount) is None:
        errors.append(ItemError(loc=["amount_due"], msg="amount_due must be an integer amount"))
    if _ts(invoice.get("created")) is None:
        errors.append(ItemError(loc=["created"], msg="the invoice has no creation time"))
    if errors:
        batch.rejected.append(Rejected(index=0, id=invoice_id if isinstance(invoice_id, str) else None, errors=errors))
        return batch
    assert ref is not None
    paid_at = _dict(invoice.get("status_transitions")).get("paid_at")
    if status == "paid" and _ts(paid_at) is None:
        paid_at = created
    currency = invoice.get("currency")
    batch.add(
        0,
        _present(
            {
                "id": invoice_id,
                **ref,
                "amount": str(_major(amount, currency)),
                "currency": currency,
                "issued_at": _iso(invoice.get("created")),
                "due_at": _iso(invoice.get("due_date")),
                "paid_at": _iso(paid_at),
                "status": status,
            }
        ),
    )
    return batch


async def _drop_stale(session: AsyncSession, kind: Kind, batch: _Batch) -> None:
    """Leave out snapshots older than what is stored (Stripe may deliver out of order)."""
    ids = [str(item["id"]) for item in batch.items]
    if kind == Kind.subscriptions:
        ends = await repository.stripe_line_end_dates(session, SOURCE, ids)

        def stale(item: dict[str, Any]) -> str | None:
            if ends.get(item["id"]) is not None and item.get("end_date") is None:
                return f"line {item['id']} already ended on {ends[item['id']]}; this older snapshot was ignored"
            return None
    else:
        statuses = await repository.stripe_invoice_statuses(session, SOURCE, ids)

        def stale(item: dict[str, Any]) -> str | None:
            stored = statuses.get(item["id"])
            if stored is not None and STATUS_RANK[item["status"]] < STATUS_RANK.get(stored, 0):
                return f"invoice {item['id']} is already {stored}; this older '{item['status']}' snapshot was ignored"
            return None

    def fresh(item: dict[str, Any], position: int) -> bool:
        reason = stale(item)
        if reason is not None:
            batch.warnings.append(warning(position, str(item["id"]), reason))
            batch.stale += 1
        return reason is None

    batch.keep(fresh)


async def handle_event(session: AsyncSession, event: Any) -> StripeIgnored | StripeProcessed:
    """Ingest what a verified Stripe event says about subscriptions or invoices."""
    if not isinstance(event, dict) or not isinstance(event.get("id"), str) or not isinstance(event.get("type"), str):
        raise MalformedEvent("The body is not a Stripe event (an object with 'id' and 'type')")
    event_type: str = event["type"]
    is_subscription = event_type in SUBSCRIPTION_EVENTS
    is_invoice = event_type.startswith("invoice.") and event_type not in IGNORED_INVOICE_EVENTS
    if not (is_subscription or is_invoice):
        return StripeIgnored(ignored=event_type)
    data = _dict(event.get("data"))
    obj = data.get("object")
    if not isinstance(obj, dict):
        raise MalformedEvent("The event carries no data.object")
    created = _ts(event.get("created")) or int(time.time())
    if is_subscription:
        kind = Kind.subscriptions
        batch = subscription_items(event_type, created, obj, _dict(data.get("previous_attributes")))
    else:
        kind = Kind.invoices
        batch = invoice_item(event_type, created, obj)
    await _drop_stale(session, kind, batch)
    result = IngestResult()
    if batch.items:
        result = remap(await ingest(session, kind, batch.items, source=SOURCE), batch.positions)
    merge(result, IngestResult(duplicates=batch.stale, rejected=batch.rejected, warnings=batch.warnings))
    if result.rejected:
        log.warning("stripe event %s (%s): %d item(s) rejected", event["id"], event_type, len(result.rejected))
    return StripeProcessed.model_validate({**result.model_dump(), "event": event["id"], "type": event_type})
