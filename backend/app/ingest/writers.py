"""One writer per kind: turns validated, resolved items into rows and upserts them.

Each writer gets ``Resolved`` items (index in the batch, the item, its account id) and
returns an ``Outcome`` with per-item counts and the accounts it touched, keyed to the
earliest date it touched them (late signals re-score from that date).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import Contact
from app.core.config import get_settings
from app.core.models import utcnow
from app.ingest import line_versions, repository
from app.ingest.line_versions import LineState, StoredVersion
from app.ingest.schemas import (
    ContactItem,
    EventItem,
    InvoiceItem,
    ItemError,
    ItemWarning,
    Kind,
    Rejected,
    SubscriptionItem,
    SurveyItem,
    TicketItem,
    TouchpointItem,
    UsageDailyItem,
)
from app.revenue.models import Invoice
from app.support.models import Ticket
from app.surveys.models import SurveyResponse
from app.touchpoints import repository as touchpoints
from app.touchpoints.models import Touchpoint
from app.usage.models import UNATTRIBUTED_FEATURE_ID, UsageDaily
from app.usage.repository import EventRow, insert_events


def table_of(model: type[Any]) -> Table:
    table: Table = model.__table__
    return table


@dataclass(frozen=True)
class Resolved:
    index: int
    item: Any
    account_id: uuid.UUID


@dataclass
class Outcome:
    accepted: int = 0
    updated: int = 0
    duplicates: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    warnings: list[ItemWarning] = field(default_factory=list)
    touched: dict[uuid.UUID, date] = field(default_factory=dict)

    def touch(self, account_id: uuid.UUID, day: date) -> None:
        current = self.touched.get(account_id)
        self.touched[account_id] = day if current is None else min(current, day)

    def count(self, result: dict[tuple[Any, ...], bool], keys: list[tuple[Any, ...]]) -> None:
        for key in keys:
            if key not in result:
                self.duplicates += 1
            elif result[key]:
                self.accepted += 1
            else:
                self.updated += 1


def user_hash(user_id: str) -> int:
    """Keyed hash of an end-user id (signed 64-bit); the raw id is never stored."""
    digest = hmac.new(get_settings().secret_key.encode(), user_id.encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _currency(currency: str | None) -> str | None:
    """The item's currency as stored: None for the reporting currency."""
    code = currency.strip().upper() if currency else None
    return None if code in (None, "", get_settings().reporting_currency) else code


async def _known_currencies(session: AsyncSession, currencies: list[str | None]) -> set[str]:
    """Currencies with exchange rates, looked up only when an item is in another currency
    than the reporting one."""
    if all(_currency(c) is None for c in currencies):
        return set()
    return await repository.known_currencies(session)


def _currency_error(r: Resolved, currency: str | None, known: set[str]) -> Rejected | None:
    code = _currency(currency)
    if code is None or code in known:
        return None
    reporting = get_settings().reporting_currency
    message = (
        f"no exchange rate from {code} to {reporting}: add its rates (POST /api/v1/fx-rates) "
        "or send amounts in a currency Tempo has rates for"
    )
    return Rejected(index=r.index, id=r.item.id, errors=[ItemError(loc=["currency"], msg=message)])


async def _upsert_grouped(
    session: AsyncSession, table: Table, keys: list[str], rows: list[tuple[Resolved, dict[str, Any]]], out: Outcome
) -> None:
    """Upsert rows grouped by the columns they carry (omitted fields keep stored values).

    Two items that land on the same stored row (e.g. two account keys resolving to one
    account on the same usage day) cannot both be applied in one statement: the later
    one wins and the earlier counts as a duplicate, as for repeated ids.
    """
    latest: dict[tuple[Any, ...], dict[str, Any]] = {}
    for _, row in rows:
        latest[tuple(row[k] for k in keys)] = row
    out.duplicates += len(rows) - len(latest)
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in latest.values():
        groups.setdefault(tuple(row), []).append(row)
    results: dict[tuple[Any, ...], bool] = {}
    for group in groups.values():
        results.update(await repository.upsert(session, table, keys, group))
    out.count(results, list(latest))


