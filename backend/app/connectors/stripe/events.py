"""One verified Stripe event, applied: recorded by id (duplicates answered from there), ordered
per object by Stripe's ``created`` (older events are stale), translated (``objects``) and
ingested in the request's transaction (see the package docstring)."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import service as accounts
from app.connectors import repository
from app.connectors.common import merge, remap, warning
from app.connectors.stripe.objects import (
    CUSTOMER_EVENTS,
    IGNORED_INVOICE_EVENTS,
    SOURCE,
    STATUS_RANK,
    SUBSCRIPTION_EVENTS,
    VALUING_STATUSES,
    Batch,
    as_dict,
    as_int,
    day_of,
    invoice_item,
    invoiced_usage,
    iso,
    pinned,
    present,
    subscription_items,
    usage_line,
)
from app.core.errors import ProblemError
from app.core.types import UNSTORABLE, unstorable
from app.identity import service as identity
from app.identity.service import EXTERNAL_ID
from app.ingest.schemas import IngestResult, ItemError, Kind, Rejected
from app.ingest.service import ingest, record_rejections

log = logging.getLogger(__name__)


# Stripe ids are short; anything longer is not a Stripe event (and would not index)
MAX_ID_LENGTH = 255
# the latest Unix time Python's datetime holds (9999-12-31T23:59:59Z)
MAX_TIMESTAMP = 253_402_300_799


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


async def _drop_stale(session: AsyncSession, kind: Kind, batch: Batch) -> None:
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


async def _usage_from_subscription(session: AsyncSession, batch: Batch, created: int) -> None:
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
                present(
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
                        "changed_at": iso(created),
                    }
                ),
            )


async def _usage_from_invoice(session: AsyncSession, invoice: dict[str, Any], status: Any) -> Batch:
    """Lines of usage-priced items, valued by what a finalized invoice bills for them."""
    batch = Batch()
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
    customer_id, external_id = customer.get("id"), pinned(customer.get("metadata"))
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
    value = as_int(event.get("created"))
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
    data = as_dict(event.get("data"))
    obj = data.get("object")
    if not isinstance(obj, dict):
        raise MalformedEvent("The event carries no data.object")
    created = _created(event)
    created_at = datetime.fromtimestamp(created, UTC)
    object_id = _object_id(obj)
    newer: tuple[str, datetime] | None = None
    if object_id is not None:
        # one event per object at a time: the check below sees every earlier commit
        await repository.lock_stripe_object(session, object_id)
        newer = await repository.newer_stripe_event(session, object_id, created_at)
    first = await repository.record_stripe_event(
        session, event["id"], event_type, object_id, created_at, "stale" if newer is not None else "processed"
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
        batch = subscription_items(event_type, created, obj, as_dict(data.get("previous_attributes")))
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


def _described(event: dict[str, Any], created: int, obj: dict[str, Any]) -> Batch:
    """The items an event describes, translated but not stored (usage-priced ones included)."""
    event_type: str = event["type"]
    if event_type in SUBSCRIPTION_EVENTS:
        batch = subscription_items(
            event_type, created, obj, as_dict(as_dict(event.get("data")).get("previous_attributes"))
        )
        for usage in batch.usage_items:
            batch.add(batch.usage_positions[usage["item_id"]], {"id": usage["item_id"]})
        return batch
    if event_type in CUSTOMER_EVENTS:
        batch = Batch()
        if isinstance(obj.get("id"), str) and pinned(obj.get("metadata")) is not None:
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


async def _history_only(session: AsyncSession, described: Batch, created: int) -> Batch:
    """The lines of a stale subscription event that may fill in history, taken out of
    ``described``: a fixed-price line stored with a single version and the same start,
    whose stored state took effect on a later day than this event (ingest then decides,
    under its lock, between filling in and ignoring; it never changes the current version)."""
    lines = [item for item in described.items if "start_date" in item]  # usage-priced: no
    singles = await repository.stripe_single_version_lines(session, SOURCE, [str(i["id"]) for i in lines])
    day = day_of(created)
    wanted: set[str] = set()
    for item in lines:
        stored = singles.get(item["id"])
        if stored is not None and item["start_date"] == stored.start_date.isoformat():
            changed_on = stored.state_at.date()
            if day < changed_on and stored.start_date < changed_on:
                wanted.add(item["id"])
    history = Batch()
    for item, position in zip(described.items, described.positions, strict=True):
        if item["id"] in wanted:
            history.add(position, item)
    described.keep(lambda item, _: item["id"] not in wanted)
    return history


async def _ingest(session: AsyncSession, kind: Kind, batch: Batch, result: IngestResult, event_id: str) -> None:
    """Ingest a batch (stale snapshots left out) and fold its outcome into ``result``."""
    await _drop_stale(session, kind, batch)
    await record_rejections(session, SOURCE, kind, batch.rejected, reference=event_id)
    if batch.items:
        merge(result, remap(await ingest(session, kind, batch.items, SOURCE, event_id), batch.positions))
    merge(result, IngestResult(duplicates=batch.stale, rejected=batch.rejected, warnings=batch.warnings))
