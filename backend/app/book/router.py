"""The book (``GET /api/v1/accounts``): pages, the filter language's fields, the export, and
the row edits a CSM makes (flag, owner, tags). Included before the accounts router, so
``/fields`` and ``/export`` are not taken for an account id."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from fastapi.responses import StreamingResponse

from app.accounts import service as accounts
from app.accounts.access import SCOPE_HELP, ScopeName
from app.accounts.schemas import AccountSummary, AccountUpdate
from app.auth.dependencies import Reader, Worker
from app.book import export, service
from app.book.schemas import AccountsPage, BookFields, SortKey
from app.core.db import SessionDep
from app.core.enums import AccountStatus
from app.core.errors import Problem
from app.core.models import utcnow

router = APIRouter(prefix="/api/v1/accounts", tags=["accounts"])
ERRORS: dict[int | str, dict[str, Any]] = {404: {"model": Problem}}
EXPORT_LIMIT = 100_000

FilterParam = Annotated[
    str | None,
    Query(
        max_length=2000,
        description="Filter language, e.g. `renewal_in<=60 band=at_risk qbr>90 owner=me` "
        "(see GET /api/v1/accounts/fields)",
    ),
]
ScopeParam = Annotated[ScopeName | None, Query(description=SCOPE_HELP)]


@router.get("", operation_id="listAccounts", response_model=AccountsPage)
async def list_accounts(
    principal: Reader,
    session: SessionDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
    sort: SortKey = "-arr",
    q: Annotated[str | None, Query(max_length=200, description="Search name or external id")] = None,
    filter: FilterParam = None,
    segment: Annotated[str | None, Query(max_length=100)] = None,
    plan: Annotated[str | None, Query(max_length=100)] = None,
    status: AccountStatus | None = None,
    owner_id: uuid.UUID | None = None,
    external_id: Annotated[str | None, Query(max_length=300, description="Exact external id")] = None,
    scope: ScopeParam = None,
) -> AccountsPage:
    """A page of the book: the accounts of the scope (``scope`` in the answer says which)
    that match the filter, with their health."""
    flt = service.book_filter(principal, q, segment, plan, status, owner_id, external_id, filter, scope)
    return await service.book(session, principal, flt, sort, page, page_size)


@router.get("/fields", operation_id="listAccountFields", response_model=BookFields)
async def book_fields(principal: Reader, session: SessionDep) -> BookFields:
    """The filter language's fields, operators and values (with the book's own segments,
    plans, regions...) and the owners, for filter builders."""
    return await service.fields(session)


@router.get(
    "/export",
    operation_id="exportAccounts",
    responses={
        200: {
            "content": {
                "text/csv": {},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
            },
            "description": "The filtered book, every row, in the book's order",
        }
    },
)
async def export_book(
    principal: Reader,
    session: SessionDep,
    format: Literal["csv", "xlsx"] = "csv",
    sort: SortKey = "-arr",
    q: Annotated[str | None, Query(max_length=200)] = None,
    filter: FilterParam = None,
    segment: Annotated[str | None, Query(max_length=100)] = None,
    plan: Annotated[str | None, Query(max_length=100)] = None,
    status: AccountStatus | None = None,
    owner_id: uuid.UUID | None = None,
    scope: ScopeParam = None,
) -> Response:
    """The filtered book as CSV or XLSX; text cells are safe against formula injection. The
    ``X-Scope`` header says whose accounts it holds."""
    flt = service.book_filter(principal, q, segment, plan, status, owner_id, None, filter, scope)
    rows, applied = await service.rows_for_export(session, principal, flt, sort, EXPORT_LIMIT)
    stamp = utcnow().strftime("%Y-%m-%d")
    if format == "xlsx":
        return Response(
            export.xlsx_bytes(rows),
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={
                "Content-Disposition": f'attachment; filename="tempo-book-{stamp}.xlsx"',
                "X-Scope": applied,
            },
        )
    return StreamingResponse(
        export.csv_chunks(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="tempo-book-{stamp}.csv"', "X-Scope": applied},
    )


@router.patch(
    "/{account_id}",
    operation_id="updateAccount",
    response_model=AccountSummary,
    responses=ERRORS,
)
async def update_account(
    account_id: uuid.UUID, payload: AccountUpdate, principal: Worker, session: SessionDep
) -> AccountSummary:
    """Flag, owner and tags (send only what changes; ``null`` clears). CSMs change the
    accounts they own or are on the team of; reassigning the owner is for leaders and admins."""
    await accounts.update_account(session, principal, account_id, payload)
    return await service.account_summary(session, principal, account_id)