def _provided(item: Any, mapping: dict[str, str], always: tuple[str, ...] = ()) -> dict[str, Any]:
    """Row values for the fields the sender provided (plus ``always``), renamed per ``mapping``."""
    names = (item.model_fields_set | set(always)) & set(mapping)
    return {mapping[n]: getattr(item, n) for n in sorted(names)}


async def write_contacts(session: AsyncSession, items: list[Resolved], source: str) -> Outcome:
    out = Outcome()
    mapping = {n: n for n in ("name", "email", "title", "role", "is_primary", "since")}
    rows = []
    for r in items:
        item: ContactItem = r.item
        row = {"source_id": item.id, "account_id": r.account_id, **_provided(item, mapping)}
        if "role" in row and row["role"] is not None:
            row["role"] = row["role"].value
        rows.append((r, row))
        out.touch(r.account_id, utcnow().date())  # contacts carry no signal date
    await _upsert_grouped(session, table_of(Contact), ["source_id"], rows, out)
    return out


def _feature_matcher(patterns: list[tuple[int, str]]) -> Callable[[str], int]:
    compiled = []
    for feature_id, pattern in patterns:
        try:
            compiled.append((feature_id, re.compile(pattern)))
        except re.error:
            continue

    def match(event: str) -> int:
        for feature_id, regex in compiled:
            if regex.search(event):
                return feature_id
        return UNATTRIBUTED_FEATURE_ID

    return match


async def write_events(session: AsyncSession, items: list[Resolved], source: str) -> Outcome:
    out = Outcome()
    ids = await repository.feature_ids(session, {r.item.feature for r in items if r.item.feature})
    match = _feature_matcher(await repository.feature_patterns(session))
    rows = []
    for r in items:
        item: EventItem = r.item
        rows.append(
            EventRow(
                event_id=item.id,
                account_id=r.account_id,
                user_hash=user_hash(item.user_id) if item.user_id else None,
                event=item.event,
                feature_id=ids[item.feature] if item.feature else match(item.event),
                occurred_at=item.timestamp,
                duration_seconds=item.duration_seconds,
                properties=json.dumps(item.properties) if item.properties is not None else None,
            )
        )
    new = await insert_events(session, rows)
    inserted = sum(new.values())
    out.accepted = inserted
    out.duplicates = len(rows) - inserted
    for account_id, day, _ in new:
        out.touch(account_id, day)
    return out


async def write_usage_daily(session: AsyncSession, items: list[Resolved], source: str) -> Outcome:
    out = Outcome()
    ids = await repository.feature_ids(session, {r.item.feature for r in items if r.item.feature})
    rows = []
    for r in items:
        item: UsageDailyItem = r.item
        rows.append(
            (
                r,
                {
                    "account_id": r.account_id,
                    "day": item.date,
                    "feature_id": ids[item.feature] if item.feature else UNATTRIBUTED_FEATURE_ID,
                    "events": item.events,
                    "active_users": item.active_users,
                    "minutes": item.minutes,
                    "api_calls": item.api_calls,
                },
            )
        )
        out.touch(r.account_id, item.date)
    await _upsert_grouped(session, table_of(UsageDaily), ["account_id", "day", "feature_id"], rows, out)
    return out


async def write_tickets(session: AsyncSession, items: list[Resolved], source: str) -> Outcome:
    out = Outcome()
    mapping = {
        n: n
        for n in (
            "priority",
            "status",
            "opened_at",
            "first_response_at",
            "resolved_at",
            "escalated",
            "escalated_at",
            "sla_due_at",
            "csat",
            "product_area",
            "subject",
        )
    }
    rows = []
    was_escalated = await repository.ticket_escalations(session, [r.item.id for r in items])
    received_at = utcnow()
    for r in items:
        item: TicketItem = r.item
        row = {
            "source_id": item.id,
            "account_id": r.account_id,
            **_provided(item, mapping, always=("opened_at", "priority", "status")),
        }
        row["status"] = item.status.value
        if "escalated" in row and "escalated_at" not in row:
            # escalated now (a stored ticket that was not): from now; no longer: no time
            if not item.escalated:
                row["escalated_at"] = None
            elif was_escalated.get(item.id) is False:
                row["escalated_at"] = received_at
        rows.append((r, row))
        out.touch(r.account_id, item.opened_at.date())
    await _upsert_grouped(session, table_of(Ticket), ["source_id"], rows, out)
    return out


