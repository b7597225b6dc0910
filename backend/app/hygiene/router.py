"""Data hygiene: how trustworthy the book's data is (fill rates, checks, one score) and the
accounts behind each figure, as JSON or a spreadsheet-safe CSV."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import StreamingResponse

from app.accounts.access import SCOPE_HELP, ScopeName
from app.auth.dependencies import Reader
from app.core.db import SessionDep
from app.core.errors import Problem
from app.core.format import csv_chunks
from app.core.models import utcnow
from app.hygiene import service
from app.hygiene.schemas import AccountsFormat, Hygiene, HygieneAccounts

router = APIRouter(prefix="/api/v1/hygiene", tags=["hygiene"])
ScopeParam = Annotated[ScopeName | None, Query(description=SCOPE_HELP)]
SilentDays = Annotated[
    int, Query(ge=7, le=365, description="An account with no usage, ticket, survey or touch for N days is silent")
]


@router.get("", operation_id="getHygiene", response_model=Hygiene, responses={422: {"model": Problem}})
async def get_hygiene(
    principal: Reader, session: SessionDep, scope: ScopeParam = None, silent_days: SilentDays = service.SILENT_DAYS
) -> Hygiene:
    """How complete and consistent the data of the scope's active accounts is: the fill rate of
    every field that segments or drives a metric, the checks (renewal dates, CRM against
    billing ARR, silent accounts, owners, and book-wide the unmatched backlog and stale
    sources), and the hygiene score with the parts and weights it is computed from."""
    applied = await service.scope_for(session, principal, scope)
    return await service.summary(session, applied, silent_days)


@router.get(
    "/checks/{key}/accounts",
    operation_id="listHygieneAccounts",
    response_model=HygieneAccounts,
    responses={
        200: {"content": {"text/csv": {}}, "description": "The accounts (JSON, or CSV with a header row)"},
        404: {"model": Problem},
        422: {"model": Problem},
    },
)
async def list_hygiene_accounts(
    principal: Reader,
    session: SessionDep,
    key: Annotated[
        str,
        Path(
            max_length=100,
            description="A check (renewal_past, renewal_missing, arr_mismatch, silent, no_owner) or "
            "missing:<field> (missing:icp_tier...)",
        ),
    ],
    scope: ScopeParam = None,
    silent_days: SilentDays = service.SILENT_DAYS,
    format: AccountsFormat = "json",
    limit: Annotated[
        int | None,
        Query(ge=1, le=service.ACCOUNTS_LIMIT_CSV, description="At most this many (default: 500 in JSON, all in CSV)"),
    ] = None,
) -> Any:
    """The active accounts of the scope behind one check or one field's missing fill, largest
    ARR first, with owner, ARR and the offending values. CSV cells are safe against formula
    injection; its ``X-Scope`` and ``X-Total`` headers say whose accounts and how many."""
    applied = await service.scope_for(session, principal, scope)
    default = service.ACCOUNTS_LIMIT_CSV if format == "csv" else service.ACCOUNTS_LIMIT_JSON
    found = await service.accounts(session, applied, key, silent_days, limit or default)
    if format == "json":
        return found
    header, rows, places = service.csv_rows(found)
    name = f"tempo-hygiene-{found.key.replace(':', '-')}-{utcnow():%Y-%m-%d}.csv"
    return StreamingResponse(
        csv_chunks(header, rows, places),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Scope": applied.name,
            "X-Total": str(found.total),
        },
    )
