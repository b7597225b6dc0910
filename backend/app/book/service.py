"""The book: a page of accounts, the filter language's fields with the book's own values,
and one account as a book row."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import access
from app.accounts.schemas import AccountSummary, OwnerRef
from app.auth.service import Principal
from app.book import filters, repository
from app.book.schemas import AccountsPage, BookFields, BookRow, FilterField, OwnerChoice
from app.core.enums import AccountStatus
from app.core.errors import NotFound
from app.core.models import utcnow
from app.ingest.writers import user_hash
from app.queue import ranking
from app.queue.service import SEVERITY_ORDER
from app.scoring import calibration, risk
from app.scoring import service as scoring
from app.usage import repository as usage


def _values(row: Mapping[str, Any]) -> dict[str, Any]:
    owner = OwnerRef(id=row["owner_id"], email=row["owner_email"], name=row["owner_name"]) if row["owner_id"] else None
    # health is sent as computed: every surface rounds once, the same way, for display
    return {**row, "owner": owner, "arr": float(row["arr"])}


def summary(row: Mapping[str, Any]) -> AccountSummary:
    """A book row (``repository.ROW_COLUMNS``) as the API shows it."""
    return AccountSummary.model_validate(_values(row))


# Rows whose computed columns are filled per statement (an export reads up to 100,000).
EXTRAS_BATCH = 5_000


async def book_rows(session: AsyncSession, rows: Sequence[Mapping[str, Any]]) -> list[BookRow]:
    """Book rows with the columns SQL cannot compute: days since the primary contact was last
    active (usage knows users only by a keyed hash of their id) and the queue's expected
    expansion (from the churn probability curve)."""
    if not rows:
        return []
    today = utcnow().date()
    curve: list[tuple[float, float]] = []
    floor = -1
    if any(r["opportunity_severity"] is not None for r in rows):
        # the queue's severity floor and churn probability, read only when some row has an opportunity
        body = (await scoring.load_active(session)).body
        curve, _ = await calibration.probability_curve(session, body)
        floor = SEVERITY_ORDER[body.alerts.queue_min_severity.value]
    out: list[BookRow] = []
    for start in range(0, len(rows), EXTRAS_BATCH):
        batch = rows[start : start + EXTRAS_BATCH]
        last_seen = await primary_contact_last_active(session, [r["id"] for r in batch], today)
        for r in batch:
            values = _values(r)
            severity = r["opportunity_severity"]
            if severity is not None and severity <= floor:
                probability = risk.churn_probability(curve, r["health_score"])
                values["expansion_potential"] = ranking.expected_expansion(values["arr"], probability)
            seen = last_seen.get(r["id"])
            values["days_since_primary_login"] = (today - seen).days if seen is not None else None
            out.append(BookRow.model_validate(values))
    return out


def contact_user_hashes(email: str | None, segment_pseudonym: str | None) -> set[int]:
    """The usage user hashes a contact can be known by: its email as the product's user id
    (as stored, and lower-cased), and the Segment pseudonym it shares with its events."""
    ids = {email, email.lower()} if email else set()
    if segment_pseudonym:
        ids.add(segment_pseudonym)
    return {user_hash(i) for i in ids}


async def primary_contact_last_active(
    session: AsyncSession, account_ids: list[uuid.UUID], today: date
) -> dict[uuid.UUID, date]:
    """The last day the primary contact of each account was active in the product (accounts
    without one, or whose primary contact never shows up in usage, are left out)."""
    contacts = await repository.primary_contacts(session, account_ids)
    wanted = {c["account_id"]: contact_user_hashes(c["email"], c["segment_pseudonym"]) for c in contacts}
    return await usage.last_active_days(session, {a: h for a, h in wanted.items() if h}, today)


def book_filter(
    principal: Principal,
    q: str | None = None,
    segment: str | None = None,
    plan: str | None = None,
    status: AccountStatus | None = None,
    owner_id: uuid.UUID | None = None,
    external_id: str | None = None,
    filter_text: str | None = None,
    scope: access.ScopeName | None = None,
) -> repository.BookFilter:
    """The book's filter from a request's parameters, with today and the caller (``owner=me``),
    and whose accounts it asks for (``scope``; None: the caller's default)."""
    return repository.BookFilter(
        q=q,
        segment=segment,
        plan=plan,
        status=status.value if status else None,
        owner_id=owner_id,
        external_id=external_id,
        query=filters.parse(filter_text),
        today=utcnow().date(),
        user_id=principal.user_id,
        requested_scope=scope,
    )


async def scoped(session: AsyncSession, principal: Principal, flt: repository.BookFilter) -> repository.BookFilter:
    """The filter over the accounts its scope lists, within what the caller reads
    (``access.resolve_scope``)."""
    scope = await access.resolve_scope(session, principal, flt.requested_scope, names_owner=flt.names_owner)
    return replace(flt, scope=scope)


async def window(
    session: AsyncSession, principal: Principal, flt: repository.BookFilter, sort: str, offset: int, limit: int
) -> tuple[list[BookRow], int]:
    """``limit`` rows of the book the caller reads from ``offset``, and how many there are."""
    items, total, _ = await _window(session, principal, flt, sort, offset, limit)
    return items, total


async def _window(
    session: AsyncSession, principal: Principal, flt: repository.BookFilter, sort: str, offset: int, limit: int
) -> tuple[list[BookRow], int, access.ScopeName]:
    flt = await scoped(session, principal, flt)
    rows, total = await repository.book_page(session, flt, sort, offset, limit)
    return await book_rows(session, rows), total, flt.scope.name


async def book(
    session: AsyncSession, principal: Principal, flt: repository.BookFilter, sort: str, page: int, page_size: int
) -> AccountsPage:
    items, total, scope = await _window(session, principal, flt, sort, (page - 1) * page_size, page_size)
    return AccountsPage(items=items, total=total, page=page, page_size=page_size, filter=flt.query.text, scope=scope)


async def rows_for_export(
    session: AsyncSession, principal: Principal, flt: repository.BookFilter, sort: str, limit: int
) -> tuple[list[BookRow], access.ScopeName]:
    """Every row of the filtered book the caller reads (up to ``limit``), in the book's order,
    and the scope applied."""
    flt = await scoped(session, principal, flt)
    return await book_rows(session, await repository.book_all(session, flt, sort, limit)), flt.scope.name


async def fields(session: AsyncSession) -> BookFields:
    seen = await repository.facets(session)
    owners = await repository.owners(session)
    return BookFields(
        fields=[FilterField(**{**f, "choices": f["choices"] or seen.get(f["name"], [])}) for f in filters.catalogue()],
        owners=[OwnerChoice(id=u.id, email=u.email, name=u.name) for u in owners],
    )


async def account_summary(session: AsyncSession, principal: Principal, account_id: uuid.UUID) -> AccountSummary:
    """One account as a book row."""
    await access.require_read(session, principal, account_id)
    row = await repository.row(session, account_id)
    if row is None:
        raise NotFound(f"No account with id {account_id}")
    return summary(row)