async def write_surveys(session: AsyncSession, items: list[Resolved], source: str) -> Outcome:
    out = Outcome()
    contacts = await repository.contacts_by_email(
        session, {(r.account_id, r.item.contact_email) for r in items if r.item.contact_email}
    )
    rows = []
    for r in items:
        item: SurveyItem = r.item
        email = item.contact_email.lower() if item.contact_email else None
        rows.append(
            (
                r,
                {
                    "source_id": item.id,
                    "account_id": r.account_id,
                    "kind": item.kind.value,
                    "score": item.score,
                    "contact_email": item.contact_email,
                    "contact_id": contacts.get((r.account_id, email)) if email else None,
                    "responded_at": item.responded_at,
                    "comment": item.comment,
                },
            )
        )
        out.touch(r.account_id, item.responded_at.date())
    await _upsert_grouped(session, table_of(SurveyResponse), ["source_id"], rows, out)
    return out


async def write_touchpoints(session: AsyncSession, items: list[Resolved], source: str) -> Outcome:
    out = Outcome()
    users = await repository.users_by_email(session, {r.item.csm_email for r in items if r.item.csm_email})
    contact_accounts = await touchpoints.contact_accounts(session, {c for r in items for c in r.item.contact_ids})
    rows = []
    for r in items:
        item: TouchpointItem = r.item
        csm_id = users.get(item.csm_email.lower()) if item.csm_email else None
        if item.csm_email and csm_id is None:
            out.warnings.append(
                ItemWarning(
                    index=r.index, id=item.id, message=f"csm_email {item.csm_email} is not a Tempo user; kept as text"
                )
            )
        row = {
            "source_id": item.id,
            "account_id": r.account_id,
            "kind": item.kind.value,
            "csm_id": csm_id,
            "csm_email": item.csm_email,
            "occurred_at": item.occurred_at,
            "sentiment": item.sentiment.value if item.sentiment else None,
            "summary": item.summary,
        }
        if "contact_ids" in item.model_fields_set:
            strangers = [c for c in item.contact_ids if contact_accounts.get(c) != r.account_id]
            if strangers:
                out.warnings.append(
                    ItemWarning(
                        index=r.index,
                        id=item.id,
                        message=f"contact_ids {', '.join(map(str, strangers))} are not contacts of this account; dropped",
                    )
                )
            row["contact_ids"] = [c for c in dict.fromkeys(item.contact_ids) if c not in strangers]
        rows.append((r, row))
        out.touch(r.account_id, item.occurred_at.date())
    await _upsert_grouped(session, table_of(Touchpoint), ["source_id"], rows, out)
    return out


