"""Stripe webhooks: verify the signature, then turn subscriptions and invoices into ingest items.

Owns Stripe's wire format only; everything after translation (validation, identity
resolution, unmatched storage and replay, freshness of source ``stripe``, rescoring) is
``app.ingest.service.ingest``.

Signature (Stripe's scheme): ``Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>...]``; the
expected signature is HMAC-SHA256(signing secret, ``"<t>.<raw body>"``) in hex, compared
in constant time with every ``v1``; a delivery signed more than the tolerance (default
300 s) away from now is refused, which also refuses replays of old deliveries. The header
is parsed strictly before anything else (``_parse_signature_header``: printable-ASCII
``key=value`` parts, one ``t`` of 1-10 ASCII digits, 1-8 hex ``v1``, bounded length);
anything else is the same 400 ``Invalid Stripe signature`` problem.

Mapping:
- ``customer.subscription.created|updated|deleted``: one ``subscriptions`` item per
  subscription item (id ``si_...``). Product = the price's product id; plan = price
  nickname, else price id; unit amount = price unit amount in major units per month or
  year (``interval_count`` > 1 is divided out; weekly and daily prices become their
  monthly equivalent: x 52/12 and x 365/12).
  **Metered and tiered prices** have no fixed unit amount: the subscription event records
  who pays for which product (``stripe_usage_item``) and each finalized invoice (open,
  paid or uncollectible) values the line: the amount its lines bill for that item, per
  month of the billed period, from the period's start (usage billed in arrears lands on
  the month it was used). Until the first invoice the line has no value; when the
  subscription ends, the line ends at its last invoiced value. Start = ``start_date``, or ``trial_end`` when a
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
- ``customer.created|updated`` with ``metadata.tempo_external_id``: the customer id
  becomes the ``stripe`` alias of that account (created, named after the customer, if
  Tempo does not have it yet), and items waiting for the customer are replayed.
- Anything else is acknowledged and ignored.

Times: Stripe's are Unix seconds (JSON integers). A time Tempo reads must name an instant
from 1970-01-01 to 10 years after today (``app.core.types.signal_range``, the range of
every ingest date); null or absent is *missing*. A value that is there but is not such an
integer (out of range, negative, a float, a string, a boolean...) never fails the event;
per field it either
- **rejects the item** (``loc`` is Stripe's field; the message names the field, the value
  and the range): a subscription's ``start_date`` (its ``created`` only when
  ``start_date`` is missing), ``trial_end`` (it moves the start), and, when the
  subscription has ended, ``ended_at`` (``canceled_at`` only when ``ended_at`` is
  missing): all the lines the event describes are rejected; an invoice's ``created``
  (required) and ``due_date`` (a due date Tempo cannot read would make an invoice that is
  overdue look current). An invoice line's ``period.start``/``period.end`` rejects the
  valuation of that usage-priced item from this invoice (the invoice itself is kept);
- or **is read as missing, with a warning**: an invoice's ``status_transitions.paid_at``
  (Stripe's ``status`` says whether it is paid; a paid one is then paid at the event's
  time, as when Stripe leaves ``paid_at`` out).
Times Tempo does not read are never checked: ``current_period_start``/``_end``,
``billing_cycle_anchor``, ``cancel_at``, ``trial_start``, a live subscription's
``ended_at``/``canceled_at``, a subscription's ``created`` next to a ``start_date``. The
event's own ``created`` outside 0 to 9999-12-31 is the 400 ``Malformed Stripe event``; one
past 10 years ahead reaches ingest, which rejects the items it dates.

Accounts (first that applies): an expanded ``customer`` with ``metadata.tempo_external_id``;
the object's own ``metadata.tempo_external_id``; for invoices the subscription's metadata
(``parent.subscription_details.metadata``, or ``subscription_details.metadata`` in API
versions before 2025-03-31); else the customer id through the ``stripe`` alias. Unknown
accounts make unmatched records; the webhook still answers 200. Items Tempo refuses are
recorded with the event id (``GET /api/v1/sources/stripe/rejections``).

Idempotency and ordering, per event (table ``stripe_event``, in the request's one
transaction, so an event is recorded exactly when what it did is committed):

- **By event id**: the id is recorded with ``INSERT ... ON CONFLICT DO NOTHING RETURNING``
  before anything is ingested; an id already recorded is not processed again and is
  answered 200 with ``duplicate: true`` (``outcome: duplicate``), its items counted as
  duplicates. A concurrent delivery of the same id waits for the first one's transaction
  and then sees its row (or, if that one failed and rolled back, processes the event).
- **By ``created`` per object** (the subscription, invoice or customer id): events about
  one object are serialised by a transaction-scoped advisory lock; an event older than one
  already *processed* about the same object (strictly earlier ``created``) is recorded as
  ``stale`` and answered 200 with ``outcome: stale`` and ``newer_event``; it changes no
  current state: no line, invoice (amounts included), usage item or alias. The only thing
  a stale subscription event may still do, on its first delivery, is fill in the history
  of a line Tempo first heard of after a change (``app.ingest.line_versions``: backfill,
  e.g. an ``updated`` delivered before its ``created``), which never touches the current
  version. Events with the **same** ``created`` second are all processed (Stripe's bursts
  often share a second): within a second the item-level rules below and the line versions'
  own ``state_at`` decide. Ordering is per object only: events without an object id are
  only deduplicated. Event types Tempo ignores are not recorded.
- Items are also upserted by (``stripe``, Stripe id), and a late snapshot never moves state
  backwards: an ended line is not reopened (``canceled`` is final in Stripe) and an invoice
  status never regresses (draft < open < uncollectible < paid/void); such snapshots are
  counted as duplicates with a warning.

Retention: a ``stripe_event`` row is ~100 bytes and is kept indefinitely for now. Stripe
retries a delivery for up to 3 days and lists events for 30 days (what a manual resend can
reach), so rows received more than ~30 days ago could be purged without weakening either
rule; that purge is a follow-up, not done here.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import service as accounts
from app.connectors import repository
from app.connectors.common import merge, rejection, remap, warning
from app.core.errors import ProblemError
from app.core.types import EARLIEST, UNSTORABLE, signal_latest, signal_range, unstorable
from app.identity import service as identity
from app.identity.service import EXTERNAL_ID
from app.ingest.schemas import IngestResult, ItemError, ItemWarning, Kind, Rejected
from app.ingest.service import ingest, record_rejections

log = logging.getLogger(__name__)

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
# Stripe-Signature header bounds: Stripe sends t, one v1 per active signing secret (two
# while a secret is rolled) and, in test mode, a v0; these leave room and stop there.
MAX_SIGNATURE_HEADER = 2048
MAX_SIGNATURE_PARTS = 16
MAX_SIGNATURES = 8
_HEADER_PART = re.compile(r"([a-z][a-z0-9]{0,15})=([!-~]{1,256})", re.ASCII)
_TIMESTAMP = re.compile(r"[0-9]{1,10}", re.ASCII)
_HEX_SIGNATURE = re.compile(r"[0-9a-f]{1,64}", re.ASCII)
# Stripe ids are short; anything longer is not a Stripe event (and would not index)
MAX_ID_LENGTH = 255
# the latest Unix time Python's datetime holds (9999-12-31T23:59:59Z)
MAX_TIMESTAMP = 253_402_300_799


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
    outcome: Literal["processed", "stale", "duplicate"] = Field(
        "processed",
        description="processed: the event was applied. stale: a later event about the same object "
        "(newer_event, by Stripe's created time) was already processed, so this one changed no current "
        "state (it may only fill in history before that one). duplicate: this event id had already been "
        "received; nothing was done again. Items not applied count as duplicates",
    )
    duplicate: bool = Field(False, description="This event id had already been received (also when stale)")
    newer_event: str | None = Field(
        None, description="When stale: the id of the later event about the same object that was processed"
    )


def sign(payload: bytes, secret: str, timestamp: int) -> str:
    """The ``v1`` signature Stripe computes for ``payload`` sent at ``timestamp``."""
    signed = str(timestamp).encode() + b"." + payload
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def _parse_signature_header(header: str) -> tuple[str, list[str]]:
    """The timestamp and ``v1`` signatures of a ``Stripe-Signature`` header, read strictly.

    Every comma-separated part must be ``key=value`` in printable ASCII (surrounding blanks
    allowed); ``t`` appears once, as 1 to 10 ASCII digits (a 10-digit Unix time reaches
    the year 2286); ``v1`` values are lowercase hex of at most 64 digits (HMAC-SHA256), at
    most ``MAX_SIGNATURES`` of them; other schemes (Stripe's ``v0``) are ignored. The
    header is at most ``MAX_SIGNATURE_HEADER`` characters. Anything else is refused.
    """

    def malformed(why: str) -> InvalidSignature:
        return InvalidSignature(
            f"Unable to extract the timestamp and v1 signatures from the Stripe-Signature header: {why}"
        )

    if len(header) > MAX_SIGNATURE_HEADER:
        raise malformed(f"longer than {MAX_SIGNATURE_HEADER} characters")
    parts = header.split(",")
    if len(parts) > MAX_SIGNATURE_PARTS:
        raise malformed(f"more than {MAX_SIGNATURE_PARTS} parts")
    timestamps: list[str] = []
    signatures: list[str] = []
    for part in parts:
        match = _HEADER_PART.fullmatch(part.strip(" \t"))
        if match is None:
            raise malformed("each comma-separated part must be key=value in printable ASCII")
        key, value = match.groups()
        if key == "t":
            timestamps.append(value)
        elif key == "v1":
            signatures.append(value)
    if len(timestamps) != 1 or _TIMESTAMP.fullmatch(timestamps[0]) is None:
        raise malformed("it needs one t=<unix time> of 1 to 10 digits")
    if not signatures or len(signatures) > MAX_SIGNATURES:
        raise malformed(f"it needs 1 to {MAX_SIGNATURES} v1 signatures")
    if any(_HEX_SIGNATURE.fullmatch(v) is None for v in signatures):
        raise malformed("a v1 signature is lowercase hex of at most 64 digits")
    return timestamps[0], signatures


def verify_signature(payload: bytes, header: str | None, secret: str, tolerance: int, now: float | None = None) -> None:
    """Raise ``InvalidSignature`` unless ``header`` signs ``payload`` with ``secret`` within ``tolerance`` seconds."""
    if not header:
        raise InvalidSignature("The Stripe-Signature header is missing")
    timestamp, signatures = _parse_signature_header(header)
    expected = sign(payload, secret, int(timestamp)).encode()
    if not any(hmac.compare_digest(expected, s.encode("ascii")) for s in signatures):
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


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[dict[str, Any]]:
    data = _dict(value).get("data")
    return [v for v in data if isinstance(v, dict)] if isinstance(data, list) else []


def _int(value: Any) -> int | None:
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
    if _int(value) is None:
        return None, ItemError(
            loc=loc, msg=f"{name} must be a Unix time in whole seconds (an integer); got {_shown(value)}"
        )
    latest = (signal_latest() - EARLIEST + timedelta(days=1)).days * 86_400 - 1
    if not 0 <= value <= latest:
        return None, ItemError(loc=loc, msg=f"{name} must be a Unix time {signal_range()}; got {_shown(value)}")
    return value, None


def _day(ts: int) -> date:
    """The UTC day of Unix seconds already checked (``_time``, or an event's ``created``)."""
    return datetime.fromtimestamp(ts, UTC).date()


def _iso(ts: int | None) -> str | None:
    return datetime.fromtimestamp(ts, UTC).isoformat() if ts is not None else None


def _major(minor: Any, currency: str | None) -> Decimal:
    """A Stripe amount (smallest currency unit) in major units."""
    code = (currency or "").upper()
    factor = 1 if code in ZERO_DECIMAL else 1000 if code in THREE_DECIMAL else 100
    return Decimal(str(minor)) / factor


def _present(item: dict[str, Any]) -> dict[str, Any]:
    """Leave out absent fields: ingest reads an omitted field as empty."""
    return {k: v for k, v in item.items() if v is not None}


def _pinned(metadata: Any) -> str | None:
    value = _dict(metadata).get(METADATA_EXTERNAL_ID)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _account_ref(obj: dict[str, Any]) -> dict[str, str] | None:
    customer = obj.get("customer")
    metadata = [obj.get("metadata")]
    if isinstance(customer, dict):
        metadata.insert(0, customer.get("metadata"))
        customer = customer.get("id")
    # invoices: the subscription's metadata (where it sits since API 2025-03-31, and before)
    metadata.append(_dict(_dict(obj.get("parent")).get("subscription_details")).get("metadata"))
    metadata.append(_dict(obj.get("subscription_details")).get("metadata"))
    for candidate in metadata:
        if (pinned := _pinned(candidate)) is not None:
            return {"account": pinned, "account_key_type": EXTERNAL_ID}
    if isinstance(customer, str) and customer:
        return {"account": customer, "account_key_type": SOURCE}
    return None


def usage_priced(si: dict[str, Any]) -> bool:
    """Metered or tiered: the price names no fixed amount per unit."""
    price = _dict(si.get("price"))
    return _dict(price.get("recurring")).get("usage_type") == "metered" or price.get("billing_scheme") == "tiered"


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
        "interval": "year" if interval == "year" else "month",
        "currency": currency,
        "start_date": start.isoformat(),
        "end_date": end.isoformat() if end else None,
        "cancellation_reason": reason if end else None,
        # the event's time: a new price or quantity starts a new version of the line that day,
        # and an event older than the line's stored state changes nothing
        "changed_at": _iso(created),
    }
    return _present(line)


def _usage_item(
    si: dict[str, Any], ref: dict[str, str], currency: Any, start_ts: int, end_ts: int | None, reason: str | None
) -> dict[str, Any]:
    price = _dict(si.get("price"))
    product = price.get("product")
    if isinstance(product, dict):
        product = product.get("id")
    start = _day(start_ts)
    return {
        "item_id": si["id"],
        "account_key_type": ref["account_key_type"],
        "account_key": ref["account"],
        "product": product or "default",
        "plan": price.get("nickname") or price.get("id"),
        "currency": price.get("currency") or currency,
        "start_date": start,
        "end_date": max(_day(end_ts), start) if end_ts is not None else None,
        "cancellation_reason": reason if end_ts is not None else None,
    }


def invoiced_usage(invoice: dict[str, Any]) -> dict[str, tuple[int, int, int] | ItemError]:
    """Per subscription item an invoice bills: (amount in minor units, period start, period end),
    or why its period cannot be read (a line's ``period.start``/``end`` out of range or not
    an integer: that item is not valued from this invoice). Lines without a period are skipped."""
    billed: dict[str, tuple[int, int, int]] = {}
    unreadable: dict[str, ItemError] = {}
    for index, line in enumerate(_list(invoice.get("lines"))):
        si = line.get("subscription_item")
        if si is None:  # API 2025-03-31 and later
            si = _dict(_dict(line.get("parent")).get("subscription_item_details")).get("subscription_item")
        if isinstance(si, dict):
            si = si.get("id")
        amount, period = _int(line.get("amount")), _dict(line.get("period"))
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
    return _present(
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
            "changed_at": _iso(start_ts),
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
    ended = event_type == "customer.subscription.deleted" or status == "canceled"
    start_ts, end_ts, time_errors = _times(sub, ended)
    if ended and end_ts is None and not time_errors:
        end_ts = created
    reason = _cancellation_reason(sub) if ended else None
    current = _list(sub.get("items"))
    ids = {si.get("id") for si in current}
    removed = [si for si in _list(previous.get("items")) if si.get("id") not in ids]
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
    if _int(amount) is None:
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
    paid_at, paid_error = _time(_dict(invoice.get("status_transitions")), "paid_at", ["status_transitions", "paid_at"])
    if paid_error is not None:
        read_as = "the event's time" if status == "paid" else "not paid"
        batch.warnings.append(warning(0, invoice_id, f"{paid_error.msg}; read as {read_as}"))
    if status == "paid" and paid_at is None:
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
                "issued_at": _iso(issued_at),
                "due_at": _iso(due_at),
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


async def _usage_from_subscription(session: AsyncSession, batch: _Batch, created: int) -> None:
    """Remember usage-priced items; one that ended ends its line at its last invoiced value."""
    if not batch.usage_items:
        return
    await repository.upsert_usage_items(session, batch.usage_items)
    ids = [u["item_id"] for u in batch.usage_items]
    latest = await repository.stripe_latest_lines(session, SOURCE, ids)
    for usage in batch.usage_items:
        position, line = batch.usage_positions[usage["item_id"]], latest.get(usage["item_id"])
        if line is None:
            message = f"{usage['item_id']} is priced by usage or tiers: it is valued from its invoices (none yet)"
            batch.warnings.append(warning(position, usage["item_id"], message))
        elif usage["end_date"] is not None:
            batch.add(
                position,
                _present(
                    {
                        "id": usage["item_id"],
                        "account": usage["account_key"],
                        "account_key_type": usage["account_key_type"],
                        "product": line.product,
                        "plan": line.plan,
                        "quantity": str(line.quantity),
                        "unit_amount": str(line.unit_amount),
                        "interval": line.interval,
                        "currency": line.currency,
                        "start_date": line.start_date.isoformat(),
                        "end_date": usage["end_date"].isoformat(),
                        "cancellation_reason": usage["cancellation_reason"],
                        "changed_at": _iso(created),
                    }
                ),
            )


async def _usage_from_invoice(session: AsyncSession, invoice: dict[str, Any], status: Any) -> _Batch:
    """Lines of usage-priced items, valued by what a finalized invoice bills for them."""
    batch = _Batch()
    billed = invoiced_usage(invoice)
    if status not in VALUING_STATUSES or not billed:
        return batch
    for stored in (await repository.usage_items(session, list(billed))).values():
        valued = billed[stored.item_id]
        if isinstance(valued, ItemError):
            batch.rejected.append(Rejected(index=0, id=stored.item_id, errors=[valued]))
            continue
        amount, start_ts, end_ts = valued
        batch.add(0, usage_line(stored, amount, start_ts, end_ts))
    return batch


async def _customer(session: AsyncSession, customer: dict[str, Any]) -> IngestResult:
    """A customer naming its Tempo account: its id becomes that account's ``stripe`` alias."""
    customer_id, external_id = customer.get("id"), _pinned(customer.get("metadata"))
    if not isinstance(customer_id, str) or not customer_id or external_id is None:
        return IngestResult()
    found = await identity.resolve(session, {(EXTERNAL_ID, external_id)})
    known = await accounts.names(session, list(found.values()))
    name = next(iter(known.values()))[1] if known else None
    name = name or customer.get("name") or customer.get("description") or customer.get("email") or external_id
    item = {"external_id": external_id, "name": name, "aliases": [{"source": SOURCE, "key": customer_id}]}
    return await ingest(session, Kind.accounts, [item], source=SOURCE)


def _created(event: dict[str, Any]) -> int:
    """The event's ``created`` (Unix seconds); now when absent."""
    value = _int(event.get("created"))
    if value is not None and not 0 <= value <= MAX_TIMESTAMP:
        raise MalformedEvent(f"created: {value} is not a Unix time in seconds")
    return value or int(time.time())


def _object_id(obj: dict[str, Any]) -> str | None:
    value = obj.get("id")
    if not isinstance(value, str) or not value:
        return None
    if len(value) > MAX_ID_LENGTH:
        raise MalformedEvent(f"data.object.id is longer than {MAX_ID_LENGTH} characters")
    return value


async def handle_event(session: AsyncSession, event: Any) -> StripeIgnored | StripeProcessed:
    """Ingest what a verified Stripe event says about customers, subscriptions or invoices,
    once per event id, unless a later event about the same object was already processed."""
    if not isinstance(event, dict) or not isinstance(event.get("id"), str) or not isinstance(event.get("type"), str):
        raise MalformedEvent("The body is not a Stripe event (an object with 'id' and 'type')")
    if (where := unstorable(event)) is not None:
        raise MalformedEvent(f"{'.'.join(map(str, where))}: {UNSTORABLE}")
    if not event["id"] or len(event["id"]) > MAX_ID_LENGTH:
        raise MalformedEvent(f"id: a Stripe event id is 1 to {MAX_ID_LENGTH} characters")
    event_type: str = event["type"]
    is_subscription = event_type in SUBSCRIPTION_EVENTS
    is_invoice = event_type.startswith("invoice.") and event_type not in IGNORED_INVOICE_EVENTS
    is_customer = event_type in CUSTOMER_EVENTS
    if not (is_subscription or is_invoice or is_customer):
        return StripeIgnored(ignored=event_type)
    data = _dict(event.get("data"))
    obj = data.get("object")
    if not isinstance(obj, dict):
        raise MalformedEvent("The event carries no data.object")
    created = _created(event)
    object_id = _object_id(obj)
    newer: tuple[str, datetime] | None = None
    if object_id is not None:
        # one event per object at a time: the check below sees every earlier commit
        await repository.lock_stripe_object(session, object_id)
        newer = await repository.newer_stripe_event(session, object_id, datetime.fromtimestamp(created, UTC))
    first = await repository.record_stripe_event(
        session,
        event["id"],
        event_type,
        object_id,
        datetime.fromtimestamp(created, UTC),
        "stale" if newer is not None else "processed",
    )
    answer = {"event": event["id"], "type": event_type, "duplicate": not first}
    if newer is not None or not first:
        result = await _not_applied(session, event, created, obj, newer, backfill=first)
        outcome = "stale" if newer is not None else "duplicate"
        log.info("stripe event %s (%s) about %s: %s", event["id"], event_type, object_id, outcome)
        newer_event = newer[0] if newer is not None else None
        return StripeProcessed.model_validate(
            {**result.model_dump(), **answer, "outcome": outcome, "newer_event": newer_event}
        )
    result = IngestResult()
    if is_customer:
        result = await _customer(session, obj)
    elif is_subscription:
        batch = subscription_items(event_type, created, obj, _dict(data.get("previous_attributes")))
        await _usage_from_subscription(session, batch, created)
        await _ingest(session, Kind.subscriptions, batch, result, event["id"])
    else:
        batch = invoice_item(event_type, created, obj)
        await _ingest(session, Kind.invoices, batch, result, event["id"])
        status = "void" if event_type == "invoice.deleted" else obj.get("status")
        usage = await _usage_from_invoice(session, obj, status)
        await _ingest(session, Kind.subscriptions, usage, result, event["id"])
    if result.rejected:
        log.warning("stripe event %s (%s): %d item(s) rejected", event["id"], event_type, len(result.rejected))
    return StripeProcessed.model_validate({**result.model_dump(), **answer})


def _described(event: dict[str, Any], created: int, obj: dict[str, Any]) -> _Batch:
    """The items an event describes, translated but not stored (usage-priced ones included)."""
    event_type: str = event["type"]
    if event_type in SUBSCRIPTION_EVENTS:
        batch = subscription_items(event_type, created, obj, _dict(_dict(event.get("data")).get("previous_attributes")))
        for usage in batch.usage_items:
            batch.add(batch.usage_positions[usage["item_id"]], {"id": usage["item_id"]})
        return batch
    if event_type in CUSTOMER_EVENTS:
        batch = _Batch()
        if isinstance(obj.get("id"), str) and _pinned(obj.get("metadata")) is not None:
            batch.add(0, {"id": obj["id"]})
        return batch
    return invoice_item(event_type, created, obj)


async def _not_applied(
    session: AsyncSession,
    event: dict[str, Any],
    created: int,
    obj: dict[str, Any],
    newer: tuple[str, datetime] | None,
    backfill: bool,
) -> IngestResult:
    """What a duplicate or stale event's items come to: duplicates, with a warning each when
    stale. A stale subscription event seen for the first time may still fill in the history
    of a line first heard of after a change (``app.ingest.line_versions``: *backfilled*),
    which never touches the line's current state."""
    described = _described(event, created, obj)
    result = IngestResult()
    if newer is None:
        result.duplicates = len(described.items)
        return result
    if backfill and event["type"] in SUBSCRIPTION_EVENTS:
        history = await _history_only(session, described, created)
        if history.items:
            await _ingest(session, Kind.subscriptions, history, result, event["id"])
    newer_id, newer_at = newer
    when = datetime.fromtimestamp(created, UTC)
    for item, position in zip(described.items, described.positions, strict=True):
        message = (
            f"{obj.get('id')} as of {when:%Y-%m-%d %H:%M:%S} UTC is older than the stored one "
            f"({newer_id}, {newer_at:%Y-%m-%d %H:%M:%S} UTC); ignored"
        )
        result.warnings.append(warning(position, str(item["id"]), message))
    result.duplicates += len(described.items)
    result.warnings.sort(key=lambda w: w.index)
    return result


async def _history_only(session: AsyncSession, described: _Batch, created: int) -> _Batch:
    """The lines of a stale subscription event that may fill in history, taken out of
    ``described``: a fixed-price line stored with a single version and the same start,
    whose stored state took effect on a later day than this event (ingest then decides,
    under its lock, between filling in and ignoring; it never changes the current version)."""
    lines = [item for item in described.items if "start_date" in item]  # usage-priced: no
    singles = await repository.stripe_single_version_lines(session, SOURCE, [str(i["id"]) for i in lines])
    day = _day(created)
    wanted: set[str] = set()
    for item in lines:
        stored = singles.get(item["id"])
        if stored is not None and item["start_date"] == stored.start_date.isoformat():
            changed_on = stored.state_at.date()
            if day < changed_on and stored.start_date < changed_on:
                wanted.add(item["id"])
    history = _Batch()
    for item, position in zip(described.items, described.positions, strict=True):
        if item["id"] in wanted:
            history.add(position, item)
    described.keep(lambda item, _: item["id"] not in wanted)
    return history


async def _ingest(session: AsyncSession, kind: Kind, batch: _Batch, result: IngestResult, event_id: str) -> None:
    """Ingest a batch (stale snapshots left out) and fold its outcome into ``result``."""
    await _drop_stale(session, kind, batch)
    await record_rejections(session, SOURCE, kind, batch.rejected, reference=event_id)
    if batch.items:
        merge(result, remap(await ingest(session, kind, batch.items, SOURCE, event_id), batch.positions))
    merge(result, IngestResult(duplicates=batch.stale, rejected=batch.rejected, warnings=batch.warnings))
