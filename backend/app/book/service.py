"""The book: a page of accounts, the filter language's fields with the book's own values,
and one account as a book row."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import access
from app.accounts.schemas import AccountSummary, OwnerRef
from app.auth.service import Principal
from app.book import filters, repository
from app.book.schemas import AccountsPage, BookFields, FilterField, OwnerChoice
from app.core.enums import AccountStatus
from app.core.errors import NotFound
from app.core.models import utcnow


def summary(row: Mapping[str, Any]) -> AccountSummary:
    """A book row (``repository.ROW_COLUMNS``) as the API shows it."""
    owner = OwnerRef(id=row["owner_id"], email=row["owner_email"], name=row["owner_name"]) if row["owner_id"] else None
    health = row["health_score"]
    return AccountSummary.model_validate(
        {
            **row,
            "owner": owner,
            "arr": float(row["arr"]),
            # sent as computed: every surface rounds once, the same way, for display
            "health_score": health,
        }
    )


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
) -> tuple[list[AccountSummary], int]:
    """``limit`` rows of the book the caller reads from ``offset``, and how many there are."""
    items, total, _ = await _window(session, principal, flt, sort, offset, limit)
    return items, total


async def _window(
    session: AsyncSession, principal: Principal, flt: repository.BookFilter, sort: str, offset: int, limit: int
) -> tuple[list[AccountSummary], int, access.ScopeName]:
    flt = await scoped(session, principal, flt)
    rows, total = await repository.book_page(session, flt, sort, offset, limit)
    return [summary(r) for r in rows], total, flt.scope.name


async def book(
    session: AsyncSession, principal: Principal, flt: repository.BookFilter, sort: str, page: int, page_size: int
) -> AccountsPage:
    items, total, scope = await _window(session, principal, flt, sort, (page - 1) * page_size, page_size)
    return AccountsPage(items=items, total=total, page=page, page_size=page_size, filter=flt.query.text, scope=scope)


async def rows_for_export(
    session: AsyncSession, principal: Principal, flt: repository.BookFilter, sort: str, limit: int
) -> tuple[list[AccountSummary], access.ScopeName]:
    """Every row of the filtered book the caller reads (up to ``limit``), in the book's order,
    and the scope applied."""
    flt = await scoped(session, principal, flt)
    return [summary(r) for r in await repository.book_all(session, flt, sort, limit)], flt.scope.name


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