async def write_subscriptions(session: AsyncSession, items: list[Resolved], source: str) -> Outcome:
    """Lines keep their history (``line_versions``): a changed price, plan or quantity opens a
    new version on the change date instead of rewriting the past."""
    out = Outcome()
    received_at = utcnow()
    known = await _known_currencies(session, [r.item.currency for r in items])
    wanted: list[tuple[Resolved, LineState]] = []
    for r in items:
        item: SubscriptionItem = r.item
        if (error := _currency_error(r, item.currency, known)) is not None:
            out.rejected.append(error)
            continue
        unit_amount, interval = item.normalised()
        state = LineState(
            product=item.product,
            plan=item.plan,
            quantity=item.quantity,
            unit_amount=unit_amount,
            interval=interval,
            currency=_currency(item.currency),
            start_date=item.start_date,
            end_date=item.end_date,
            cancellation_reason=item.cancellation_reason,
            state_at=item.changed_at or received_at,
        )
        wanted.append((r, state))
    stored = await repository.latest_line_versions(session, source, [r.item.id for r, _ in wanted])
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    first_versions: dict[tuple[str, date], uuid.UUID] = {}
    for r, state in wanted:
        row = stored.get(r.item.id)
        current = None if row is None else StoredVersion(**{k: getattr(row, k) for k in _VERSION_FIELDS})
        decision = line_versions.plan(current, state)
        line = {"account_id": r.account_id, **{k: getattr(state, k) for k in line_versions.BILLED}}
        line |= {"cancellation_reason": state.cancellation_reason, "state_at": state.state_at}
        if decision.action == "stale":
            out.duplicates += 1
            out.warnings.append(ItemWarning(index=r.index, id=r.item.id, message=f"{decision.note}; ignored"))
            continue
        if decision.action == "duplicate":
            out.duplicates += 1
            continue
        if current is None:  # a line Tempo has not seen (counted once written: see below)
            end, note = line_versions.end_on_or_after(state.end_date, state.start_date)
            inserts.append(
                {"source": source, "source_id": r.item.id, "start_date": state.start_date, "end_date": end} | line
            )
            first_versions[(r.item.id, state.start_date)] = r.account_id
        elif decision.action == "backfill":
            assert decision.on is not None
            note = f"a state older than the stored one fills in what was billed before {decision.on}"
            updates.append({"id": current.id, "start_date": decision.on})
            inserts.append(
                {"source": source, "source_id": r.item.id, "start_date": current.start_date, "end_date": decision.on}
                | line
                | {"cancellation_reason": None}
            )
            out.updated += 1
            out.touch(r.account_id, current.start_date)
        elif decision.action == "new_version":
            assert decision.on is not None
            end, note = line_versions.end_on_or_after(state.end_date, decision.on)
            updates.append({"id": current.id, "end_date": decision.on, "cancellation_reason": None})
            inserts.append(
                {"source": source, "source_id": r.item.id, "start_date": decision.on, "end_date": end} | line
            )
            out.updated += 1
            out.touch(r.account_id, decision.on)
        else:  # update (end, reason) or correct (billed terms too), in place
            start = state.start_date if current.versions == 1 else current.start_date
            end, note = line_versions.end_on_or_after(state.end_date, start)
            changes = {"id": current.id, "start_date": start, "end_date": end}
            changes |= (
                line
                if decision.action == "correct"
                else {
                    "account_id": r.account_id,
                    "cancellation_reason": state.cancellation_reason,
                    "state_at": state.state_at,
                }
            )
            updates.append(changes)
            out.updated += 1
            out.touch(r.account_id, min(start, current.start_date))
        if note:
            out.warnings.append(ItemWarning(index=r.index, id=r.item.id, message=note))
    # close versions before opening the next ones (same line, same unique start never clash)
    await repository.update_line_versions(session, updates)
    written = await repository.insert_line_versions(session, inserts)
    # a line another call created at the same moment: updated if this call changed it, else a duplicate
    for key, account_id in first_versions.items():
        if key not in written:
            out.duplicates += 1
            continue
        if written[key]:
            out.accepted += 1
        else:
            out.updated += 1
        out.touch(account_id, key[1])
    return out


_VERSION_FIELDS = ("id", "versions", *line_versions.BILLED, "start_date", "end_date", "cancellation_reason", "state_at")


async def write_invoices(session: AsyncSession, items: list[Resolved], source: str) -> Outcome:
    out = Outcome()
    rows = []
    known = await _known_currencies(session, [r.item.currency for r in items])
    for r in items:
        item: InvoiceItem = r.item
        if (error := _currency_error(r, item.currency, known)) is not None:
            out.rejected.append(error)
            continue
        rows.append(
            (
                r,
                {
                    "source": source,
                    "source_id": item.id,
                    "account_id": r.account_id,
                    "amount": item.amount,
                    "currency": _currency(item.currency),
                    "issued_at": item.issued_at,
                    "due_at": item.due_at,
                    "paid_at": item.paid_at,
                    "status": item.status.value,
                },
            )
        )
        out.touch(r.account_id, item.issued_at.date())
    await _upsert_grouped(session, table_of(Invoice), ["source", "source_id"], rows, out)
    return out


Writer = Callable[[AsyncSession, list[Resolved], str], Awaitable[Outcome]]

WRITERS: dict[Kind, Writer] = {
    Kind.contacts: write_contacts,
    Kind.events: write_events,
    Kind.usage_daily: write_usage_daily,
    Kind.tickets: write_tickets,
    Kind.surveys: write_surveys,
    Kind.touchpoints: write_touchpoints,
    Kind.subscriptions: write_subscriptions,
    Kind.invoices: write_invoices,
}
