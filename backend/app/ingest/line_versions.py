"""How a source's new state of a subscription line applies to the versions Tempo keeps.

A source names a line by one id through its whole life (Stripe's ``si_`` id survives
quantity and price changes). Tempo keeps one row per version, so ARR history is never
rewritten: a change of what is billed (product, plan, quantity, price, interval, currency) closes
the current version on the change date and opens the next; the line's end and
cancellation reason belong to its latest version. States carry the time they took effect
(``changed_at``; Stripe's event time); one older than the line's latest is ignored, so a
late or replayed delivery never moves a line back.

The rules, for an item about a line Tempo already has (its latest version ``current``):

- older state than ``current`` → **stale**: nothing changes -- except when ``current`` is
  the line's only version and was first heard of after a change (a burst delivered the
  update before the creation): the older state says what was billed before, so
  ``current`` is **backfilled**: it starts on its own state's day, and the older terms
  hold from the line's start until then;
- same billed terms → the end and cancellation reason are updated (or nothing: duplicate);
- other billed terms, effective on a day after ``current`` started (and before it ended)
  → **new version** from that day, ``current`` ends that day;
- other billed terms effective on or before the day ``current`` started (a same-day
  change, or a correction of the first state) → ``current`` is **corrected** in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

BILLED = ("product", "plan", "quantity", "unit_amount", "interval", "currency")


@dataclass(frozen=True)
class LineState:
    """What a line says on one day: billed terms, dates, why it ended, and since when."""

    product: str
    plan: str | None
    quantity: Decimal
    unit_amount: Decimal
    interval: str
    currency: str | None
    start_date: date
    end_date: date | None
    cancellation_reason: str | None
    state_at: datetime

    def billed(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in BILLED)


@dataclass(frozen=True)
class StoredVersion(LineState):
    id: Any
    versions: int  # how many versions the line has, this one included


@dataclass(frozen=True)
class Plan:
    action: Literal["insert", "stale", "duplicate", "update", "correct", "new_version", "backfill"]
    # the day a new version starts (``new_version``; ``backfill``: the day ``current`` starts)
    on: date | None = None
    note: str | None = None


def plan(current: StoredVersion | None, incoming: LineState) -> Plan:
    """What to do with ``incoming`` given the line's latest stored version."""
    if current is None:
        return Plan("insert")
    if incoming.state_at < current.state_at:
        changed_on = current.state_at.date()
        if (
            current.versions == 1
            and incoming.billed() != current.billed()
            and incoming.start_date == current.start_date
            and incoming.state_at.date() < changed_on
            and current.start_date < changed_on
        ):
            return Plan("backfill", on=changed_on)
        return Plan(
            "stale", note=f"a state from {incoming.state_at:%Y-%m-%d %H:%M:%S} UTC is older than the stored one"
        )
    if incoming.billed() == current.billed():
        first_version_moved = current.versions == 1 and incoming.start_date != current.start_date
        if (
            incoming.end_date == current.end_date
            and incoming.cancellation_reason == current.cancellation_reason
            and not first_version_moved
        ):
            return Plan("duplicate")
        return Plan("update")
    effective = incoming.state_at.date()
    if effective <= current.start_date or (current.end_date is not None and current.end_date <= effective):
        return Plan("correct")
    return Plan("new_version", on=effective)


def end_on_or_after(end: date | None, start: date) -> tuple[date | None, str | None]:
    """A version cannot end before it starts: an earlier end is moved to its start."""
    if end is not None and end < start:
        return start, f"end_date {end} is before this version's start {start}; the line ends on {start}"
    return end, None
